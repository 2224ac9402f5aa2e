import { afterEach, describe, expect, it } from 'vitest';
import { applyKeyStyle } from '../../src/simulate/key-style.js';
import { runSimulator, type SimulatorOptions } from '../../src/simulate/simulator.js';
import { TaskSource } from '../../src/simulate/task-source.js';
import {
  FAILURE_REPLY,
  type RecordedRequest,
  type RecordingServer,
  type ReplyPlan,
  SUCCESS_REPLY,
  startRecordingServer,
} from './recording-server.js';

const servers: RecordingServer[] = [];

async function serve(plan?: ReplyPlan): Promise<RecordingServer> {
  const server = await startRecordingServer(plan);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface LogLine {
  readonly level: 'info' | 'warn';
  readonly obj: Record<string, unknown>;
  readonly msg: string;
}

function recordingLogger(): SimulatorOptions['logger'] & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
  };
}

/** Returns options for a short, fast run. Tests override what they check. */
function quickOptions(
  server: RecordingServer,
  overrides: Partial<SimulatorOptions> = {},
): SimulatorOptions {
  return {
    url: server.url,
    tasks: 6,
    ratePerSecond: 10_000,
    seed: 1234,
    maxFrames: 4,
    resendRatio: 0,
    lateRatio: 0,
    ...overrides,
  };
}

function taskIdOf(request: RecordedRequest): unknown {
  return request.body?.id ?? request.body?.ID;
}

/** Groups the raw bodies the server received by task id, in arrival order. */
function rawByTask(requests: readonly RecordedRequest[]): Map<unknown, string[]> {
  const byTask = new Map<unknown, string[]>();
  for (const request of requests) {
    const id = taskIdOf(request);
    byTask.set(id, [...(byTask.get(id) ?? []), `${request.path} ${request.raw}`]);
  }
  return byTask;
}

/**
 * Rebuilds what the simulator should have sent for each task, using the CreateTime each task
 * actually carried, because the simulator takes it from the wall clock.
 */
function plannedRawByTask(
  options: SimulatorOptions,
  received: readonly RecordedRequest[],
): Map<unknown, string[]> {
  const firstTaskId = options.firstTaskId ?? 1;
  const createTimes = new Map<unknown, unknown>();
  for (const request of received) {
    createTimes.set(taskIdOf(request), request.body?.createtime ?? request.body?.CreateTime);
  }

  let created = 0;
  const source = new TaskSource({
    seed: options.seed ?? 0,
    firstTaskId,
    owners: options.owners ?? 4,
    agencies: options.agencies ?? Math.min(2, options.owners ?? 4),
    maxFrames: options.maxFrames ?? 240,
    resendRatio: options.resendRatio ?? 0.05,
    lateRatio: options.lateRatio ?? 0.02,
    now: () => {
      const createTime = createTimes.get(firstTaskId + created);
      created += 1;
      return createTime as number;
    },
  });

  const planned = new Map<unknown, string[]>();
  for (let i = 0; i < options.tasks; i++) {
    const task = source.next();
    const raws = task.deliveries.map(({ callback }) => {
      const body = applyKeyStyle(callback.body, options.keyStyle ?? 'lower');
      return `/api/task/${callback.route} ${JSON.stringify(body)}`;
    });
    planned.set(task.id, raws);
  }
  return planned;
}

