/**
 * The platform's callback routes: task, frame and payment callbacks. Every callback name is
 * served under `/api/task/` and under `/api/frame/`, because the platform appends the name to
 * whichever base URL the dealer registered.
 *
 * With an upstream (`RELAY_UPSTREAM_URL`) the relay only observes: it applies what it can read,
 * forwards the callback as received and returns the backend's reply, so a local rejection
 * never changes what the platform receives.
 */
import type { Context } from 'hono';
import type { IngestGuard } from '../access/ingest-guard.js';
import { RelayError } from '../errors.js';
import type { PublishedEvent } from '../events/event-log.js';
import { acceptFrameCallback, acceptPaymentCallback } from '../ingest/accept-frame.js';
import { acceptTaskCallback, type IngestDeps } from '../ingest/accept-task.js';
import type { Logger } from '../observability/log.js';
import type { RelayMetrics } from '../observability/metrics.js';
import type { ThrottledLog } from '../observability/throttled-log.js';
import { failureReply, OK_REPLY } from '../protocol/reply.js';
import type { CallbackKind } from '../state/task-store.js';
import type { RelayApp, RelayEnv } from './env.js';
import { nodeBodySource, type ReceivedBody, readBody, webBodySource } from './read-body.js';
import { forwardToUpstream, type UpstreamOptions, upstreamTarget } from './upstream.js';

/** Task callback names and the kind of change each announces. */
export const TASK_CALLBACKS: Readonly<Record<string, CallbackKind>> = {
  createinfo: 'create',
  updateinfo: 'update',
  deleteinfo: 'delete',
};

export const CALLBACK_BASES = ['/api/task', '/api/frame'] as const;

/**
 * A path prefix that carries the callback token. The platform appends each callback name to the
 * base URL the dealer registers, so a `?token=` in that base URL would end up before the name.
 * A base URL of `/t/<token>/api/task/` keeps the token intact.
 */
export const TOKEN_PREFIX = '/t/:ingestToken';

/** The result of applying one callback, for metrics and logs. */
interface AcceptResult {
  readonly taskId: number;
  readonly outcome: string;
  readonly staleReason?: string;
  readonly frameIndex?: number;
  readonly published?: PublishedEvent;
}

/** One callback name and how the relay applies it. */
interface CallbackRoute {
  readonly name: string;
  readonly accept: (deps: IngestDeps, text: string, nowMs: number) => AcceptResult;
  /** Whether only the dealer's backend can produce the reply (payments: price and balance). */
  readonly needsUpstream: boolean;
}

/** Every callback name the relay serves. */
export const CALLBACK_ROUTES: readonly CallbackRoute[] = [
  ...Object.entries(TASK_CALLBACKS).map(([name, kind]) => ({
    name,
    accept: (deps: IngestDeps, text: string, nowMs: number) =>
      acceptTaskCallback(deps, kind, text, nowMs),
    needsUpstream: false,
  })),
  { name: 'createrenderframeinfo', accept: acceptFrameCallback, needsUpstream: false },
  { name: 'updaterenderframeinfo', accept: acceptFrameCallback, needsUpstream: false },
  { name: 'paymentinfo', accept: acceptPaymentCallback, needsUpstream: true },
];

export interface CallbackRouteOptions extends IngestDeps {
  readonly logger: Logger;
  readonly metrics: RelayMetrics;
  readonly rejectionLog: ThrottledLog;
  /** Logs failed forwards, a few per interval. */
  readonly upstreamLog: ThrottledLog;
  readonly maxBodyBytes: number;
  /** The dealer's backend; `undefined` when `RELAY_UPSTREAM_URL` is empty. */
  readonly upstream: UpstreamOptions | undefined;
  /** Address, rate and token checks; throws the RelayError of the first one that fails. */
  readonly guard: IngestGuard;
  /** Whether the relay still takes callbacks; false once shutdown has begun. */
  readonly accepting: () => boolean;
  /** Counts a request in flight until its promise settles, so shutdown can wait for it. */
  readonly track: <T>(work: Promise<T>) => Promise<T>;
}

/** Mounts the callback routes on the app. */
export function mountCallbackRoutes(app: RelayApp, options: CallbackRouteOptions): void {
  for (const prefix of ['', TOKEN_PREFIX]) {
    for (const base of CALLBACK_BASES) {
      for (const route of CALLBACK_ROUTES) {
        const path = `${prefix}${base}/${route.name}`;
        app.post(path, (c) => options.track(handleCallback(c, route, options)));
        // A dealer who opens the callback URL in a browser learns it is the right URL, used wrongly.
        app.on(['GET', 'PUT', 'PATCH', 'DELETE'], path, (c) => {
          throw new RelayError('RS_ERR_METHOD_NOT_ALLOWED', {
            path: JSON.stringify(`${base}/${route.name}`),
            method: c.req.method,
          });
        });
      }
    }
  }
}

