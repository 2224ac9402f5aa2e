/**
 * Serves the live dashboard (`GET /`, `/dashboard.js`, `/dashboard.css`) from `dist/public`,
 * which `npm run build` fills. Every response carries a Content-Security-Policy that allows
 * no inline script, so a platform string that reaches the page as markup cannot run.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';
import type { RelayApp, RelayEnv } from './env.js';

/** `dist/public`, reached the same way from `src/http` (tests) and `dist/http` (the build). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dist/public/', import.meta.url));

export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: MiddlewareHandler<RelayEnv> = async (c, next) => {
  await next();
  if (c.res.status >= 400) return;
  c.header('Content-Security-Policy', DASHBOARD_CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
};

/**
 * Mounts the dashboard files. Without a build (`dist/public` missing) nothing is mounted and
 * `/` returns the usual JSON 404.
 */
export function mountDashboard(app: RelayApp, dir: string = DASHBOARD_DIR): void {
  if (!existsSync(dir)) return;

  const files = serveStatic<RelayEnv>({ root: dir });
  app.get('/', securityHeaders, serveStatic<RelayEnv>({ root: dir, path: 'index.html' }));
  for (const name of ['/index.html', '/dashboard.js', '/dashboard.css', '/dashboard.js.map']) {
    app.get(name, securityHeaders, files);
  }
}