describe('simulator', () => {
  it('sends every planned callback in order', async () => {
    const server = await serve();
    const options = quickOptions(server, { concurrency: 4 });
    const stats = await runSimulator(options);

    expect(rawByTask(server.requests)).toEqual(plannedRawByTask(options, server.requests));
    expect(stats.sent).toBe(server.requests.length);
    expect(stats.ok).toBe(stats.sent);
    expect(stats.failed).toBe(0);
    expect(stats.resent).toBe(0);
    expect(stats.late).toBe(0);
  });

  it('posts JSON to the task routes', async () => {
    const server = await serve();
    const stats = await runSimulator(quickOptions(server));

    const paths = new Set(server.requests.map((request) => request.path));
    for (const path of paths)
      expect(path).toMatch(/^\/api\/task\/(createinfo|updateinfo|deleteinfo)$/);
    for (const request of server.requests) {
      expect(request.method).toBe('POST');
      expect(request.contentType).toBe('application/json');
      expect(request.body).toBeDefined();
    }
    const countOf = (route: string) =>
      server.requests.filter((request) => request.path === `/api/task/${route}`).length;
    expect(stats.byRoute).toEqual({
      createinfo: countOf('createinfo'),
      updateinfo: countOf('updateinfo'),
      deleteinfo: countOf('deleteinfo'),
    });
    expect(stats.byRoute.createinfo).toBe(6);
  });

  it('starts each task with createinfo', async () => {
    const server = await serve();
    await runSimulator(quickOptions(server));

    const ids = [...new Set(server.requests.map(taskIdOf))].sort();
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    for (const id of ids) {
      const first = server.requests.find((request) => taskIdOf(request) === id);
      expect(first?.path).toBe('/api/task/createinfo');
      expect(first?.body?.status).toBe(0);
      expect(first?.body?.action).toBe(0);
    }
  });

  it('spreads tasks over owners and agencies', async () => {
    const server = await serve();
    await runSimulator(quickOptions(server, { tasks: 6, owners: 3, agencies: 2 }));

    const owners = new Set(server.requests.map((request) => request.body?.owner));
    const agencies = new Set(server.requests.map((request) => request.body?.agencyuserid));
    expect([...owners].sort()).toEqual([1601, 1602, 1603]);
    expect([...agencies].sort()).toEqual([3, 4]);
  });

  it('resends and delays callbacks as planned', async () => {
    const server = await serve();
    const options = quickOptions(server, {
      tasks: 8,
      resendRatio: 0.3,
      lateRatio: 0.3,
      concurrency: 3,
    });
    const stats = await runSimulator(options);

    expect(rawByTask(server.requests)).toEqual(plannedRawByTask(options, server.requests));
    expect(stats.resent).toBeGreaterThan(0);
    expect(stats.late).toBeGreaterThan(0);
    expect(stats.sent).toBe(server.requests.length);
  });

  it('repeats a resent body unchanged', async () => {
    const server = await serve();
    const stats = await runSimulator(
      quickOptions(server, { tasks: 4, resendRatio: 1, concurrency: 1 }),
    );

    for (const raws of rawByTask(server.requests).values()) {
      expect(raws.length % 2).toBe(0);
      for (let i = 0; i < raws.length; i += 2) expect(raws[i + 1]).toBe(raws[i]);
    }
    expect(stats.resent * 2).toBe(stats.sent);
  });

  it('delivers late callbacks after newer ones', async () => {
    const server = await serve();
    const stats = await runSimulator(quickOptions(server, { tasks: 4, lateRatio: 1 }));

    let outOfOrder = 0;
    for (const id of rawByTask(server.requests).keys()) {
      const fileCounts = server.requests
        .filter((request) => taskIdOf(request) === id)
        .map((request) => (request.body?.renderoutputfiles as unknown[] | undefined)?.length ?? 0);
      for (let i = 1; i < fileCounts.length; i++) {
        if ((fileCounts[i] ?? 0) < (fileCounts[i - 1] ?? 0)) outOfOrder += 1;
      }
    }
    expect(stats.late).toBeGreaterThan(0);
    expect(outOfOrder).toBeGreaterThan(0);
  });

  it('writes lower keys by default', async () => {
    const server = await serve();
    await runSimulator(quickOptions(server, { tasks: 2 }));

    for (const request of server.requests) {
      const keys = Object.keys(request.body ?? {});
      expect(keys).toContain('lightjobtimethreadtotal');
      expect(keys.every((key) => key === key.toLowerCase())).toBe(true);
    }
  });

  it('writes Go keys in go style', async () => {
    const server = await serve();
    const options = quickOptions(server, { tasks: 2, keyStyle: 'go' });
    await runSimulator(options);

    for (const request of server.requests) {
      const keys = Object.keys(request.body ?? {});
      expect(keys).toContain('ID');
      expect(keys).toContain('AgencyUserID');
      expect(keys).toContain('LightJobRenderTimeThread');
    }
    expect(rawByTask(server.requests)).toEqual(plannedRawByTask(options, server.requests));
  });

  it('counts failures and keeps going on 500', async () => {
    const server = await serve(() => FAILURE_REPLY);
    const logger = recordingLogger();
    const options = quickOptions(server, { logger });
    const stats = await runSimulator(options);

    expect(rawByTask(server.requests)).toEqual(plannedRawByTask(options, server.requests));
    expect(stats.failed).toBe(server.requests.length);
    expect(stats.ok).toBe(0);
    const warnings = logger.lines.filter((line) => line.level === 'warn');
    expect(warnings[0]?.msg).toBe('callback failed');
    expect(warnings[0]?.obj).toMatchObject({
      httpStatus: 500,
      reason: 'HTTP 500, error_code 1, error_msg "失败"',
    });
    const logged = warnings.reduce(
      (sum, line) => sum + (line.msg === 'callback failed' ? 1 : 0),
      0,
    );
    const suppressed = warnings.reduce(
      (sum, line) => sum + ((line.obj.suppressed as number | undefined) ?? 0),
      0,
    );
    expect(logged + suppressed).toBe(stats.failed);
  });

  it('mixes ok and failed replies', async () => {
    const server = await serve((_request, index) =>
      index % 3 === 0 ? FAILURE_REPLY : SUCCESS_REPLY,
    );
    const stats = await runSimulator(quickOptions(server));

    expect(stats.failed).toBe(Math.ceil(server.requests.length / 3));
    expect(stats.ok + stats.failed).toBe(stats.sent);
    expect(stats.sent).toBe(server.requests.length);
  });

  it('times out a request and continues', async () => {
    const server = await serve((_request, index) => (index === 0 ? undefined : SUCCESS_REPLY));
    const stats = await runSimulator(quickOptions(server, { tasks: 2, requestTimeoutMs: 100 }));

    expect(stats.failed).toBe(1);
    expect(stats.ok).toBe(stats.sent - 1);
    expect(stats.sent).toBe(server.requests.length);
  });

  it('keeps starting tasks in loop mode', async () => {
    const server = await serve();
    const controller = new AbortController();
    const run = runSimulator(
      quickOptions(server, { tasks: 2, loop: true, signal: controller.signal }),
    );
    await server.waitForRequest((request) => Number(taskIdOf(request)) > 4);
    controller.abort();
    const stats = await run;

    expect(stats.sent).toBeGreaterThanOrEqual(server.requests.length);
    expect(stats.ok + stats.failed).toBe(stats.sent);
    expect(stats.byRoute.createinfo).toBeGreaterThan(4);
  });

  it('stops on abort mid-request', async () => {
    const server = await serve(() => undefined);
    const logger = recordingLogger();
    const controller = new AbortController();
    const run = runSimulator(
      quickOptions(server, { concurrency: 2, signal: controller.signal, logger }),
    );
    await server.waitForRequests(2);
    controller.abort();
    const stats = await run;

    expect(stats.sent).toBe(2);
    expect(stats.failed).toBe(2);
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([]);
    expect(logger.lines.at(-1)).toMatchObject({
      level: 'info',
      msg: 'simulator stopped',
      obj: { aborted: true },
    });
  });

  it('sends nothing when already aborted', async () => {
    const server = await serve();
    const controller = new AbortController();
    controller.abort();
    const stats = await runSimulator(quickOptions(server, { signal: controller.signal }));

    expect(stats.sent).toBe(0);
    expect(server.requests).toEqual([]);
  });

  it('logs the seed at start', async () => {
    const server = await serve();
    const logger = recordingLogger();
    await runSimulator(quickOptions(server, { tasks: 1, logger }));

    expect(logger.lines[0]).toMatchObject({
      level: 'info',
      msg: 'simulator started',
      obj: { seed: 1234 },
    });
    expect(logger.lines.at(-1)).toMatchObject({
      level: 'info',
      msg: 'simulator finished',
      obj: { aborted: false },
    });
  });

  it('rejects invalid options before sending', async () => {
    const server = await serve();

    await expect(runSimulator(quickOptions(server, { ratePerSecond: 0 }))).rejects.toThrow(
      new RangeError('invalid ratePerSecond: expected a number from 0.1 to 10000, received 0'),
    );
    expect(server.requests).toEqual([]);
  });
});
