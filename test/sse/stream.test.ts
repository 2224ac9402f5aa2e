/**
 * The event stream as a client reads it: headers, the snapshot, live events in the WebSocket's
 * JSON, filters from the query, frames, heartbeats and invalid queries.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { frameBody, postFrame } from '../frames/support.js';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import { readMetric } from '../ws/support.js';
import { eventsUrl, readJsonBody, readLabeledMetric, SseClient } from './support.js';

const TASK_ID = 67721;
const OTHER_AGENCY_TASK_ID = 67722;

describe('event stream', () => {
  let running: RunningRelay | undefined;
  const clients: SseClient[] = [];
  const sockets: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.abort();
    for (const socket of sockets.splice(0)) await socket.close();
    await running?.close();
    running = undefined;
  });

  async function connect(query: Record<string, string | string[]> = {}): Promise<SseClient> {
    if (running === undefined) throw new Error('start the relay first');
    const client = await SseClient.connect(eventsUrl(running.url, query));
    clients.push(client);
    return client;
  }

  it('sends headers, retry and snapshot', async () => {
    running = await startRelay();
    await postCallback(running.url, 'createinfo', baseTask({ ID: TASK_ID, AgencyUserID: 3 }));
    await postCallback(
      running.url,
      'createinfo',
      baseTask({ ID: OTHER_AGENCY_TASK_ID, AgencyUserID: 4 }),
    );

    const client = await connect({ agency: '3' });

    expect(client.status).toBe(200);
    expect(client.headers['content-type']).toBe('text/event-stream');
    expect(client.headers['cache-control']).toBe('no-cache');
    expect(client.headers['x-accel-buffering']).toBe('no');
    expect(client.retryMs).toBe(2000);
    const [snapshot] = client.messages;
    const { epoch, seq } = running.relay.events;
    expect(snapshot?.event).toBe('snapshot');
    expect(snapshot?.id).toBe(`${epoch}:${seq}`);
    const body = JSON.parse(snapshot?.data ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({ epoch, seq, recovered: false });
    expect(body.truncated).toBeUndefined();
    const tasks = body.tasks as { id: number }[];
    expect(tasks.map((task) => task.id)).toEqual([TASK_ID]);
    expect(running.relay.hub.connections).toBe(1);
  });

  it('streams live events like WebSocket', async () => {
    running = await startRelay();
    const client = await connect({ agency: '3' });
    const socket = await TestClient.connect(running.wsUrl);
    sockets.push(socket);
    await socket.subscribe({ id: 's1', agencies: [3] });

    await postCallback(
      running.url,
      'createinfo',
      baseTask({ ID: OTHER_AGENCY_TASK_ID, AgencyUserID: 4 }),
    );
    await postCallback(running.url, 'createinfo', baseTask({ ID: TASK_ID, AgencyUserID: 3 }));
    await postCallback(running.url, 'updateinfo', baseTask({ ID: TASK_ID, Status: 2 }));

    const created = await client.next((message) => message.event === 'task.created');
    const updated = await client.next((message) => message.event === 'task.updated');
    const socketUpdated = await socket.next((frame) => frame.type === 'task.updated');
    const epoch = running.relay.events.epoch;
    expect(created.id).toBe(`${epoch}:2`);
    expect((created.json.task as { id: number }).id).toBe(TASK_ID);
    expect(updated.id).toBe(`${epoch}:3`);
    expect(updated.json).toEqual(socketUpdated);
    expect(client.events().map((message) => message.json.seq)).toEqual([2, 3]);
  });

  it('combines repeated and comma filters', async () => {
    running = await startRelay();
    const client = await connect({ task: [`${TASK_ID},1`, '2'], status: '2' });

    await postCallback(
      running.url,
      'createinfo',
      baseTask({ ID: OTHER_AGENCY_TASK_ID, Status: 2 }),
    );
    await postCallback(running.url, 'createinfo', baseTask({ ID: TASK_ID, Status: 1 }));
    await postCallback(running.url, 'updateinfo', baseTask({ ID: TASK_ID, Status: 2 }));

    const event = await client.next((message) => message.event.startsWith('task.'));
    expect(event.event).toBe('task.updated');
    expect(event.json.seq).toBe(3);
    expect(client.events()).toHaveLength(1);
  });

  it('adds frame events with frames=true', async () => {
    running = await startRelay();
    const withFrames = await connect({ task: String(TASK_ID), frames: 'true' });
    const withoutFrames = await connect({ task: String(TASK_ID) });
    await postCallback(running.url, 'createinfo', baseTask({ ID: TASK_ID }));

    await postFrame(running, frameBody(1), 'createrenderframeinfo');
    await postCallback(running.url, 'updateinfo', baseTask({ ID: TASK_ID, Status: 2 }));

    const frame = await withFrames.next((message) => message.event === 'frame.updated');
    expect(frame.id).toBe(`${running.relay.events.epoch}:2`);
    expect((frame.json.frame as { index: number }).index).toBe(1);
    await withoutFrames.next((message) => message.event === 'task.updated');
    const types = withoutFrames.events().map((message) => message.event);
    expect(types).toEqual(['task.created', 'task.updated']);
  });

  it('sends heartbeat comments', async () => {
    running = await startRelay({ heartbeatIntervalMs: 50 });
    const client = await connect();

    await client.waitUntil(() => client.comments.length >= 2, 'two heartbeats');

    for (const comment of client.comments) expect(comment).toMatch(/^heartbeat \d+$/);
    expect(client.messages.map((message) => message.event)).toEqual(['snapshot']);
  });

  it('works as a plain curl-style GET', async () => {
    running = await startRelay();
    const client = await SseClient.open(`${running.url}/api/events?agency=3`);
    clients.push(client);
    await client.waitUntil(() => client.text.includes('event: snapshot'), 'the snapshot');
    await postCallback(running.url, 'createinfo', baseTask({ ID: TASK_ID }));

    await client.waitUntil(() => client.text.includes('event: task.created'), 'the event');

    const lines = client.text.split('\n');
    expect(lines[0]).toBe('retry: 2000');
    expect(lines).toContain(`id: ${running.relay.events.epoch}:1`);
    expect(lines.some((line) => line.startsWith('data: {"type":"task.created"'))).toBe(true);
  });

  it('rejects an invalid filter with 400', async () => {
    running = await startRelay();

    const queries: Record<string, string>[] = [{ owner: 'abc' }, { frames: 'yes' }];
    for (const query of queries) {
      const client = await SseClient.open(eventsUrl(running.url, query));
      const body = await readJsonBody(client);

      expect(client.status).toBe(400);
      expect(client.headers['content-type']).toMatch(/^application\/json/);
      expect(body.code).toBe('RS_ERR_QUERY_INVALID');
    }
    expect(running.relay.hub.connections).toBe(0);
  });

  it('counts frames and connections', async () => {
    running = await startRelay();
    const before = await readLabeledMetric(
      running.url,
      'relay_frames_sent_total',
      'transport',
      'sse',
    );
    const client = await connect();

    await postCallback(running.url, 'createinfo', baseTask({ ID: TASK_ID }));
    await client.next((message) => message.event === 'task.created');

    const after = await readLabeledMetric(
      running.url,
      'relay_frames_sent_total',
      'transport',
      'sse',
    );
    expect(after - before).toBe(2);
    expect(await readMetric(running.url, 'relay_connections')).toBe(1);
  });
});