async function handleCallback(
  c: Context<RelayEnv>,
  route: CallbackRoute,
  options: CallbackRouteOptions,
): Promise<Response> {
  try {
    if (!options.accepting()) throw new RelayError('RS_ERR_RELAY_CLOSING');
    options.guard(c);

    const incoming = c.env?.incoming;
    const source = incoming === undefined ? webBodySource(c.req.raw) : nodeBodySource(incoming);
    const body = await readBody(source, options.maxBodyBytes);

    if (options.upstream !== undefined) {
      const taskId = await observe(route, body, options);
      return await forward(c, route, body, taskId, options.upstream, options);
    }
    if (route.needsUpstream) throw new RelayError('RS_ERR_UPSTREAM_MISSING');

    record(route, route.accept(options, await body.text(), Date.now()), options);
    return c.json(OK_REPLY, 200);
  } catch (error) {
    if (!(error instanceof RelayError)) throw error;
    return reject(c, route.name, error, options);
  }
}

/**
 * Applies a callback that is also forwarded. A rejection is counted and logged, never thrown:
 * the backend's reply, not the relay's reading, decides what the platform receives.
 * Returns the task id for the forward's logs, `undefined` when the body could not be read.
 */
async function observe(
  route: CallbackRoute,
  body: ReceivedBody,
  options: CallbackRouteOptions,
): Promise<number | undefined> {
  try {
    const result = route.accept(options, await body.text(), Date.now());
    record(route, result, options);
    return result.taskId;
  } catch (error) {
    if (!(error instanceof RelayError)) throw error;

    countRejection(route.name, error, options);
    options.rejectionLog.write(
      error.code,
      { route: route.name, code: error.code, reason: error.params, forwarded: true },
      'callback rejected locally, forwarded to the upstream anyway',
    );
    return undefined;
  }
}

async function forward(
  c: Context<RelayEnv>,
  route: CallbackRoute,
  body: ReceivedBody,
  taskId: number | undefined,
  upstream: UpstreamOptions,
  options: CallbackRouteOptions,
): Promise<Response> {
  const target = upstreamTarget(upstream.url, c.req.url);
  const path = new URL(target).pathname;

  try {
    const reply = await forwardToUpstream(upstream, target, c.req.method, body);
    options.metrics.upstreamRequests.inc({ outcome: 'ok' });
    const headers = new Headers();
    if (reply.contentType !== undefined) headers.set('Content-Type', reply.contentType);
    if (reply.contentEncoding !== undefined) headers.set('Content-Encoding', reply.contentEncoding);
    // Statuses such as 204 and 304 must not carry a body, and Response throws if given one.
    const payload = reply.body.length === 0 ? null : new Uint8Array(reply.body);
    return new Response(payload, { status: reply.status, headers });
  } catch (error) {
    if (!(error instanceof RelayError)) throw error;

    const failure = String(error.params.failure ?? 'failed');
    options.metrics.upstreamRequests.inc({ outcome: failure });
    options.upstreamLog.write(
      failure,
      { route: route.name, path, taskId: taskId ?? null, code: error.code, reason: error.params },
      'forward to the upstream failed',
    );
    throw error;
  }
}

function record(route: CallbackRoute, result: AcceptResult, options: CallbackRouteOptions): void {
  options.metrics.callbacks.inc({ route: route.name, outcome: result.outcome });
  options.logger.debug(
    {
      route: route.name,
      taskId: result.taskId,
      frameIndex: result.frameIndex,
      outcome: result.outcome,
      staleReason: result.staleReason,
      seq: result.published?.event.seq,
    },
    'callback accepted',
  );
}

function countRejection(route: string, error: RelayError, options: CallbackRouteOptions): void {
  options.metrics.callbacks.inc({ route, outcome: 'rejected' });
  options.metrics.rejections.inc({ code: error.code });
  if (error.code === 'RS_ERR_BODY_TOO_LARGE')
    options.metrics.limitHits.inc({ limit: 'body_bytes' });
  if (error.code === 'RS_ERR_RATE_LIMITED') options.metrics.limitHits.inc({ limit: 'ingest_rate' });
}

function reject(
  c: Context<RelayEnv>,
  route: string,
  error: RelayError,
  options: CallbackRouteOptions,
): Response {
  countRejection(route, error, options);
  options.rejectionLog.write(
    error.code,
    { route, code: error.code, status: error.status, reason: error.params },
    'callback rejected',
  );
  // The rest of an oversized body is never read, so the connection cannot carry another request.
  if (error.code === 'RS_ERR_BODY_TOO_LARGE') c.header('Connection', 'close');

  const retryAfter = error.params.retryAfterSeconds;
  if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
  c.header('X-Relay-Error', error.code);
  return c.json(failureReply(error), error.status as 400);
}
