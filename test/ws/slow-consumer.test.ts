import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import {
  closeOf,
  closeSocket,
  encodeClientFrame,
  Opcode,
  openSocket,
  RawClient,
  readMetric,
  tcpOf,
  waitFor,
  within,
} from './support.js';

const TASK_ID = 67721;
const MAX_BUFFERED_BYTES = 64 * 1024;
/** Files new in each update, about 130 bytes each, so one event is about 13 KB. */
const FILES_PER_UPDATE = 100;
/** Load bounds: the kernel socket buffers on loopback take a few MiB before the relay's own fills. */
const MAX_UPDATES = 2000;
const LOAD_DEADLINE_MS = 15_000;
const UPDATES_AFTER_CLOSE = 20;
/** Loose bound on heap plus Buffer growth over the whole test, healthy client's frames included. */
const MAX_MEMORY_GROWTH_BYTES = 256 * 1024 * 1024;

/** Updates replayed to a resuming client: about 53 KB each, 14 MB in all. */
const REPLAY_UPDATES = 270;
const REPLAY_FILES_PER_UPDATE = 400;

/** Builds an update that replaces the task's output files with `fileCount` new ones. */
function updateBody(round: number, fileCount = FILES_PER_UPDATE): Record<string, unknown> {
  const files = Array.from({ length: fileCount }, (_, index) => ({
    name: `/2024-05-01/${TASK_ID}-slow-consumer-frames/round-${round}/pass-${index}.beauty.0000.exr`,
    size: 1_048_576 + index,
    time: 1714521600 + round,
    isdir: false,
  }));
  return baseTask({ ID: TASK_ID, Status: 1, FrameCompleted: round, RenderOutputFiles: files });
}

