/**
 * Resuming with `Last-Event-ID` (or `lastEventId`): the missed events follow a `resumed`
 * message, with nothing missed and nothing twice. An id the history no longer reaches, or one of
 * another epoch, gets a snapshot instead.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { eventsUrl, readJsonBody, SseClient } from './support.js';

const TASK_ID = 67721;
const SECOND_TASK_ID = 67723;
const AGENCY_4_TASK_ID = 67722;

describe('event stream resume', () => {
  let running: RunningRelay | undefined;
  const clients: SseClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.abort();
    await running?.close();
    running = undefined;
  });

  async function connect(
    query: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<SseClient> {
    if (running === undefined) throw new Error('start the relay first');
    const client = await SseClient.connect(eventsUrl(running.url, query), headers);
    clients.push(client);
    return client;
  }

  async function post(route: string, fields: Record<string, unknown>): Promise<void> {
    if (running === undefined) throw new Error('start the relay first');
    const reply = await postCallback(running.url, route, baseTask(fields));
    expect(reply.status).toBe(200);
  }

  /** Publishes seq 1 to 3 (two agency 3 tasks, one agency 4) and returns the last id read. */
  async function readFirstEvents(client: SseClient): Promise<string> {
    await post('createinfo', { ID: TASK_ID });
    await post('createinfo', { ID: AGENCY_4_TASK_ID, AgencyUserID: 4 });
    await post('createinfo', { ID: SECOND_TASK_ID });
    await client.next((message) => message.json.seq === 3);
    return client.lastEventId;
  }

  /** Publishes seq 4 to 6 while no stream is open. */
  async function postWhileAway(): Promise<void> {
    await post('updateinfo', { ID: TASK_ID, Status: 2 });
    await post('updateinfo', { ID: AGENCY_4_TASK_ID, AgencyUserID: 4, Status: 2 });
    await post('updateinfo', { ID: SECOND_TASK_ID, Status: 3 });
  }

  it('resumes from Last-Event-ID exactly', async () => {
    running = await startRelay();
    const first = await connect({ agency: '3' });
    const lastId = await readFirstEvents(first);
    first.abort();
    await postWhileAway();

    const second = await connect({ agency: '3' }, { 'Last-Event-ID': lastId });
    await post('updateinfo', { ID: TASK_ID, Status: 4 });
    await second.next((message) => message.json.seq === 7);

    const epoch = running.relay.events.epoch;
    expect(lastId).toBe(`${epoch}:3`);
    const [resumed] = second.messages;
    expect(resumed?.event).toBe('resumed');
    expect(resumed?.id).toBeUndefined();
    expect(JSON.parse(resumed?.data ?? '{}')).toEqual({ epoch, seq: 6, recovered: true });
    const seen = [...first.events(), ...second.events()].map((message) => message.json.seq);
    expect(seen).toEqual([1, 3, 4, 6, 7]);
    expect(second.events().map((message) => message.id)).toEqual([
      `${epoch}:4`,
      `${epoch}:6`,
      `${epoch}:7`,
    ]);
  });

  it('resumes from the lastEventId parameter', async () => {
    running = await startRelay();
    const first = await connect({ agency: '3' });
    const lastId = await readFirstEvents(first);
    first.abort();
    await postWhileAway();

    const second = await connect({ agency: '3', lastEventId: lastId });
    await second.next((message) => message.json.seq === 6);

    expect(second.messages[0]?.event).toBe('resumed');
    expect(second.events().map((message) => message.json.seq)).toEqual([4, 6]);
  });

  it('resumes at the head quietly', async () => {
    running = await startRelay();
    const first = await connect({ agency: '3' });
    const lastId = await readFirstEvents(first);
    first.abort();

    const second = await connect({ agency: '3' }, { 'Last-Event-ID': lastId });
    await post('updateinfo', { ID: TASK_ID, Status: 2 });
    await second.next((message) => message.json.seq === 4);

    expect(second.messages.map((message) => message.event)).toEqual(['resumed', 'task.updated']);
  });

  it('snapshots when history is exhausted', async () => {
    running = await startRelay({ maxHistoryEvents: 2 });
    const first = await connect({ agency: '3' });
    const lastId = await readFirstEvents(first);
    first.abort();
    await postWhileAway();

    const second = await connect({ agency: '3' }, { 'Last-Event-ID': lastId });

    const [snapshot] = second.messages;
    const epoch = running.relay.events.epoch;
    expect(snapshot?.event).toBe('snapshot');
    expect(snapshot?.id).toBe(`${epoch}:6`);
    const body = JSON.parse(snapshot?.data ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({ epoch, seq: 6, recovered: false });
    const ids = (body.tasks as { id: number }[]).map((task) => task.id).sort((a, b) => a - b);
    expect(ids).toEqual([TASK_ID, SECOND_TASK_ID]);
    expect(second.events()).toEqual([]);
  });

  it('snapshots for another epoch', async () => {
    running = await startRelay();
    await post('createinfo', { ID: TASK_ID });

    const client = await connect({}, { 'Last-Event-ID': 'earlier-epoch:1' });

    const [snapshot] = client.messages;
    expect(snapshot?.event).toBe('snapshot');
    expect(snapshot?.id).toBe(`${running.relay.events.epoch}:1`);
    expect(client.events()).toEqual([]);
  });

  it('rejects a malformed Last-Event-ID', async () => {
    running = await startRelay();

    for (const value of ['no-colon', ':5', 'epoch:-1', 'epoch:1.5']) {
      const client = await SseClient.open(eventsUrl(running.url), { 'Last-Event-ID': value });
      const body = await readJsonBody(client);

      expect(client.status, value).toBe(400);
      expect(body.code, value).toBe('RS_ERR_LAST_EVENT_ID_INVALID');
    }
    expect(running.relay.hub.connections).toBe(0);
  });
});
