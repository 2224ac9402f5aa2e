import { afterEach, describe, expect, it } from 'vitest';
import { type Bridge, createBridge } from '../../src/bridge/bridge.js';
import { parseBridgeConfig } from '../../src/bridge/config.js';
import { RelayClient } from '../../src/client/index.js';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { MockRobots, messageText } from './mock-robots.js';
import { captureLogger } from './support.js';

let relay: RunningRelay | undefined;
let robots: MockRobots | undefined;
let bridge: Bridge | undefined;

afterEach(async () => {
  await bridge?.stop(0);
  await robots?.close();
  await relay?.close();
});

describe('bridge end to end', () => {
  it('task done reaches dingtalk once', async () => {
    relay = await startRelay();
    const account = { kind: 'dingtalk' as const, token: 'e2e-token', secret: 'SECe2e-secret' };
    robots = await MockRobots.start([account]);
    const config = parseBridgeConfig({
      robots: [
        { name: 'studio', kind: 'dingtalk', url: robots.urlOf(account), secret: account.secret },
      ],
    });
    const source = new RelayClient({ url: relay.url });
    const connected = new Promise<void>((resolve) =>
      source.on('state', (state) => {
        if (state === 'connected') resolve();
      }),
    );
    bridge = createBridge({ source, config, logger: captureLogger().logger });
    bridge.start();
    await connected;

    const rendering = baseTask({
      ID: 9001,
      Name: 'lobby-night',
      Status: 1,
      FrameCount: 4,
      FrameCompleted: 1,
    });
    expect((await postCallback(relay.url, 'updateinfo', rendering)).body.error_code).toBe(0);
    const done = { ...rendering, Status: 2, FrameCompleted: 4, Action: 2 };
    expect((await postCallback(relay.url, 'updateinfo', done)).body.error_code).toBe(0);
    await robots.waitFor(1);
    await bridge.queues.get('studio')?.drain(5000);

    expect(robots.received).toHaveLength(1);
    const [message] = robots.accepted();
    expect(message).toBeDefined();
    const text = messageText(message as never);
    expect(text).toContain('lobby-night');
    expect(text).toContain('#9001');
    expect(text).toContain('渲染中 → 任务完成');
    expect(text).toContain('4/4');
  });
});
