/**
 * Read routes over the task cache: `GET /api/tasks`, `GET /api/tasks/:id` and
 * `GET /api/tasks/:id/frames`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { assertWithinScope, scopeAllows } from '../access/scope.js';
import { RelayError } from '../errors.js';
import type { EventLog } from '../events/event-log.js';
import { summarizeFrame } from '../events/frame-draft.js';
import { type TaskView, toTaskView } from '../events/task-view.js';
import { matchesTask, type SubscriptionFilter } from '../fanout/filter.js';
import type { CachedTask } from '../state/task-cache.js';
import type { TaskStore } from '../state/task-store.js';
import type { RelayApp, RelayEnv } from './env.js';

/** Tasks in one page. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export interface TaskRouteOptions {
  readonly store: TaskStore;
  readonly log: EventLog;
  /** Sets `c.var.grant` or rejects the request. */
  readonly auth: MiddlewareHandler<RelayEnv>;
}

/**
 * Mounts the read routes. Lists are ordered by task id, newest (highest) first; `cursor` is
 * the last id of the previous page, so pages stay stable while tasks update.
 */
export function mountTaskRoutes(app: RelayApp, options: TaskRouteOptions): void {
  app.get('/api/tasks', options.auth, (c) => listTasks(c, options));
  app.get('/api/tasks/:id', options.auth, (c) => getTask(c, options));
  app.get('/api/tasks/:id/frames', options.auth, (c) => getFrames(c, options));
}

function listTasks(c: Context<RelayEnv>, { store, log }: TaskRouteOptions): Response {
  const { scope } = c.get('grant');
  const requested = readFilter(c);
  assertWithinScope(scope, requested);
  const filter: SubscriptionFilter = scope.admin ? requested : { ...requested, scope };

  const limit = readInteger(c, 'limit') ?? DEFAULT_PAGE_SIZE;
  if (limit < 1 || limit > MAX_PAGE_SIZE)
    throw invalidQuery(
      'limit',
      `an integer from 1 to ${MAX_PAGE_SIZE}`,
      '1 到 1000 的整数',
      String(limit),
    );
  const cursor = readInteger(c, 'cursor');

  const matching = [];
  for (const entry of store.cache.values()) {
    if (cursor !== undefined && entry.task.id >= cursor) continue;
    if (matchesTask(filter, entry.task)) matching.push(entry);
  }
  matching.sort((a, b) => b.task.id - a.task.id);

  const page: TaskView[] = matching
    .slice(0, limit)
    .map((entry) => toTaskView(entry, false, store.frames.table(entry.task.id)));
  const last = page.at(-1);
  const nextCursor = matching.length > limit && last !== undefined ? String(last.id) : null;
  return c.json({ tasks: page, nextCursor, epoch: log.epoch, seq: log.seq });
}

function getTask(c: Context<RelayEnv>, { store }: TaskRouteOptions): Response {
  const entry = visibleTask(c, store);
  return c.json(toTaskView(entry, true, store.frames.table(entry.task.id)));
}

/** Returns a task's frame table, ordered by frame index, with the files of each frame. */
function getFrames(c: Context<RelayEnv>, { store }: TaskRouteOptions): Response {
  const entry = visibleTask(c, store);
  const table = store.frames.table(entry.task.id);
  const cached = table === undefined ? [] : [...table.values()];
  cached.sort((a, b) => a.frame.frameIndex - b.frame.frameIndex);

  const frames = cached.map(({ frame, updatedAt }) => ({
    ...summarizeFrame(frame),
    lightJobRenderTimeThread: frame.lightJobRenderTimeThread,
    type: frame.type,
    action: frame.action,
    files: frame.files,
    updatedAt,
  }));
  return c.json({
    taskId: entry.task.id,
    frameStatusCounts: table?.statusCounts() ?? {},
    frames,
  });
}

/** Returns the cached task named by `:id`. @throws RelayError 404 when absent or out of scope */
function visibleTask(c: Context<RelayEnv>, store: TaskStore): CachedTask {
  const raw = c.req.param('id') ?? '';
  const id = parseId(raw);
  if (id === undefined)
    throw invalidQuery('id', 'a task id (integer)', '任务 ID (整数)', JSON.stringify(raw));

  // A task outside the scope gets the same 404 as a missing one, so ids cannot be probed.
  const entry = store.cache.get(id);
  const { scope } = c.get('grant');
  const visible =
    entry !== undefined && scopeAllows(scope, entry.task.owner, entry.task.agencyUserId);
  if (!visible) throw new RelayError('RS_ERR_TASK_NOT_FOUND', { id });
  return entry;
}

/** Reads `owner`, `agency`, `status` and `task` filters: repeatable, or comma-separated lists. */
export function readFilter(c: Context): SubscriptionFilter {
  return {
    owners: readIdSet(c, 'owner'),
    agencies: readIdSet(c, 'agency'),
    statuses: readIdSet(c, 'status'),
    taskIds: readIdSet(c, 'task'),
    frames: false,
  };
}

function readIdSet(c: Context, name: string): ReadonlySet<number> | undefined {
  const values = (c.req.queries(name) ?? [])
    .flatMap((value) => value.split(','))
    .filter((value) => value.trim() !== '');
  if (values.length === 0) return undefined;

  const ids = new Set<number>();
  for (const value of values) {
    const id = parseId(value);
    if (id === undefined)
      throw invalidQuery(
        name,
        'integers, repeated or separated by commas',
        '整数 (可重复或用逗号分隔)',
        JSON.stringify(value),
      );
    ids.add(id);
  }
  return ids;
}

function readInteger(c: Context, name: string): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;

  const value = parseId(raw);
  if (value === undefined) throw invalidQuery(name, 'an integer', '整数', JSON.stringify(raw));
  return value;
}

function parseId(raw: string): number | undefined {
  const text = raw.trim();
  if (!/^-?\d+$/.test(text)) return undefined;

  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

function invalidQuery(
  field: string,
  expected: string,
  expectedZh: string,
  received: string,
): RelayError {
  return new RelayError('RS_ERR_QUERY_INVALID', { field, expected, expectedZh, received });
}
