import { afterEach, describe, expect, it } from 'vitest';
import { type Bridge, createBridge } from '../../src/bridge/bridge.js';
import { parseBridgeConfig } from '../../src/bridge/config.js';
import { type Kind, MockRobots, messageText, type RobotAccount } from './mock-robots.js';
import { captureLogger, FakeSource, statusEvent } from './support.js';

const ACCOUNTS: RobotAccount[] = [
  { kind: 'wecom', token: 'wecom-key-5f1c2a' },
  { kind: 'dingtalk', token: 'ding-token-8b2e', secret: 'SECding-secret-9c1d', keywords: ['渲染'] },
  { kind: 'feishu', token: 'feishu-hook-3a7f', secret: 'feishu-secret-4e2b', keywords: ['render'] },
];

let robots: MockRobots | undefined;
let bridge: Bridge | undefined;

afterEach(async () => {
  await bridge?.stop(0);
  await robots?.close();
  bridge = undefined;
  robots = undefined;
});

/** Starts mock robots and a bridge posting to them; `wrong` gives every robot a wrong secret. */
async function setUp(options: { kinds?: Kind[]; wrong?: boolean; lang?: 'en' } = {}) {
  robots = await MockRobots.start(ACCOUNTS);
  const mock = robots;
  const source = new FakeSource();
  const logs = captureLogger();
  const accounts = ACCOUNTS.filter((a) => options.kinds?.includes(a.kind) ?? true);
  const config = parseBridgeConfig({
    robots: accounts.map((account) => ({
      name: `${account.kind}-robot`,
      kind: account.kind,
      url: mock.urlOf(account),
      ...(account.secret === undefined
        ? {}
        : { secret: options.wrong ? 'SECwrong-secret' : account.secret }),
      ...(account.keywords === undefined ? {} : { keywords: account.keywords }),
      ...(options.lang === undefined ? {} : { lang: options.lang }),
    })),
  });
  bridge = createBridge({
    source,
    config,
    logger: logs.logger,
    queue: { retryBaseMs: 5, retryMaxMs: 20, throttlePauseMs: 5 },
  });
  bridge.start();
  return { mock, source, logs, bridge };
}

describe('robot platforms', () => {
  it('each platform accepts signed post', async () => {
    const { mock, source } = await setUp();

    source.emit(statusEvent(1, { name: 'hall-cam01' }));
    await mock.waitFor(3);

    for (const kind of ['wecom', 'dingtalk', 'feishu'] as const) {
      const [message] = mock.accepted(kind);
      expect(message, kind).toBeDefined();
      expect(messageText(message as never)).toContain('hall-cam01');
    }
    expect(mock.received).toHaveLength(3);
  });

  it('wrong secret logged not retried', async () => {
    const {
      mock,
      source,
      logs,
      bridge: running,
    } = await setUp({ kinds: ['dingtalk', 'feishu'], wrong: true });

    source.emit(statusEvent(1));
    await mock.waitFor(2);
    await Promise.all([...running.queues.values()].map((queue) => queue.drain(2000)));

    expect(mock.received.map((m) => m.code).sort()).toEqual([19021, 310000]);
    const errors = logs.records().filter((r) => r.level === 50);
    expect(errors.map((r) => r.robot).sort()).toEqual(['dingtalk-robot', 'feishu-robot']);
    expect(mock.received).toHaveLength(2);
  });

  it('throttle code retried later', async () => {
    const { mock, source } = await setUp({ kinds: ['dingtalk'] });
    mock.script('dingtalk', [{ code: 130101 }]);

    source.emit(statusEvent(1));
    await mock.waitFor(2);

    expect(mock.received.map((m) => m.code)).toEqual([130101, 0]);
  });

  it('server errors retried then posted', async () => {
    const { mock, source, bridge: running } = await setUp({ kinds: ['wecom'] });
    mock.script('wecom', [{ httpStatus: 502 }, { httpStatus: 503 }]);

    source.emit(statusEvent(1));
    await mock.waitFor(3);
    await running.queues.get('wecom-robot')?.drain(2000);

    expect(mock.received).toHaveLength(3);
    expect(mock.accepted()).toHaveLength(1);
    expect(running.queues.get('wecom-robot')?.stats.delivered).toBe(1);
  });

  it('replay after reconnect deduped', async () => {
    const { mock, source, bridge: running } = await setUp({ kinds: ['feishu'] });

    source.emit(statusEvent(1, { id: 1 }));
    source.emit(statusEvent(2, { id: 2 }));
    // A reconnect that resumes too early delivers the same events again.
    source.emit(statusEvent(1, { id: 1 }));
    source.emit(statusEvent(2, { id: 2 }));
    source.emit(statusEvent(3, { id: 3 }));
    await mock.waitFor(1);
    await running.queues.get('feishu-robot')?.drain(2000);

    const text = mock.accepted().map(messageText).join('\n');
    for (const id of [1, 2, 3]) expect(text.split(`(#${id})`)).toHaveLength(2);
    expect(running.queues.get('feishu-robot')?.stats.duplicates).toBe(2);
  });

  it('secrets never in logs', async () => {
    const { mock, source, logs, bridge: running } = await setUp({ wrong: true });
    mock.script('wecom', [{ code: 93000 }]);

    source.emit(statusEvent(1));
    await mock.waitFor(3);
    await Promise.all([...running.queues.values()].map((queue) => queue.drain(2000)));

    const text = logs.text();
    expect(text).toContain('wecom-robot');
    for (const secret of [
      'wecom-key-5f1c2a',
      'ding-token-8b2e',
      'feishu-hook-3a7f',
      'SECwrong-secret',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain('sign=');
  });

  it('unreachable robot logs redacted', async () => {
    const logs = captureLogger();
    const source = new FakeSource();
    const config = parseBridgeConfig({
      robots: [
        {
          name: 'gone',
          kind: 'wecom',
          url: 'http://127.0.0.1:1/cgi-bin/webhook/send?key=gone-key-77aa',
        },
      ],
    });
    bridge = createBridge({
      source,
      config,
      logger: logs.logger,
      queue: { retryBaseMs: 5, retryMaxMs: 10, maxAttempts: 2 },
    });
    bridge.start();

    source.emit(statusEvent(1));
    await bridge.queues.get('gone')?.drain(5000);

    const failures = logs.records().filter((r) => r.robot === 'gone' && r.level >= 40);
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(logs.text()).not.toContain('gone-key-77aa');
    expect(failures[0]?.url).toBe('http://127.0.0.1:1/cgi-bin/webhook/send?key=***');
  });
});
