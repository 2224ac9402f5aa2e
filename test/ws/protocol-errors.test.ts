import { afterEach, describe, expect, it } from 'vitest';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import { encodeClientFrame, Opcode, RawClient, waitFor } from './support.js';

const MAX_PAYLOAD_BYTES = 1024;

const cases = [
  {
    name: 'an unmasked frame',
    frame: encodeClientFrame(Opcode.TEXT, Buffer.from('{"type":"ping"}'), false),
    code: 1002,
  },
  {
    name: 'invalid UTF-8 text',
    // 0xc3 opens a two-byte sequence that 0x28 ('(') cannot continue.
    frame: encodeClientFrame(Opcode.TEXT, Buffer.from([0x7b, 0xc3, 0x28, 0x7d])),
    code: 1007,
  },
  {
    name: 'a frame over maxPayloadBytes',
    frame: encodeClientFrame(
      Opcode.TEXT,
      Buffer.from(JSON.stringify({ type: 'ping', padding: 'x'.repeat(MAX_PAYLOAD_BYTES) })),
    ),
    code: 1009,
  },
];

describe('protocol errors', () => {
  let running: RunningRelay | undefined;
  let raw: RawClient | undefined;
  let bystander: TestClient | undefined;

  afterEach(async () => {
    raw?.destroy();
    await bystander?.close();
    await running?.close();
    raw = undefined;
    bystander = undefined;
    running = undefined;
  });

  it.each(cases)('closes with $code on $name', async ({ frame, code }) => {
    running = await startRelay({ maxPayloadBytes: MAX_PAYLOAD_BYTES });
    bystander = await TestClient.connect(running.wsUrl);
    await bystander.subscribe({ id: 's1', taskIds: [67721] });
    raw = await RawClient.connect(running.wsUrl);
    await raw.frame(Opcode.TEXT);
    expect(running.relay.hub.connections).toBe(2);

    raw.write(frame);

    expect(await raw.closeCode()).toBe(code);
    await raw.ended;
    await waitFor(() => running?.relay.hub.connections === 1, 'the relay to detach the session');

    const reply = await postCallback(running.url, 'updateinfo', baseTask());
    expect(reply.status).toBe(200);
    const event = await bystander.next((f) => f.type === 'task.created');
    expect(event.seq).toBe(1);
    expect(bystander.socket.readyState).toBe(bystander.socket.OPEN);
  });

  it('accepts a frame of exactly maxPayloadBytes', async () => {
    running = await startRelay({ maxPayloadBytes: MAX_PAYLOAD_BYTES });
    raw = await RawClient.connect(running.wsUrl);
    await raw.frame(Opcode.TEXT);

    const head = '{"type":"ping","padding":"';
    const tail = '"}';
    const padding = 'x'.repeat(MAX_PAYLOAD_BYTES - head.length - tail.length);
    const payload = Buffer.from(`${head}${padding}${tail}`);
    expect(payload.length).toBe(MAX_PAYLOAD_BYTES);
    raw.write(encodeClientFrame(Opcode.TEXT, payload));

    // A ping with an extra field is still a ping, because the frame schema strips unknown keys.
    await waitFor(() => (raw?.frames.length ?? 0) >= 2, 'a reply to the full-size frame');
    const reply = JSON.parse(String(raw.frames[1]?.payload)) as { type: string };
    expect(reply.type).toBe('pong');
    expect(raw.frames.some((f) => f.opcode === Opcode.CLOSE)).toBe(false);
  });
});
