/**
 * The Hono application: error handling shared by every route, and the fallback for unknown paths.
 */
import { Hono } from 'hono';
import { RelayError } from '../errors.js';
import type { Logger } from '../observability/log.js';
import { failureReply } from '../protocol/reply.js';
import type { RelayApp, RelayEnv } from './env.js';

const CALLBACK_PATH = /^(\/t\/[^/]+)?\/api\/(task|frame)\//;

/** Returns a path safe to log or echo: a callback token in `/t/<token>/` is masked. */
export function redactPath(path: string): string {
  return path.replace(/^\/t\/[^/]+/, '/t/[redacted]');
}

/**
 * Creates the app with JSON errors. Callback paths reply in the platform's envelope
 * (`error_code`, `error_msg`); every other route replies `{ code, message }`.
 */
export function createApp(logger: Logger): RelayApp {
  const app = new Hono<RelayEnv>();

  app.onError((error, c) => {
    const relayError =
      error instanceof RelayError ? error : new RelayError('RS_ERR_RELAY_INTERNAL');
    if (!(error instanceof RelayError)) {
      logger.error(
        { err: error, method: c.req.method, path: redactPath(c.req.path) },
        'request failed',
      );
    }

    const status = relayError.status as 400;
    // A rejected WebSocket upgrade loses its body in the Node adapter, so the code is a header too.
    c.header('X-Relay-Error', relayError.code);
    const retryAfter = relayError.params.retryAfterSeconds;
    if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));

    if (CALLBACK_PATH.test(c.req.path)) return c.json(failureReply(relayError), status);
    return c.json({ code: relayError.code, message: relayError.message }, status);
  });

  app.notFound((c) => {
    const error = new RelayError('RS_ERR_ROUTE_NOT_FOUND', {
      path: JSON.stringify(redactPath(c.req.path).slice(0, 200)),
    });
    if (CALLBACK_PATH.test(c.req.path)) return c.json(failureReply(error), 404);
    return c.json({ code: error.code, message: error.message }, 404);
  });

  return app;
}
