/**
 * The relay every benchmark section starts: the embedded defaults on 127.0.0.1 and a free port,
 * with a logger that drops everything.
 */
import { DEFAULTS, type RelayConfig } from '../src/config.js';
import type { IngestDeps } from '../src/ingest/accept-task.js';
import { silentLogger } from '../src/observability/log.js';
import { createRelay, type Relay } from '../src/relay.js';

/** Hosts the benchmarks may send traffic to. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', '[::1]']);

/** Creates a relay with the default settings, bound to loopback. Nothing listens until `listen()`. */
export function createBenchRelay(overrides: Partial<RelayConfig> = {}): Relay {
  // The per-address rate limits would measure themselves: one load generator is one address.
  const config: RelayConfig = {
    ...DEFAULTS,
    host: '127.0.0.1',
    port: 0,
    ingestRatePerSecond: 1_000_000,
    ingestBurst: 1_000_000,
    upgradeRatePerSecond: 1_000_000,
    upgradeBurst: 1_000_000,
    ...overrides,
  };
  return createRelay(config, { logger: silentLogger() });
}

/** Returns the relay's store and event log in the shape `acceptTaskCallback` takes. */
export function ingestDeps(relay: Relay): IngestDeps {
  return { store: relay.store, log: relay.events };
}

/** Throws unless the URL points at a loopback address, so no benchmark traffic leaves the machine. */
export function assertLoopback(url: string): URL {
  const parsed = new URL(url);
  if (!LOOPBACK_HOSTS.has(parsed.hostname)) {
    throw new Error(
      `refusing to send benchmark traffic to ${parsed.hostname}: only 127.0.0.1 and ::1 are allowed`,
    );
  }
  return parsed;
}
