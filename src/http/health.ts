/**
 * Liveness, readiness and metrics routes for operators and orchestrators.
 */
import type { RelayMetrics } from '../observability/metrics.js';
import type { RelayApp } from './env.js';

export interface HealthRouteOptions {
  readonly metrics: RelayMetrics;
  /** Whether the relay takes callbacks and subscribers; false while it shuts down. */
  readonly ready: () => boolean;
}

/** Mounts `/healthz`, `/readyz` and `/metrics`. */
export function mountHealthRoutes(app: RelayApp, { metrics, ready }: HealthRouteOptions): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', (c) =>
    ready() ? c.json({ status: 'ready' }) : c.json({ status: 'closing' }, 503),
  );

  app.get('/metrics', async (c) => {
    const text = await metrics.registry.metrics();
    return c.text(text, 200, { 'Content-Type': metrics.registry.contentType });
  });
}
