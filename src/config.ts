/**
 * The relay's configuration: defaults, then environment variables `RELAY_<NAME>`, then command
 * line flags `--<name>`, validated once. Durations end in `Ms`, sizes in `Bytes`; both also
 * read values with units, such as `16MiB` or `24h`.
 */
import { isIP } from 'node:net';
import { parseAllowList } from './access/cidr.js';
import { parseOrigins } from './access/origins.js';

/** The relay's validated settings. */
export interface RelayConfig {
  /** Address to listen on. @default '127.0.0.1' */
  host: string;
  /** TCP port; 0 picks a free one. @default 8080 */
  port: number;
  /** Serve anonymous full access on a non-loopback address. @default false */
  allowAnonymous: boolean;
  /** Largest callback body, after decompression. @default 16 MiB */
  maxBodyBytes: number;
  /** Tasks cached at once. @default 100000 */
  maxTasks: number;
  /** Estimated memory of the task cache. @default 512 MiB */
  maxCacheBytes: number;
  /** How long finished tasks and deletions are kept. @default 24 h */
  retentionMs: number;
  /** How long an exact copy of an earlier state counts as a resend. @default 10 min */
  duplicateWindowMs: number;
  /** Deleted task ids remembered at once. @default 100000 */
  maxTombstones: number;
  /** Events kept for resume. @default 10000 */
  maxHistoryEvents: number;
  /** Encoded bytes kept for resume. @default 64 MiB */
  maxHistoryBytes: number;
  /** Send buffer of one subscriber before it is closed as slow. @default 4 MiB */
  maxBufferedBytes: number;
  /** Open subscriber connections. @default 10000 */
  maxConnections: number;
  /** Subscriptions on one connection. @default 32 */
  maxSubscriptionsPerConnection: number;
  /** Tasks in one snapshot. @default 10000 */
  maxSnapshotTasks: number;
  /** Largest client WebSocket frame. @default 64 KiB */
  maxPayloadBytes: number;
  /** Invalid client frames per minute before the connection is closed. @default 10 */
  maxInvalidFrames: number;
  /** Interval of WebSocket pings and heartbeat frames. @default 25 s */
  heartbeatIntervalMs: number;
  /** How long a shutdown waits for callbacks in flight. @default 10 s */
  shutdownTimeoutMs: number;
  /** Interval of the expiry sweep and of the limit log summaries. @default 60 s */
  sweepIntervalMs: number;
  /** pino log level. @default 'info' */
  logLevel: string;
  /** HS256 secret for subscriber tokens; empty means anonymous mode (loopback only). @default '' */
  jwtSecret: string;
  /** Token the platform must send with every callback; empty means none. @default '' */
  ingestToken: string;
  /** Comma-separated CIDRs allowed to post callbacks; empty means any address. @default '' */
  ingestAllow: string;
  /** Read the client address from X-Forwarded-For, as set by the operator's proxy. @default false */
  trustProxy: boolean;
  /** Comma-separated origins allowed to open the socket or the stream; empty means any. @default '' */
  allowedOrigins: string;
  /** Callbacks per second from one address, sustained. @default 10000 */
  ingestRatePerSecond: number;
  /** Callbacks one address may send in a burst above the sustained rate. @default 20000 */
  ingestBurst: number;
  /** Socket upgrades per second from one address, sustained. @default 20 */
  upgradeRatePerSecond: number;
  /** Socket upgrades one address may open in a burst. @default 200 */
  upgradeBurst: number;
  /** Frames kept per task. @default 10000 */
  maxFramesPerTask: number;
  /** Frames kept in total for tasks not cached yet. @default 10000 */
  maxPendingFrames: number;
  /**
   * The dealer's own backend: every callback is also forwarded to the same path under this
   * http(s) URL, and the platform receives the backend's reply. Empty forwards nothing. @default ''
   */
  upstreamUrl: string;
  /** How long a forwarded callback may take before the platform gets 504. @default 10 s */
  upstreamTimeoutMs: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The embedded defaults: a single in-memory relay on loopback. */
export const DEFAULTS: Readonly<RelayConfig> = Object.freeze({
  host: '127.0.0.1',
  port: 8080,
  allowAnonymous: false,
  maxBodyBytes: 16 * MiB,
  maxTasks: 100_000,
  maxCacheBytes: 512 * MiB,
  retentionMs: 24 * HOUR_MS,
  duplicateWindowMs: 10 * MINUTE_MS,
  maxTombstones: 100_000,
  maxHistoryEvents: 10_000,
  maxHistoryBytes: 64 * MiB,
  maxBufferedBytes: 4 * MiB,
  maxConnections: 10_000,
  maxSubscriptionsPerConnection: 32,
  maxSnapshotTasks: 10_000,
  maxPayloadBytes: 64 * KiB,
  maxInvalidFrames: 10,
  heartbeatIntervalMs: 25_000,
  shutdownTimeoutMs: 10_000,
  sweepIntervalMs: MINUTE_MS,
  logLevel: 'info',
  jwtSecret: '',
  ingestToken: '',
  ingestAllow: '',
  trustProxy: false,
  allowedOrigins: '',
  ingestRatePerSecond: 10_000,
  ingestBurst: 20_000,
  upgradeRatePerSecond: 20,
  upgradeBurst: 200,
  maxFramesPerTask: 10_000,
  maxPendingFrames: 10_000,
  upstreamUrl: '',
  upstreamTimeoutMs: 10_000,
});

type Kind = 'string' | 'secret' | 'boolean' | 'count' | 'bytes' | 'ms' | 'port';

const KINDS: Record<keyof RelayConfig, Kind> = {
  host: 'string',
  port: 'port',
  allowAnonymous: 'boolean',
  maxBodyBytes: 'bytes',
  maxTasks: 'count',
  maxCacheBytes: 'bytes',
  retentionMs: 'ms',
  duplicateWindowMs: 'ms',
  maxTombstones: 'count',
  maxHistoryEvents: 'count',
  maxHistoryBytes: 'bytes',
  maxBufferedBytes: 'bytes',
  maxConnections: 'count',
  maxSubscriptionsPerConnection: 'count',
  maxSnapshotTasks: 'count',
  maxPayloadBytes: 'bytes',
  maxInvalidFrames: 'count',
  heartbeatIntervalMs: 'ms',
  shutdownTimeoutMs: 'ms',
  sweepIntervalMs: 'ms',
  logLevel: 'string',
  jwtSecret: 'secret',
  ingestToken: 'secret',
  ingestAllow: 'string',
  trustProxy: 'boolean',
  allowedOrigins: 'string',
  ingestRatePerSecond: 'count',
  ingestBurst: 'count',
  upgradeRatePerSecond: 'count',
  upgradeBurst: 'count',
  maxFramesPerTask: 'count',
  maxPendingFrames: 'count',
  upstreamUrl: 'string',
  upstreamTimeoutMs: 'ms',
};

/** Settings whose values never appear in logs or messages. */
export const SECRET_SETTINGS = (Object.keys(KINDS) as (keyof RelayConfig)[]).filter(
  (key) => KINDS[key] === 'secret',
);

/** Returns a copy fit for logs: each secret reads `[set]` or `[empty]`, never its value. */
export function redactConfig(config: RelayConfig): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...config };
  for (const key of SECRET_SETTINGS) copy[key] = config[key] === '' ? '[empty]' : '[set]';
  return copy;
}

