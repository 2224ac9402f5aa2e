import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { baseTask, type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import { openSocket, tcpOf, within } from './support.js';

const TASK_ID = 67721;
const SOCKETS = 5;
const BODY_TARGET_BYTES = 3 * 1024 * 1024;
const BODY_CHUNKS = 16;
/** Pause between body chunks, so the whole body takes about one second to send. */
const CHUNK_PAUSE_MS = 60;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI_PATH = join(ROOT, 'dist/cli/main.js');
/** `serve` imports the simulator for `--demo`, so the CLI cannot load without it. */
const SIMULATOR_SOURCE = join(ROOT, 'src/simulate/simulator.ts');
const CLI_BUILDABLE = existsSync(SIMULATOR_SOURCE);
/** Time the CLI gets to print its banner, then to exit after SIGTERM. */
const CLI_STEP_TIMEOUT_MS = 10_000;

/** A callback body of about `BODY_TARGET_BYTES`: the task with enough output files. */
function largeBody(): Buffer {
  const file = (index: number) => ({
    name: `/2024-05-01/${TASK_ID}-shutdown-frames/pass-${index}.beauty.0000.exr`,
    size: 1_048_576,
    time: 1714521600,
    isdir: false,
  });
  const fileBytes = JSON.stringify(file(0)).length + 1;
  const count = Math.ceil(BODY_TARGET_BYTES / fileBytes);
  const files = Array.from({ length: count }, (_, index) => file(index));
  return Buffer.from(JSON.stringify(baseTask({ ID: TASK_ID, RenderOutputFiles: files })));
}

interface SlowPost {
  /** Resolves once the relay has sent `100 Continue`, so its handler has started. */
  readonly started: Promise<void>;
  /** Writes the body in paced chunks and resolves with the reply. */
  send(): Promise<{ status: number; body: { error_code: number } }>;
}

/** Starts a callback POST whose body the test sends later, slowly. */
function slowPost(url: string, body: Buffer): SlowPost {
  const target = new URL('/api/task/updateinfo', url);
  const post = request({
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Content-Length': String(body.length),
      Expect: '100-continue',
    },
  });
  const reply = new Promise<{ status: number; body: { error_code: number } }>((resolve, reject) => {
    post.once('error', reject);
    post.once('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.once('end', () =>
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }),
      );
    });
  });
  post.flushHeaders();

  return {
    started: once(post, 'continue').then(() => undefined),
    async send() {
      const chunkBytes = Math.ceil(body.length / BODY_CHUNKS);
      for (let offset = 0; offset < body.length; offset += chunkBytes) {
        post.write(body.subarray(offset, offset + chunkBytes));
        await new Promise((resolve) => setTimeout(resolve, CHUNK_PAUSE_MS));
      }
      post.end();
      return reply;
    },
  };
}

