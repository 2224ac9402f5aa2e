import { afterEach, describe, expect, it } from 'vitest';
import { mintSubscriberToken } from '../../src/access/tokens.js';
import { RelayClientError } from '../../src/client/index.js';
import type { TaskView } from '../../src/events/task-view.js';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { RecordedClient } from './support.js';

const SECRET = 'client-test-secret-client-test-secret-0123';

async function post(url: string, fields: Record<string, unknown>): Promise<void> {
  const reply = await postCallback(url, 'updateinfo', baseTask(fields));
  expect(reply.body.error_code).toBe(0);
}

async function restTasks(url: string): Promise<TaskView[]> {
  const response = await fetch(`${url}/api/tasks?limit=1000`);
  return ((await response.json()) as { tasks: TaskView[] }).tasks.sort((a, b) => a.id - b.id);
}

function localTasks(recorded: RecordedClient): TaskView[] {
  return [...recorded.client.tasks.values()].sort((a, b) => a.id - b.id);
}

/** A token function that waits while the gate is shut, so a test can post during an outage. */
class TokenGate {
  calls = 0;
  #open: Promise<void> = Promise.resolve();
  #release: () => void = () => {};

  readonly token = async (): Promise<string> => {
    this.calls += 1;
    await this.#open;
    return 'unused-in-anonymous-mode';
  };

  shut(): void {
    this.#open = new Promise((resolve) => {
      this.#release = resolve;
    });
  }

  open(): void {
    this.#release();
  }
}