function memoryInUse(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Records what the relay writes to one server-side socket. */
interface SendLog {
  /** The largest `bufferedAmount` a write would have produced, frame included. */
  maxQueuedBytes: number;
  sends: number;
  sendsAfterClose: number;
}

function watchSends(serverSocket: WebSocket): SendLog {
  const log: SendLog = { maxQueuedBytes: 0, sends: 0, sendsAfterClose: 0 };
  const send = serverSocket.send.bind(serverSocket);
  serverSocket.send = ((data: Buffer, ...rest: unknown[]) => {
    log.sends += 1;
    if (serverSocket.readyState !== WebSocket.OPEN) log.sendsAfterClose += 1;
    log.maxQueuedBytes = Math.max(log.maxQueuedBytes, serverSocket.bufferedAmount + data.length);
    return (send as (...args: unknown[]) => void)(data, ...rest);
  }) as WebSocket['send'];
  return log;
}

/**
 * Posts numbered updates from `firstRound` on until `done` holds, within the load bounds.
 * Returns the number of the last update posted.
 */
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

describe('slow consumer', () => {
  let running: RunningRelay | undefined;
  let slow: WebSocket | undefined;
  let raw: RawClient | undefined;
  let healthy: TestClient | undefined;

  afterEach(async () => {
    if (slow !== undefined) tcpOf(slow).resume();
    await closeSocket(slow);
    raw?.destroy();
    await healthy?.close();
    await running?.close();
    slow = undefined;
    raw = undefined;
    healthy = undefined;
    running = undefined;
  });

  it('closes the reader that stopped', async () => {
    running = await startRelay({ maxBufferedBytes: MAX_BUFFERED_BYTES, maxHistoryEvents: 100 });
    const relay = running.relay;
    slow = await openSocket(running.wsUrl);
    const [serverSocket] = relay.ws.server.clients;
    if (serverSocket === undefined) throw new Error('the relay has no server-side socket');
    const sendLog = watchSends(serverSocket);
    const slowSubscribed = new Promise((resolve) => slow?.once('message', resolve));
    slow.send(JSON.stringify({ type: 'subscribe', id: 's1', taskIds: [TASK_ID] }));
    await slowSubscribed;
    healthy = await TestClient.connect(running.wsUrl);
    await healthy.subscribe({ id: 's1', taskIds: [TASK_ID] });
    expect(relay.hub.connections).toBe(2);

    const slowClosed = closeOf(slow);
    tcpOf(slow).pause();
    const memoryBefore = memoryInUse();
    let posted = await postUntil(running.url, 1, () => relay.hub.connections < 2);
    expect(relay.hub.connections, `sessions left after ${posted} updates`).toBe(1);

    // The relay cuts the socket 5 s after its close frame, so read the backlog now.
    tcpOf(slow).resume();
    const { code } = await within(slowClosed, 'the slow client to close', 10_000);
    expect(code).toBe(4001);

    const framesBefore = await readMetric(running.url, 'relay_frames_sent_total');
    for (let round = posted + 1; round <= posted + UPDATES_AFTER_CLOSE; round += 1) {
      await postCallback(running.url, 'updateinfo', updateBody(round));
    }
    posted += UPDATES_AFTER_CLOSE;
    await healthy.next((frame) => frame.seq === posted, 10_000);
    const framesAfter = await readMetric(running.url, 'relay_frames_sent_total');

    const seqs = healthy.events().map((event) => event.seq);
    expect(seqs).toEqual(Array.from({ length: posted }, (_, index) => index + 1));
    expect(framesAfter - framesBefore).toBe(UPDATES_AFTER_CLOSE);
    expect(sendLog.sendsAfterClose).toBe(0);
    expect(sendLog.maxQueuedBytes).toBeLessThanOrEqual(MAX_BUFFERED_BYTES);
    expect(await readMetric(running.url, 'relay_slow_consumers_closed_total')).toBe(1);
    expect(memoryInUse() - memoryBefore).toBeLessThan(MAX_MEMORY_GROWTH_BYTES);
  }, 30_000);

  it('cuts a reader that never resumes', async () => {
    running = await startRelay({ maxBufferedBytes: MAX_BUFFERED_BYTES, maxHistoryEvents: 100 });
    const relay = running.relay;
    raw = await RawClient.connect(running.wsUrl);
    const subscribe = JSON.stringify({ type: 'subscribe', id: 's1', taskIds: [TASK_ID] });
    raw.write(encodeClientFrame(Opcode.TEXT, Buffer.from(subscribe)));
    await waitFor(() => (raw?.frames.length ?? 0) >= 2, 'the subscribed frame');
    healthy = await TestClient.connect(running.wsUrl);
    await healthy.subscribe({ id: 's1', taskIds: [TASK_ID] });

    raw.socket.pause();
    const posted = await postUntil(running.url, 1, () => relay.hub.connections < 2);
    expect(relay.hub.connections, `sessions left after ${posted} updates`).toBe(1);

    // The close frame waits behind a backlog the client never reads, so only the 5 s grace ends
    // the socket. The paused client cannot see that end: the FIN also waits behind the backlog.
    expect(relay.ws.openSockets).toBe(2);
    await waitFor(() => relay.ws.openSockets === 1, 'the relay to cut the socket', 10_000);
    await postCallback(running.url, 'updateinfo', updateBody(posted + 1));
    const last = await healthy.next((frame) => frame.seq === posted + 1);
    expect(last.type).toBe('task.updated');
  }, 30_000);

  // A replay larger than the send buffer would close even a prompt reader with 4001, and 4001
  // asks it to resume from the same place. The relay answers such a resume with a snapshot.
  it('snapshots when the replay exceeds the buffer', async () => {
    running = await startRelay({ maxBufferedBytes: MAX_BUFFERED_BYTES });
    healthy = await TestClient.connect(running.wsUrl);
    const start = await healthy.subscribe({ id: 's1', taskIds: [TASK_ID] });
    await healthy.close();
    for (let round = 1; round <= REPLAY_UPDATES; round += 1) {
      await postCallback(running.url, 'updateinfo', updateBody(round, REPLAY_FILES_PER_UPDATE));
    }

    healthy = await TestClient.connect(running.wsUrl);
    const since = { epoch: start.epoch, seq: start.seq };
    const reply = await healthy.subscribe({ id: 's1', taskIds: [TASK_ID], since });
    expect(reply.type).toBe('subscribed');
    expect(reply.recovered).toBe(false);
    expect(reply.tasks).toHaveLength(1);
    await postCallback(
      running.url,
      'updateinfo',
      updateBody(REPLAY_UPDATES + 1, REPLAY_FILES_PER_UPDATE),
    );

    const fence = healthy.next((frame) => frame.seq === REPLAY_UPDATES + 1, 10_000);
    const outcome = await Promise.race([healthy.closed, fence.then(() => 'fence received')]);
    expect(outcome).toBe('fence received');
  }, 30_000);
});