/** The names of every setting, for help texts. */
export const SETTING_NAMES = Object.keys(KINDS) as (keyof RelayConfig)[];

/** `maxBodyBytes` → `RELAY_MAX_BODY_BYTES`. */
export function envName(key: string): string {
  return `RELAY_${key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
}

/** `maxBodyBytes` → `--max-body-bytes (RELAY_MAX_BODY_BYTES)`, for messages about a setting from either source. */
export function settingLabel(key: string): string {
  return `--${flagName(key)} (${envName(key)})`;
}

/** `maxBodyBytes` → `max-body-bytes`. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1000,
  kib: KiB,
  mb: 1000 ** 2,
  mib: MiB,
  gb: 1000 ** 3,
  gib: 1024 * MiB,
};
const TIME_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: MINUTE_MS,
  min: MINUTE_MS,
  h: HOUR_MS,
  d: 24 * HOUR_MS,
};

/** Units a quantity of each kind may carry; the other kinds take plain numbers only. */
const UNITS_BY_KIND: Partial<Record<Kind, Record<string, number>>> = {
  bytes: BYTE_UNITS,
  ms: TIME_UNITS,
};

/** A setting that could not be read, naming where it came from and how to fix it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Resolves the configuration from defaults, environment and flags (flags win), then validates it.
 *
 * @param flags values from the command line, by setting name, as strings or already typed
 * @throws ConfigError naming the setting, its source, the value received and what is allowed
 * @example
 * resolveConfig({ RELAY_PORT: '9000' }, { host: '127.0.0.1' });
 */
export function resolveConfig(
  env: Readonly<Record<string, string | undefined>>,
  flags: Readonly<Partial<Record<keyof RelayConfig, string | number | boolean>>> = {},
): RelayConfig {
  const config: RelayConfig = { ...DEFAULTS };
  const target = config as unknown as Record<string, unknown>;

  for (const key of SETTING_NAMES) {
    const fromEnv = env[envName(key)];
    if (fromEnv !== undefined && fromEnv !== '')
      target[key] = readSetting(key, fromEnv, envName(key));

    const fromFlag = flags[key];
    if (fromFlag !== undefined) target[key] = readSetting(key, fromFlag, `--${flagName(key)}`);
  }

  validateConfig(config);
  return config;
}

function readSetting(
  key: keyof RelayConfig,
  raw: string | number | boolean,
  source: string,
): unknown {
  const kind = KINDS[key];
  if (kind === 'string' || kind === 'secret') return String(raw).trim();
  if (kind === 'boolean') return readBoolean(raw, source);

  const value = typeof raw === 'number' ? raw : readQuantity(String(raw), kind);
  if (value === undefined || !Number.isSafeInteger(value) || value < 0) {
    throw new ConfigError(
      `invalid ${source}: expected ${describeKind(kind)}, received ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function readBoolean(raw: string | number | boolean, source: string): boolean {
  if (raw === true || raw === 'true' || raw === '1' || raw === 1) return true;
  if (raw === false || raw === 'false' || raw === '0' || raw === 0) return false;
  throw new ConfigError(
    `invalid ${source}: expected true or false, received ${JSON.stringify(raw)}`,
  );
}

/** Reads a duration such as `24h`, `90s` or `1500` (milliseconds); `undefined` when invalid. */
export function parseDurationMs(text: string): number | undefined {
  const value = readQuantity(text, 'ms');
  return value !== undefined && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function readQuantity(text: string, kind: Kind): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (match === null) return undefined;

  const amount = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  if (unit === '') return amount;

  const units = UNITS_BY_KIND[kind] ?? {};
  const factor = units[unit];
  return factor === undefined ? undefined : Math.round(amount * factor);
}

function describeKind(kind: Kind): string {
  if (kind === 'bytes') return 'a size in bytes, such as 4194304 or 4MiB';
  if (kind === 'ms') return 'a duration in milliseconds, such as 25000 or 25s';
  if (kind === 'port') return 'a port from 0 to 65535';
  return 'a whole number';
}

const POSITIVE: readonly (keyof RelayConfig)[] = [
  'maxBodyBytes',
  'maxTasks',
  'maxCacheBytes',
  'maxHistoryEvents',
  'maxHistoryBytes',
  'maxBufferedBytes',
  'maxConnections',
  'maxSubscriptionsPerConnection',
  'maxPayloadBytes',
  'maxInvalidFrames',
  'heartbeatIntervalMs',
  'sweepIntervalMs',
  'ingestRatePerSecond',
  'ingestBurst',
  'upgradeRatePerSecond',
  'upgradeBurst',
  'maxFramesPerTask',
  'maxPendingFrames',
  'upstreamTimeoutMs',
];

/** Checks ranges and combinations. @throws ConfigError */
export function validateConfig(config: RelayConfig): void {
  if (config.port > 65535) {
    throw new ConfigError(
      `invalid ${settingLabel('port')}: expected a port from 0 to 65535, received ${config.port}`,
    );
  }

  for (const key of POSITIVE) {
    if (config[key] === 0)
      throw new ConfigError(`invalid ${settingLabel(key)}: expected a value above 0, received 0`);
  }

  if (!isLoopback(config.host) && config.jwtSecret === '' && !config.allowAnonymous) {
    throw new ConfigError(
      `refusing to listen on ${config.host} without subscriber tokens: anonymous mode serves every ` +
        `task to anyone who connects. Set ${envName('jwtSecret')} (--jwt-secret, at least ` +
        `${MIN_JWT_SECRET_LENGTH} characters) to require tokens, or set ` +
        `${envName('allowAnonymous')}=true (--allow-anonymous) to accept that risk.`,
    );
  }

  if (config.jwtSecret !== '' && config.jwtSecret.length < MIN_JWT_SECRET_LENGTH) {
    throw new ConfigError(
      `invalid ${settingLabel('jwtSecret')}: expected at least ${MIN_JWT_SECRET_LENGTH} characters, ` +
        `received ${config.jwtSecret.length}. Generate one with: openssl rand -base64 48`,
    );
  }

  if (config.upstreamUrl !== '') checkUpstreamUrl(config.upstreamUrl);
  if (!LOG_LEVELS.includes(config.logLevel)) {
    throw new ConfigError(
      `invalid ${settingLabel('logLevel')}: expected one of ${LOG_LEVELS.join(', ')}, received ${JSON.stringify(config.logLevel)}`,
    );
  }

  checkList(envName('ingestAllow'), () => parseAllowList(config.ingestAllow));
  checkList(envName('allowedOrigins'), () => parseOrigins(config.allowedOrigins));
}

/** Accepts an absolute http(s) URL without query, fragment or credentials. @throws ConfigError */
function checkUpstreamUrl(value: string): void {
  const source = envName('upstreamUrl');
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(
      `invalid ${source}: expected an absolute http or https URL such as http://127.0.0.1:9000, received ${JSON.stringify(value)}`,
    );
  }

  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(
      `invalid ${source}: expected an http or https URL, received the scheme ${parsed.protocol}`,
    );
  }
  // Callback paths and query strings are appended to it, and credentials would reach logs.
  if (
    parsed.search !== '' ||
    parsed.hash !== '' ||
    parsed.username !== '' ||
    parsed.password !== ''
  ) {
    throw new ConfigError(
      `invalid ${source}: expected a URL without query, fragment, user name or password`,
    );
  }
}

/** pino's level names. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Shortest accepted HS256 secret: 32 characters, 256 bits when they are random bytes in hex. */
export const MIN_JWT_SECRET_LENGTH = 32;

function checkList(source: string, parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new ConfigError(`${source}: ${error.message}`);
  }
}

/** Reports whether a host name or address is on the loopback interface. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}
