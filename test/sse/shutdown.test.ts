/**
 * Relay shutdown and event streams: every stream ends with a `close` message carrying 1001,
 * and a reader that paused does not hold `close()` up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../src/errors.js';
import { type RunningRelay, startRelay } from '../helpers/relay.js';
import { within } from '../ws/support.js';
import { eventsUrl, SseClient } from './support.js';

const STREAMS = 3;

describe('event stream shutdown', () => {
  let running: RunningRelay | undefined;
  const clients: SseClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.abort();
    await running?.close();
    running = undefined;
  });

  it('ends every stream with 1001', async () => {
    running = await startRelay();
    for (let i = 0; i < STREAMS; i += 1) {
      clients.push(await SseClient.connect(eventsUrl(running.url, { agency: '3' })));
    }

    await within(running.relay.close(), 'relay.close() to resolve', 10_000);
    const closes = await Promise.all(
      clients.map((client) => client.next((message) => message.event === 'close')),
    );
    await within(Promise.all(clients.map((client) => client.ended)), 'every stream to end', 5000);

    expect(closes.map((message) => message.json.code)).toEqual(
      Array(STREAMS).fill(CloseCode.GOING_AWAY),
    );
    expect(running.relay.state).toBe('closed');
    expect(running.relay.hub.connections).toBe(0);
    expect(running.relay.sse.openStreams).toBe(0);
  });

  it('completes with a paused reader', async () => {
    running = await startRelay();
    const paused = await SseClient.connect(eventsUrl(running.url));
    clients.push(paused);
    paused.pause();

    await within(running.relay.close(), 'relay.close() to resolve', 10_000);

    expect(running.relay.state).toBe('closed');
    expect(running.relay.sse.openStreams).toBe(0);
  });
});
