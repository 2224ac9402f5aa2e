/**
 * The platform's task callback routes. Every callback name is served under `/api/task/` and
 * under `/api/frame/`, because the platform appends the name to whichever base URL the dealer
 * registered.
 */
import type { Context } from 'hono';
import type { IngestGuard } from '../access/ingest-guard.js';
import { RelayError } from '../errors.js';
import { acceptTaskCallback, type IngestDeps } from '../ingest/accept-task.js';
import type { Logger } from '../observability/log.js';
import type { RelayMetrics } from '../observability/metrics.js';
import type { ThrottledLog } from '../observability/throttled-log.js';
import { failureReply, OK_REPLY } from '../protocol/reply.js';
import type { CallbackKind } from '../state/task-store.js';
import type { RelayApp, RelayEnv } from './env.js';
import { nodeBodySource, readBodyText, webBodySource } from './read-body.js';

/** Callback names and the kind of change each announces. */
export const TASK_CALLBACKS: Readonly<Record<string, CallbackKind>> = {
  createinfo: 'create',
  updateinfo: 'update',
  deleteinfo: 'delete',
};

export const CALLBACK_BASES = ['/api/task', '/api/frame'] as const;

/**
 * A path prefix that carries the callback token. The platform appends each callback name to the
 * base URL the dealer registers, so a `?token=` in that base URL would end up before the name;
 * `/t/<token>/api/task/` keeps the token intact.
 */
export const TOKEN_PREFIX = '/t/:ingestToken';

export interface CallbackRouteOptions extends IngestDeps {
  readonly logger: Logger;
  readonly metrics: RelayMetrics;
  readonly rejectionLog: ThrottledLog;
  readonly maxBodyBytes: number;
  /** Address, rate and token checks; throws the RelayError of the first one that fails. */
  readonly guard: IngestGuard;
  /** Whether the relay still takes callbacks; false once shutdown has begun. */
  readonly accepting: () => boolean;
  /** Counts a request in flight until its promise settles, so shutdown can wait for it. */
  readonly track: <T>(work: Promise<T>) => Promise<T>;
}

/** Mounts the task callback routes on the app. */
export function mountCallbackRoutes(app: RelayApp, options: CallbackRouteOptions): void {
  for (const prefix of ['', TOKEN_PREFIX]) {
    for (const base of CALLBACK_BASES) {
      for (const [name, kind] of Object.entries(TASK_CALLBACKS)) {
        const path = `${prefix}${base}/${name}`;
        app.post(path, (c) => options.track(handleCallback(c, name, kind, options)));
      }
    }
  }
}

async function handleCallback(
  c: Context<RelayEnv>,
  route: string,
  kind: CallbackKind,
  options: CallbackRouteOptions,
): Promise<Response> {
  try {
    if (!options.accepting()) throw new RelayError('RS_ERR_RELAY_CLOSING');
    options.guard(c);

    const incoming = c.env?.incoming;
    const source = incoming === undefined ? webBodySource(c.req.raw) : nodeBodySource(incoming);
    const text = await readBodyText(source, options.maxBodyBytes);
    const result = acceptTaskCallback(options, kind, text, Date.now());

    options.metrics.callbacks.inc({ route, outcome: result.outcome });
    options.logger.debug(
      {
        route,
        taskId: result.taskId,
        outcome: result.outcome,
        staleReason: result.staleReason,
        seq: result.published?.event.seq,
      },
      'callback accepted',
    );
    return c.json(OK_REPLY, 200);
  } catch (error) {
    if (!(error instanceof RelayError)) throw error;
    return reject(c, route, error, options);
  }
}

function reject(
  c: Context<RelayEnv>,
  route: string,
  error: RelayError,
  options: CallbackRouteOptions,
): Response {
  options.metrics.callbacks.inc({ route, outcome: 'rejected' });
  options.metrics.rejections.inc({ code: error.code });
  if (error.code === 'RS_ERR_BODY_TOO_LARGE')
    options.metrics.limitHits.inc({ limit: 'body_bytes' });
  if (error.code === 'RS_ERR_RATE_LIMITED') options.metrics.limitHits.inc({ limit: 'ingest_rate' });

  options.rejectionLog.write(
    error.code,
    { route, code: error.code, status: error.status, reason: error.params },
    'callback rejected',
  );
  // The rest of an oversized body is never read, so the connection cannot carry another request.
  if (error.code === 'RS_ERR_BODY_TOO_LARGE') c.header('Connection', 'close');

  const retryAfter = error.params.retryAfterSeconds;
  if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
  return c.json(failureReply(error), error.status as 400);
}
