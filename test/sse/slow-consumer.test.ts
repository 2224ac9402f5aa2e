/**
 * The slow-consumer limit on event streams: a reader that stops reading is closed with 4001
 * once its unread bytes pass `maxBufferedBytes`, while a healthy stream receives every event.
 */
import { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../src/errors.js';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { waitFor, within } from '../ws/support.js';
import { eventsUrl, readLabeledMetric, SseClient, watchStreamResponses } from './support.js';

const TASK_ID = 67721;
const MAX_BUFFERED_BYTES = 64 * 1024;
/**
 * The hub checks the limit against the event's JSON, and the stream adds its `id:` and
 * `event:` lines and the chunk header, under 100 bytes for the last message written.
 */
const FRAMING_SLACK_BYTES = 256;
/** Files new in each update, about 130 bytes each, so one event is about 13 KB. */
const FILES_PER_UPDATE = 100;
/**
 * Load bounds: the kernel socket buffers on loopback take a few MiB before the relay's own fills.
 */
const MAX_UPDATES = 2000;
const LOAD_DEADLINE_MS = 15_000;
const UPDATES_AFTER_CLOSE = 20;

/** Builds an update that replaces the task's output files with new ones. */
function updateBody(round: number): Record<string, unknown> {
  const files = Array.from({ length: FILES_PER_UPDATE }, (_, index) => ({
    name: `/2024-05-01/${TASK_ID}-sse-slow-frames/round-${round}/pass-${index}.beauty.0000.exr`,
    size: 1_048_576 + index,
    time: 1714521600 + round,
    isdir: false,
  }));
  return baseTask({ ID: TASK_ID, Status: 1, FrameCompleted: round, RenderOutputFiles: files });
}

/** Posts numbered updates from `firstRound` on until `done` holds, within the load bounds. */
async function postUntil(url: string, firstRound: number, done: () => boolean): Promise<number> {
  let round = firstRound - 1;
  const deadline = Date.now() + LOAD_DEADLINE_MS;
  while (!done() && round < MAX_UPDATES && Date.now() < deadline) {
    round += 1;
    const reply = await postCallback(url, 'updateinfo', updateBody(round));
    if (reply.status !== 200) throw new Error(`update ${round} failed with ${reply.status}`);
  }
  return round;
}

/** Records the largest unread byte count a write to `response` produced, the write included. */
function watchQueuedBytes(response: ServerResponse): { max: () => number; restore: () => void } {
  const prototype = ServerResponse.prototype;
  const write = prototype.write;
  let maxQueued = 0;
  prototype.write = function (this: ServerResponse, ...args: unknown[]) {
    const chunk = args[0];
    if (this === response && chunk instanceof Uint8Array) {
      maxQueued = Math.max(maxQueued, this.writableLength + chunk.length);
    }
    return (write as (...rest: unknown[]) => boolean).apply(this, args);
  } as ServerResponse['write'];
  return { max: () => maxQueued, restore: () => (prototype.write = write) };
}

describe('event stream slow consumer', () => {
  let running: RunningRelay | undefined;
  let restore: (() => void) | undefined;
  const clients: SseClient[] = [];

  afterEach(async () => {
    restore?.();
    restore = undefined;
    for (const client of clients.splice(0)) client.abort();
    await running?.close();
    running = undefined;
  });

  it('closes the reader that stopped', async () => {
    running = await startRelay({ maxBufferedBytes: MAX_BUFFERED_BYTES, maxHistoryEvents: 100 });
    const relay = running.relay;
    const url = eventsUrl(running.url, { task: String(TASK_ID) });
    const responses = watchStreamResponses();
    let slow: SseClient;
    try {
      slow = await SseClient.connect(url);
    } finally {
      responses.restore();
    }
    clients.push(slow);
    const [slowResponse] = responses.responses;
    if (slowResponse === undefined) throw new Error('the relay started no event stream');
    const queued = watchQueuedBytes(slowResponse);
    restore = queued.restore;
    const healthy = await SseClient.connect(url);
    clients.push(healthy);
    expect(relay.hub.connections).toBe(2);

    slow.pause();
    let posted = await postUntil(running.url, 1, () => relay.hub.connections < 2);
    expect(relay.hub.connections, `sessions left after ${posted} updates`).toBe(1);

    // The relay cuts the connection 5 s after ending the stream, so read the backlog now.
    slow.resume();
    const close = await slow.next((message) => message.event === 'close', 10_000);
    await within(slow.ended, 'the slow stream to end', 10_000);
    expect(close.json.code).toBe(CloseCode.SLOW_CONSUMER);
    expect(close.id).toBeUndefined();

    const metric = (name: string) =>
      readLabeledMetric(running?.url ?? '', name, 'transport', 'sse');
    const framesBefore = await metric('relay_frames_sent_total');
    for (let round = posted + 1; round <= posted + UPDATES_AFTER_CLOSE; round += 1) {
      await postCallback(running.url, 'updateinfo', updateBody(round));
    }
    posted += UPDATES_AFTER_CLOSE;
    await healthy.next((message) => message.json.seq === posted, 10_000);
    const framesAfter = await metric('relay_frames_sent_total');

    const seqs = healthy.events().map((message) => message.json.seq);
    expect(seqs).toEqual(Array.from({ length: posted }, (_, index) => index + 1));
    expect(framesAfter - framesBefore).toBe(UPDATES_AFTER_CLOSE);
    expect(queued.max()).toBeGreaterThan(0);
    expect(queued.max()).toBeLessThanOrEqual(MAX_BUFFERED_BYTES + FRAMING_SLACK_BYTES);
    expect(await metric('relay_slow_consumers_closed_total')).toBe(1);
    expect(relay.sse.openStreams).toBe(1);
  }, 30_000);

  it('cuts a reader that never resumes', async () => {
    running = await startRelay({ maxBufferedBytes: MAX_BUFFERED_BYTES, maxHistoryEvents: 100 });
    const relay = running.relay;
    const url = eventsUrl(running.url, { task: String(TASK_ID) });
    const slow = await SseClient.connect(url);
    clients.push(slow);
    const healthy = await SseClient.connect(url);
    clients.push(healthy);

    slow.pause();
    const posted = await postUntil(running.url, 1, () => relay.hub.connections < 2);
    expect(relay.hub.connections, `sessions left after ${posted} updates`).toBe(1);

    // The end of the stream waits behind a backlog the client never reads, so only the 5 s
    // grace closes the connection.
    expect(relay.sse.openStreams).toBe(2);
    await waitFor(() => relay.sse.openStreams === 1, 'the relay to cut the stream', 10_000);
    await postCallback(running.url, 'updateinfo', updateBody(posted + 1));
    const last = await healthy.next((message) => message.json.seq === posted + 1);
    expect(last.event).toBe('task.updated');
  }, 30_000);
});
