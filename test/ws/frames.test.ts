import { afterEach, describe, expect, it } from 'vitest';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { type Frame, TestClient } from '../helpers/ws-client.js';
import { encodeClientFrame, Opcode, RawClient, readMetric, waitFor } from './support.js';

interface BadFrameCase {
  readonly name: string;
  /** Frames sent first that must succeed, such as the subscription a duplicate repeats. */
  readonly setup?: Record<string, unknown>[];
  /** A string is sent as a text frame as is, a buffer as a binary frame. */
  readonly frame: string | Buffer;
  readonly code: string;
  readonly id?: string;
}

const badFrames: BadFrameCase[] = [
  { name: 'invalid JSON', frame: '{"type":', code: 'RS_ERR_FRAME_INVALID_JSON' },
  { name: 'a JSON array', frame: '[1]', code: 'RS_ERR_FRAME_INVALID' },
  { name: 'an unknown type', frame: '{"type":"hello"}', code: 'RS_ERR_FRAME_UNKNOWN_TYPE' },
  { name: 'a missing id', frame: '{"type":"subscribe"}', code: 'RS_ERR_FRAME_INVALID' },
  {
    name: 'a fractional owner',
    frame: '{"type":"subscribe","id":"s1","owners":[1.5]}',
    code: 'RS_ERR_FRAME_INVALID',
    id: 's1',
  },
  {
    name: 'a string task id',
    frame: '{"type":"subscribe","id":"s1","taskIds":["67721"]}',
    code: 'RS_ERR_FRAME_INVALID',
    id: 's1',
  },
  { name: 'a binary frame', frame: Buffer.from('{"type":"ping"}'), code: 'RS_ERR_FRAME_BINARY' },
  {
    name: 'a duplicate subscription id',
    setup: [{ type: 'subscribe', id: 's1', taskIds: [67721] }],
    frame: '{"type":"subscribe","id":"s1","taskIds":[67722]}',
    code: 'RS_ERR_SUBSCRIPTION_DUPLICATE',
    id: 's1',
  },
  {
    name: 'an unknown unsubscribe id',
    frame: '{"type":"unsubscribe","id":"nope"}',
    code: 'RS_ERR_SUBSCRIPTION_NOT_FOUND',
    id: 'nope',
  },
];

const isError = (frame: Frame): boolean => frame.type === 'error';
const isPong = (frame: Frame): boolean => frame.type === 'pong';

describe('client frames', () => {
  let running: RunningRelay | undefined;
  let client: TestClient | undefined;
  let raw: RawClient | undefined;

  afterEach(async () => {
    await client?.close();
    raw?.destroy();
    await running?.close();
    client = undefined;
    raw = undefined;
    running = undefined;
  });

  it('answers ping with pong', async () => {
    running = await startRelay();
    client = await TestClient.connect(running.wsUrl);

    client.send({ type: 'ping' });

    const pong = await client.next(isPong);
    expect(pong).toEqual({ type: 'pong' });
  });

  it('answers a frame sent with the upgrade', async () => {
    running = await startRelay();
    const ping = encodeClientFrame(Opcode.TEXT, Buffer.from('{"type":"ping"}'));

    raw = await RawClient.connect(running.wsUrl, ping);

    await waitFor(() => (raw?.frames.length ?? 0) >= 2, 'the welcome and pong frames');
    const types = raw.frames.map((frame) => (JSON.parse(String(frame.payload)) as Frame).type);
    expect(types).toEqual(['welcome', 'pong']);
  });

  it.each(badFrames)('rejects $name and stays open', async (badFrame) => {
    running = await startRelay();
    client = await TestClient.connect(running.wsUrl);
    for (const frame of badFrame.setup ?? []) {
      const reply = await client.subscribe(frame);
      expect(reply.type).toBe('subscribed');
    }

    if (typeof badFrame.frame === 'string') client.send(badFrame.frame);
    else client.socket.send(badFrame.frame, { binary: true });

    const error = await client.next(isError);
    expect(error.code).toBe(badFrame.code);
    expect(error.id).toBe(badFrame.id);
    expect(typeof error.message).toBe('string');
    expect(error.message).not.toBe('');

    client.send({ type: 'ping' });
    await client.next(isPong);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    expect(await readMetric(running.url, 'relay_invalid_frames_total')).toBe(1);
  });

  it('closes with 4500 at maxInvalidFrames', async () => {
    running = await startRelay({ maxInvalidFrames: 3 });
    client = await TestClient.connect(running.wsUrl);

    client.send('not json');
    await client.next(isError);
    client.send({ type: 'hello' });
    await client.next(isError);
    client.send({ type: 'subscribe' });

    const closed = await client.closed;
    expect(closed.code).toBe(4500);
    expect(client.frames.filter(isError)).toHaveLength(3);
    expect(running.relay.hub.connections).toBe(0);
  });

  it('counts invalid frames across valid ones', async () => {
    running = await startRelay({ maxInvalidFrames: 2 });
    client = await TestClient.connect(running.wsUrl);

    client.send('not json');
    await client.next(isError);
    client.send({ type: 'ping' });
    await client.next(isPong);
    client.send('still not json');

    const closed = await client.closed;
    expect(closed.code).toBe(4500);
  });
});

describe('unsubscribe', () => {
  let running: RunningRelay | undefined;
  let client: TestClient | undefined;

  afterEach(async () => {
    await client?.close();
    await running?.close();
    client = undefined;
    running = undefined;
  });

  it('stops delivery for that subscription', async () => {
    running = await startRelay();
    client = await TestClient.connect(running.wsUrl);
    await client.subscribe({ id: 'watched', taskIds: [67721] });
    await client.subscribe({ id: 'fence', taskIds: [67722] });
    await postCallback(running.url, 'updateinfo', baseTask({ ID: 67721, Status: 1 }));
    const first = await client.next((f) => f.type === 'task.created');
    expect(first.seq).toBe(1);

    client.send({ type: 'unsubscribe', id: 'watched' });
    const reply = await client.next((f) => f.type === 'unsubscribed');
    expect(reply).toEqual({ type: 'unsubscribed', id: 'watched' });
    expect(running.relay.hub.subscriptions).toBe(1);

    const update = await postCallback(
      running.url,
      'updateinfo',
      baseTask({ ID: 67721, Status: 2 }),
    );
    expect(update.status).toBe(200);
    await postCallback(running.url, 'updateinfo', baseTask({ ID: 67722 }));

    // Events go out in seq order, so the fence event arriving proves seq 2 was never sent.
    const fence = await client.next((f) => f.type.startsWith('task.'));
    expect(fence.seq).toBe(3);
    expect((fence.task as { id: number }).id).toBe(67722);
    expect(client.events().map((event) => event.seq)).toEqual([1, 3]);
  });

  it('rejects a second unsubscribe', async () => {
    running = await startRelay();
    client = await TestClient.connect(running.wsUrl);
    await client.subscribe({ id: 's1', taskIds: [67721] });
    client.send({ type: 'unsubscribe', id: 's1' });
    await client.next((f) => f.type === 'unsubscribed');

    client.send({ type: 'unsubscribe', id: 's1' });

    const error = await client.next(isError);
    expect(error.code).toBe('RS_ERR_SUBSCRIPTION_NOT_FOUND');
    expect(error.id).toBe('s1');
  });
});
