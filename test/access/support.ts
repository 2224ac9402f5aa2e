/**
 * Shared pieces of the access-control tests: upgrade attempts that report a rejection's status
 * and headers, metric reads by label, hand-made JWTs, and the built CLI run as a child process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { within } from '../helpers/wait.js';

/** A subscriber-token secret of the minimum accepted length and more. */
export const SECRET = 'x'.repeat(40);

/** The project root, two folders above this file. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The built command line entry point. */
export const CLI_PATH = join(ROOT, 'dist', 'cli', 'main.js');

/** How an upgrade attempt ended: the socket opened, or the relay rejected it with an HTTP status. */
export type UpgradeOutcome =
  | { readonly kind: 'open'; readonly socket: WebSocket }
  | {
      readonly kind: 'rejected';
      readonly status: number;
      readonly errorCode: string | undefined;
      readonly retryAfter: string | undefined;
    };

/**
 * Attempts one upgrade and resolves with its outcome. A rejected upgrade loses its body in the
 * Node adapter, so the error code comes from the `X-Relay-Error` header. A network error rejects.
 */
export function attemptUpgrade(
  wsUrl: string,
  options: WebSocket.ClientOptions = {},
): Promise<UpgradeOutcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, options);
    socket.once('open', () => resolve({ kind: 'open', socket }));
    socket.once('unexpected-response', (_request, response: IncomingMessage) => {
      resolve({
        kind: 'rejected',
        status: response.statusCode ?? 0,
        errorCode: response.headers['x-relay-error'] as string | undefined,
        retryAfter: response.headers['retry-after'],
      });
      response.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** Closes a `ws` client if it is still open and waits for its close event, at most 2 s. */
export async function closeSocket(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.close();
  await within(closed, 'a test client to close', 2000).catch(() => socket.terminate());
}

export { within } from '../helpers/wait.js';

/** Scrapes `/metrics` and returns its text. */
export async function scrapeMetrics(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

/** Returns the sample of `name` whose labels include `code="<code>"`, or 0 when absent. */
export async function readCodeCounter(url: string, name: string, code: string): Promise<number> {
  const text = await scrapeMetrics(url);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) || !line.includes(`code="${code}"`)) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

/** A JSON reply with its status and headers. */
export interface JsonReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
  /** The raw body text, for checks that a value appears nowhere in it. */
  readonly text: string;
}

/** Sends a GET and reads the JSON reply. */
export async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<JsonReply> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(text) as Record<string, unknown>,
    text,
  };
}

const base64Url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/**
 * Builds a JWT by hand: any header, any payload. `hmac` signs with that HMAC hash and `secret`;
 * without it the signature part is empty, as for `alg: none`.
 */
export function handMadeJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signing?: { readonly hmac: 'sha256' | 'sha512'; readonly secret: string },
): string {
  const signingInput = `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(payload))}`;
  if (signing === undefined) return `${signingInput}.`;

  const signature = createHmac(signing.hmac, signing.secret).update(signingInput).digest();
  return `${signingInput}.${base64Url(signature)}`;
}

/** Seconds since the Unix epoch, as JWT claims count time. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** What a finished child process wrote and how it ended. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Child processes still running, so `afterEach` can end them by PID. */
export const runningChildren = new Set<ChildProcess>();

/** Kills every child process this suite started that is still running. */
export function killRunningChildren(): void {
  for (const child of runningChildren) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  runningChildren.clear();
}

/**
 * Runs `node dist/cli/main.js ...args` with exactly `env` (plus PATH) and resolves when it exits.
 * The child is killed after `timeoutMs`; the result then shows the signal.
 */
export function runCli(
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 10_000,
): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  runningChildren.add(child);

  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += String(chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += String(chunk);
  });

  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      runningChildren.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      runningChildren.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Returns the newest modification time of any file under `folder`, in milliseconds. */
function newestMtimeMs(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Reports whether `dist/cli/main.js` is missing or older than any file under `src/`. */
export function cliBuildIsStale(): boolean {
  let builtAtMs: number;
  try {
    builtAtMs = statSync(CLI_PATH).mtimeMs;
  } catch {
    return true;
  }
  return newestMtimeMs(join(ROOT, 'src')) > builtAtMs;
}

/**
 * Builds `dist/` with the project's TypeScript when the CLI build is missing or stale.
 *
 * @throws Error with the compiler's output when the build fails
 */
export async function ensureCliBuilt(): Promise<void> {
  if (!cliBuildIsStale()) return;

  const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
  const result = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(tsc, ['-p', 'tsconfig.json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    runningChildren.add(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += String(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += String(chunk);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      runningChildren.delete(child);
      resolve({ code, output });
    });
  });
  if (result.code !== 0) throw new Error(`tsc -p tsconfig.json failed:\n${result.output}`);
}