describe('client reconnect', () => {
  let running: RunningRelay | undefined;
  let recorded: RecordedClient | undefined;

  afterEach(async () => {
    recorded?.client.close();
    await running?.close();
  });

  it('takes new-epoch snapshot after restart', async () => {
    running = await startRelay();
    const url = running.url;
    await post(url, { ID: 1 });
    recorded = new RecordedClient({ url });
    recorded.client.start();
    await recorded.waitForState('connected');
    const firstEpoch = recorded.client.position?.epoch;

    await running.close();
    running = await startRelay({ port: Number(new URL(url).port) });
    await post(url, { ID: 2 });
    await recorded.waitFor('a second snapshot', () => (recorded?.snapshots.length ?? 0) >= 2);

    expect(recorded.snapshots.map((info) => info.reason)).toEqual(['initial', 'new-epoch']);
    expect(recorded.client.position?.epoch).not.toBe(firstEpoch);
    expect(recorded.statesNamed('reconnecting')[0]?.code).toBe(1001);
    const relay = running.relay;
    const client = recorded.client;
    await recorded.waitFor('the new task', () => client.position?.seq === relay.events.seq);
    expect(localTasks(recorded)).toEqual(await restTasks(url));
  });

  it('resumes after dropped connection', async () => {
    running = await startRelay();
    const { url, relay } = running;
    const gate = new TokenGate();
    recorded = new RecordedClient({ url, token: gate.token });
    recorded.client.start();
    await recorded.waitForState('connected');
    await post(url, { ID: 1, Status: 8 });
    await recorded.waitFor('the first event', () => recorded?.events.length === 1);

    gate.shut();
    relay.ws.terminate();
    await recorded.waitForState('connecting', 2);
    await post(url, { ID: 1, Status: 1 });
    await post(url, { ID: 2, Status: 8 });
    await post(url, { ID: 1, Status: 2, CompletedTime: 1574318325 });
    gate.open();
    await recorded.waitForState('connected', 2);
    const client = recorded.client;
    await recorded.waitFor('every event', () => client.position?.seq === relay.events.seq);

    expect(recorded.snapshots.map((info) => info.reason)).toEqual(['initial']);
    expect(recorded.events.map((event) => event.seq)).toEqual([1, 2, 3, 4]);
    expect(gate.calls).toBe(2);
    expect(localTasks(recorded)).toEqual(await restTasks(url));
  });

  it('replaces tasks when history is lost', async () => {
    running = await startRelay({ maxHistoryEvents: 2 });
    const { url, relay } = running;
    const gate = new TokenGate();
    recorded = new RecordedClient({ url, token: gate.token });
    recorded.client.start();
    await recorded.waitForState('connected');
    await post(url, { ID: 1, Status: 8 });
    await recorded.waitFor('the first event', () => recorded?.events.length === 1);

    gate.shut();
    relay.ws.terminate();
    await recorded.waitForState('connecting', 2);
    for (let id = 2; id <= 6; id += 1) await post(url, { ID: id, Status: 8 });
    await post(url, { ID: 1, Action: 3 });
    gate.open();
    await recorded.waitForState('connected', 2);

    expect(recorded.snapshots.map((info) => info.reason)).toEqual(['initial', 'history-lost']);
    expect(recorded.client.tasks.has(1)).toBe(false);
    expect(localTasks(recorded)).toEqual(await restTasks(url));
    expect(recorded.client.position).toEqual({ epoch: relay.events.epoch, seq: relay.events.seq });
  });

  it('stops on close code 4500', async () => {
    running = await startRelay();
    recorded = new RecordedClient({ url: running.url });
    recorded.client.start();
    await recorded.waitForState('connected');

    for (const socket of running.relay.ws.server.clients) socket.close(4500, 'too many');
    await recorded.waitForState('closed');

    const error = recorded.errors[0];
    expect(error).toBeInstanceOf(RelayClientError);
    expect((error as RelayClientError).code).toBe('RS_CLIENT_CLOSED_BY_RELAY');
    expect((error as RelayClientError).closeCode).toBe(4500);
    expect(recorded.statesNamed('reconnecting')).toEqual([]);
    expect(recorded.client.state).toBe('closed');
  });

  it('refetches token after 4002', async () => {
    running = await startRelay();
    let calls = 0;
    const token = (): string => {
      calls += 1;
      return `token-${calls}`;
    };
    recorded = new RecordedClient({ url: running.url, token });
    recorded.client.start();
    await recorded.waitForState('connected');

    for (const socket of running.relay.ws.server.clients) socket.close(4002, 'token expired');
    await recorded.waitForState('connected', 2);

    expect(calls).toBe(2);
    expect(recorded.statesNamed('reconnecting')[0]?.code).toBe(4002);
  });

  it('stops on 401 with fixed token', async () => {
    running = await startRelay({ jwtSecret: SECRET });
    recorded = new RecordedClient({ url: running.url, token: 'not-a-token' });
    recorded.client.start();
    await recorded.waitForState('closed');

    expect((recorded.errors[0] as RelayClientError).code).toBe('RS_CLIENT_TOKEN_REJECTED');
    expect((recorded.errors[0] as RelayClientError).fatal).toBe(true);
    expect(recorded.statesNamed('connected')).toEqual([]);
  });

  it('retries 401 with token function', async () => {
    running = await startRelay({ jwtSecret: SECRET });
    const good = await mintSubscriberToken(
      { owners: [], agencies: [3], admin: false, ttlMs: 60_000 },
      SECRET,
    );
    const tokens = ['expired-or-wrong', good];
    let calls = 0;
    const token = async (): Promise<string> => tokens[Math.min(calls++, 1)] as string;
    recorded = new RecordedClient({ url: running.url, token, filter: { agencies: [3] } });
    recorded.client.start();
    await recorded.waitForState('connected');

    expect(calls).toBe(2);
    expect((recorded.errors[0] as RelayClientError).code).toBe('RS_CLIENT_TOKEN_REJECTED');
    expect(recorded.statesNamed('reconnecting')[0]?.reason).toBe('HTTP 401');
  });

  it('stops on forbidden filter', async () => {
    running = await startRelay({ jwtSecret: SECRET });
    const token = await mintSubscriberToken(
      { owners: [], agencies: [3], admin: false, ttlMs: 60_000 },
      SECRET,
    );
    recorded = new RecordedClient({ url: running.url, token, filter: { agencies: [4] } });
    recorded.client.start();
    await recorded.waitForState('closed');

    expect((recorded.errors[0] as RelayClientError).code).toBe('RS_ERR_FORBIDDEN');
  });
});
