/**
 * Starts a real relay on 127.0.0.1 and a free port, with logs captured in memory.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { DEFAULTS, type RelayConfig } from '../../src/config.js';
import { createRelay, type Relay } from '../../src/relay.js';

/** A log record as pino writes it. */
export type LogRecord = Record<string, unknown> & { level: number; msg: string };

export interface RunningRelay {
  readonly relay: Relay;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `ws://127.0.0.1:<port>/ws` */
  readonly wsUrl: string;
  readonly logs: LogRecord[];
  close(): Promise<void>;
}

/** Starts a relay with test-friendly settings; `overrides` replace any setting. */
export async function startRelay(overrides: Partial<RelayConfig> = {}): Promise<RunningRelay> {
  const logs: LogRecord[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) {
        if (line !== '') logs.push(JSON.parse(line) as LogRecord);
      }
      done();
    },
  });

  const config: RelayConfig = { ...DEFAULTS, port: 0, shutdownTimeoutMs: 2000, ...overrides };
  const relay = createRelay(config, { logger: pino({ level: 'debug' }, sink) });
  const url = await relay.listen();
  return {
    relay,
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/ws`,
    logs,
    close: () => relay.close(),
  };
}

/** The platform's documented example callback, verbatim (trailing commas and `False` included). */
export const DOCUMENTED_EXAMPLE = readFileSync(
  new URL('../fixtures/documented-example.json', import.meta.url),
  'utf8',
);

/** A minimal valid callback body; fields can be replaced. */
export function baseTask(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ID: 67721,
    Name: 'box',
    Owner: 1601,
    OwnerName: 'u1',
    AgencyUserID: 3,
    CreateTime: 1574318124,
    Type: 1,
    Status: 1,
    Gross: 38,
    StartTime: 1574318212,
    CompletedTime: 0,
    MachineLimit: 96,
    Services: 4,
    LightJobGross: 2,
    RenderZipFile: '/a.zip',
    Camera: 'Camera01',
    Action: 1,
    ...fields,
  };
}

export interface PostResult {
  readonly status: number;
  readonly body: { error_code: number; error_msg: string; code?: string };
}

/** Posts a callback body (an object is sent as JSON, a string or buffer as is). */
export async function postCallback(
  url: string,
  route: string,
  body: unknown,
  init: { headers?: Record<string, string> } = {},
): Promise<PostResult> {
  const payload =
    typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  const response = await fetch(`${url}${route.startsWith('/') ? route : `/api/task/${route}`}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...init.headers },
    body: payload,
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as PostResult['body'] };
}
