/**
 * A whole simulated platform, resends and late deliveries included, observed by subscribers with
 * different filters: each sees exactly its own tasks' events, in order, and can rebuild the
 * relay's state from them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runSimulator } from '../../src/simulate/simulator.js';
import { type RunningRelay, startRelay } from '../helpers/relay.js';
import { type Frame, TestClient } from '../helpers/ws-client.js';

interface EventTask {
  id: number;
  owner: number;
  agencyUserId: number;
  status: number;
}

const taskOf = (frame: Frame): EventTask => frame.task as EventTask;

async function metric(url: string, line: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const found = text.split('\n').find((row) => row.startsWith(line));
  return found === undefined ? 0 : Number(found.slice(line.length).trim());
}

describe('simulated platform', () => {
  let running: RunningRelay;
  const clients: TestClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await running?.close();
  });

  it('delivers each subscriber exactly its events', async () => {
    running = await startRelay();
    const connect = async (filter: Record<string, unknown>): Promise<TestClient> => {
      const client = await TestClient.connect(running.wsUrl);
      clients.push(client);
      await client.subscribe({ id: 's', ...filter });
      return client;
    };

    const everything = await connect({});
    const firstAgency = await connect({ agencies: [1] });
    const secondAgency = await connect({ agencies: [2] });
    const oneOwner = await connect({ owners: [2] });
    const finished = await connect({ statuses: [2, 4] });

    const stats = await runSimulator({
      url: running.url,
      tasks: 12,
      ratePerSecond: 2000,
      owners: 4,
      agencies: 2,
      seed: 7,
      resendRatio: 0.1,
      lateRatio: 0.05,
      maxFrames: 30,
    });
    expect(stats.failed).toBe(0);
    expect(stats.resent).toBeGreaterThan(0);

    const lastSeq = running.relay.events.seq;
    await everything.next((frame) => frame.seq === lastSeq, 10_000);
    const all = everything.events();
    expect(all.map((frame) => frame.seq)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));

    const fence = async (
      client: TestClient,
      accept: (task: EventTask, frame: Frame) => boolean,
    ): Promise<void> => {
      const expected = all
        .filter((frame) => accept(taskOf(frame), frame))
        .map((frame) => frame.seq);
      const last = expected.at(-1);
      if (last !== undefined) await client.next((frame) => frame.seq === last, 10_000);
      expect(client.events().map((frame) => frame.seq)).toEqual(expected);
    };
    await fence(firstAgency, (task) => task.agencyUserId === 1);
    await fence(secondAgency, (task) => task.agencyUserId === 2);
    await fence(oneOwner, (task) => task.owner === 2);
    await fence(
      finished,
      (task, frame) =>
        [2, 4].includes(task.status) ||
        [2, 4].includes((frame.previous as { status?: number }).status ?? -1),
    );

    // Resends and late copies were acknowledged without events.
    const created = await metric(running.url, 'relay_events_published_total{type="task.created"}');
    const updated = await metric(running.url, 'relay_events_published_total{type="task.updated"}');
    const deleted = await metric(running.url, 'relay_events_published_total{type="task.deleted"}');
    expect(created + updated + deleted).toBe(lastSeq);
    const ignored =
      (await metric(running.url, 'relay_callbacks_total{route="updateinfo",outcome="duplicate"}')) +
      (await metric(running.url, 'relay_callbacks_total{route="updateinfo",outcome="stale"}'));
    expect(ignored).toBeGreaterThan(0);
    const text = await (await fetch(`${running.url}/metrics`)).text();
    const callbacks = text.split('\n').filter((row) => row.startsWith('relay_callbacks_total{'));
    const countOf = (rows: string[]): number =>
      rows.reduce((sum, row) => sum + Number(row.split(' ').at(-1)), 0);
    expect(countOf(callbacks.filter((row) => row.includes('outcome="rejected"')))).toBe(0);
    expect(countOf(callbacks)).toBe(stats.ok);

    // Replaying the events rebuilds the relay's view of every task still cached.
    const rebuilt = new Map<number, Record<string, unknown>>();
    for (const frame of all) {
      const id = taskOf(frame).id;
      if (frame.type === 'task.deleted') {
        rebuilt.delete(id);
        continue;
      }
      rebuilt.set(id, { id, ...rebuilt.get(id), ...(frame.changes as Record<string, unknown>) });
    }
    const cached = [...running.relay.store.cache.values()];
    expect(cached.map((entry) => entry.task.id).sort()).toEqual([...rebuilt.keys()].sort());
    for (const entry of cached) {
      const { renderOutputFiles: _files, extra: _extra, ...fields } = entry.task;
      expect(rebuilt.get(entry.task.id)).toEqual(fields);
    }
  });
});