describe('shutdown', () => {
  let running: RunningRelay | undefined;
  const clients: TestClient[] = [];
  const sockets: WebSocket[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    for (const socket of sockets.splice(0)) socket.terminate();
    await running?.close();
    running = undefined;
  });

  it('finishes the callback in flight', async () => {
    running = await startRelay({ shutdownTimeoutMs: 5000 });
    const relay = running.relay;
    for (let i = 0; i < SOCKETS; i += 1) clients.push(await TestClient.connect(running.wsUrl));
    const [subscriber] = clients;
    if (subscriber === undefined) throw new Error('no client connected');
    await subscriber.subscribe({ id: 's1', taskIds: [TASK_ID] });
    const body = largeBody();
    expect(body.length).toBeGreaterThanOrEqual(BODY_TARGET_BYTES);

    const post = slowPost(running.url, body);
    await post.started;
    const closing = relay.close();
    const reply = post.send();

    // The listener stops taking connections at once, so these requests go to the app in process.
    expect(relay.state).toBe('closing');
    const ready = await relay.app.request('/readyz');
    expect(ready.status).toBe(503);
    const late = await relay.app.request('/api/task/updateinfo', {
      method: 'POST',
      body: JSON.stringify(baseTask({ ID: TASK_ID + 1 })),
    });
    expect(late.status).toBe(503);
    expect(((await late.json()) as { error_code: number }).error_code).toBe(1);

    // The handler checked `accepting()` before close() began, so the relay owes it a 200.
    const { status, body: replyBody } = await reply;
    expect(status).toBe(200);
    expect(replyBody.error_code).toBe(0);
    const codes = await Promise.all(clients.map(async (client) => (await client.closed).code));
    expect(codes).toEqual(Array(SOCKETS).fill(1001));
    await closing;
    expect(relay.state).toBe('closed');

    const events = subscriber.events();
    expect(events.map((event) => event.type)).toEqual(['task.created']);
    expect(events.map((event) => (event.task as { id: number }).id)).toEqual([TASK_ID]);
  });

  it('completes with a stalled reader', async () => {
    running = await startRelay();
    const stalled = await openSocket(running.wsUrl);
    sockets.push(stalled);
    tcpOf(stalled).pause();

    // The stalled client never reads the close frame, so only the relay's grace period ends it.
    await within(running.relay.close(), 'relay.close() to resolve', 10_000);

    expect(running.relay.state).toBe('closed');
    expect(running.relay.ws.openSockets).toBe(0);
  });

  it('resolves a second close call', async () => {
    running = await startRelay();
    clients.push(await TestClient.connect(running.wsUrl));

    await Promise.all([running.relay.close(), running.relay.close()]);

    expect((await clients[0]?.closed)?.code).toBe(1001);
    expect(running.relay.state).toBe('closed');
  });
});

/** Reports whether any file under `dir` changed after `since` (epoch ms). */
function changedSince(dir: string, since: number): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() ? changedSince(path, since) : statSync(path).mtimeMs > since) {
      return true;
    }
  }
  return false;
}

/** Returns the test's environment without RELAY_* settings, so only the flags configure the CLI. */
function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { RELAY_LOG_LEVEL: 'warn' };
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('RELAY_')) env[key] = value;
  }
  return env;
}

describe('CLI shutdown', () => {
  let child: ChildProcess | undefined;
  let client: TestClient | undefined;

  beforeAll(() => {
    if (!CLI_BUILDABLE) return;
    const built = existsSync(CLI_PATH) && existsSync(join(ROOT, 'dist/simulate/simulator.js'));
    if (built && !changedSince(join(ROOT, 'src'), statSync(CLI_PATH).mtimeMs)) return;
    try {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'pipe' });
    } catch (error) {
      const output = String((error as { stdout?: Buffer }).stdout ?? '').slice(0, 4000);
      throw new Error(`npx tsc -p tsconfig.json failed, so dist/ may be stale:\n${output}`);
    }
  }, 120_000);

  afterEach(async () => {
    await client?.close();
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, 'SIGKILL');
    }
    client = undefined;
    child = undefined;
  });

  it.skipIf(!CLI_BUILDABLE)(
    CLI_BUILDABLE
      ? 'exits 0 on SIGTERM'
      : 'exits 0 on SIGTERM (skipped: src/simulate/simulator.ts missing)',
    async () => {
      const serve = spawn(
        process.execPath,
        [CLI_PATH, 'serve', '--host', '127.0.0.1', '--port', '0', '--lang', 'en'],
        { cwd: ROOT, env: cliEnv(), stdio: 'pipe' },
      );
      child = serve;
      const exited = once(serve, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      let stdout = '';
      serve.stdout.setEncoding('utf8');
      const url = await within(
        new Promise<string>((resolve) => {
          serve.stdout.on('data', (chunk: string) => {
            stdout += chunk;
            const match = /http:\/\/127\.0\.0\.1:\d+/.exec(stdout);
            if (match !== null) resolve(match[0]);
          });
        }),
        'the CLI banner',
        CLI_STEP_TIMEOUT_MS,
      );
      client = await TestClient.connect(`${url.replace(/^http/, 'ws')}/ws`);

      if (serve.pid === undefined) throw new Error('the CLI process has no pid');
      process.kill(serve.pid, 'SIGTERM');

      const [code, signal] = await within(exited, 'the CLI to exit', CLI_STEP_TIMEOUT_MS);
      expect(signal).toBeNull();
      expect(code).toBe(0);
      expect((await client.closed).code).toBe(1001);
    },
    30_000,
  );
});
