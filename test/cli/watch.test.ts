import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runSimulator } from '../../src/simulate/simulator.js';
import { CLI_PATH, ensureCliBuilt, ROOT } from '../access/support.js';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';

/** A running `render-relay watch` and what it printed so far. */
class WatchProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly #checks = new Set<() => void>();

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [CLI_PATH, 'watch', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.stdout += String(chunk);
      for (const check of [...this.#checks]) check();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += String(chunk);
      for (const check of [...this.#checks]) check();
    });
  }

  /** Complete stdout lines; a line still being written is left out. */
  lines(): string[] {
    const complete = this.stdout.slice(0, this.stdout.lastIndexOf('\n') + 1);
    return complete.split('\n').filter((line) => line !== '');
  }

  /** Resolves once `condition` holds after some output; rejects after `timeoutMs`. */
  waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        this.#checks.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#checks.delete(check);
        reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr.slice(-500)}`));
      }, timeoutMs);
      this.#checks.add(check);
    });
  }

  /** Sends SIGINT by PID and resolves with the exit code. */
  async interrupt(): Promise<number | null> {
    const exited = once(this.child, 'exit') as Promise<[number | null, string | null]>;
    if (this.child.pid === undefined) throw new Error('the watch process has no pid');
    process.kill(this.child.pid, 'SIGINT');
    const [code] = await exited;
    return code;
  }
}

describe('watch command', () => {
  let running: RunningRelay | undefined;
  let watch: WatchProcess | undefined;

  beforeAll(() => ensureCliBuilt(), 120_000);

  afterEach(async () => {
    const child = watch?.child;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, 'SIGKILL');
    }
    watch = undefined;
    await running?.close();
  });

  it('prints Chinese lines per event', async () => {
    running = await startRelay();
    const relay = running.relay;
    watch = new WatchProcess(['--url', running.url]);
    await watch.waitFor('the connection', () => watch?.stderr.includes('已连接') ?? false);

    await runSimulator({ url: running.url, tasks: 3, ratePerSecond: 2000, seed: 3 });
    await watch.waitFor('every event', () => watch?.lines().length === relay.events.seq);
    const code = await watch.interrupt();

    expect(code).toBe(0);
    const lines = watch.lines();
    for (const line of lines) {
      expect(line).toMatch(/^\d\d:\d\d:\d\d {2}\[(新建|更新|删除)\] {2}任务 \d+ {2}"/);
    }
    expect(lines.some((line) => / → 任务完成/.test(line))).toBe(true);
    expect(lines.some((line) => /帧 \d+\/\d+ {2}费用 \d+ \+ \d+$/.test(line))).toBe(true);
    expect(watch.stderr).toContain('快照: 0 个任务 (初次)');
  });

  it('prints raw events with --json', async () => {
    running = await startRelay();
    const relay = running.relay;
    watch = new WatchProcess(['--url', running.url, '--json', '--status', '1', '--status', '2']);
    await watch.waitFor('the connection', () => watch?.stderr.includes('已连接') ?? false);

    await runSimulator({ url: running.url, tasks: 3, ratePerSecond: 2000, seed: 4 });
    await watch.waitFor(
      'the last event',
      () => watch?.lines().some((line) => JSON.parse(line).seq === relay.events.seq) ?? false,
    );
    const code = await watch.interrupt();

    expect(code).toBe(0);
    const events = watch.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    const seqs = events.map((event) => event.seq as number);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    for (const event of events) {
      expect(event.epoch).toBe(relay.events.epoch);
      expect(event).toHaveProperty('changes');
      expect(event).toHaveProperty('task.statusName');
    }
  });

  it('strips escapes from task names', async () => {
    running = await startRelay();
    watch = new WatchProcess(['--url', running.url, '--lang', 'en']);
    await watch.waitFor('the connection', () => watch?.stderr.includes('connected') ?? false);

    const name = 'box\u001b[2J\u001b[31m\u001b]0;pwned\u0007\r\nred\u202e';
    const reply = await postCallback(running.url, 'updateinfo', baseTask({ Name: name }));
    expect(reply.body.error_code).toBe(0);
    await watch.waitFor('the event', () => watch?.lines().length === 1);
    const code = await watch.interrupt();

    expect(code).toBe(0);
    const [line] = watch.lines();
    expect(line).toContain('[created]  task 67721  "boxred"  rendering  frames 0/0  cost 38 + 2');
    for (const character of ['\u001b', '\u0007', '\r', '\u202e']) {
      expect(watch.stdout).not.toContain(character);
    }
    expect(watch.lines()).toHaveLength(1);
  });

  it('rejects a missing url', async () => {
    watch = new WatchProcess([]);
    const [code] = (await once(watch.child, 'exit')) as [number | null];

    expect(code).toBe(2);
    expect(watch.stderr).toContain('缺少 --url');
  });
});
