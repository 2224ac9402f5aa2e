import { afterEach, describe, expect, it } from 'vitest';
import type { TaskView } from '../../src/events/task-view.js';
import { runSimulator } from '../../src/simulate/simulator.js';
import { type RunningRelay, startRelay } from '../helpers/relay.js';
import { RecordedClient } from './support.js';

async function restTasks(url: string): Promise<TaskView[]> {
  const response = await fetch(`${url}/api/tasks?limit=1000`);
  const body = (await response.json()) as { tasks: TaskView[] };
  return body.tasks;
}

const byId = (a: TaskView, b: TaskView): number => a.id - b.id;

describe('client task map', () => {
  let running: RunningRelay | undefined;
  let recorded: RecordedClient | undefined;

  afterEach(async () => {
    recorded?.client.close();
    await running?.close();
  });

  it('matches REST after a simulated life', async () => {
    running = await startRelay();
    const url = running.url;
    const relay = running.relay;
    await runSimulator({ url, tasks: 4, ratePerSecond: 2000, seed: 11, firstTaskId: 1 });

    recorded = new RecordedClient({ url });
    recorded.client.start();
    await recorded.waitForState('connected');
    expect(recorded.snapshots[0]?.reason).toBe('initial');
    expect(recorded.snapshots[0]?.tasks.length).toBeGreaterThan(0);

    const stats = await runSimulator({
      url,
      tasks: 12,
      ratePerSecond: 2000,
      seed: 12,
      firstTaskId: 100,
      resendRatio: 0.2,
      lateRatio: 0.1,
    });
    expect(stats.failed).toBe(0);
    const client = recorded.client;
    await recorded.waitFor('the last event', () => client.position?.seq === relay.events.seq);

    const local = [...client.tasks.values()].sort(byId);
    expect(local).toEqual((await restTasks(url)).sort(byId));
    const seqs = recorded.events.map((event) => event.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('counts frames from frame events', async () => {
    running = await startRelay();
    const url = running.url;
    const relay = running.relay;
    recorded = new RecordedClient({ url, filter: { frames: true } });
    recorded.client.start();
    await recorded.waitForState('connected');

    await runSimulator({ url, tasks: 8, ratePerSecond: 2000, seed: 5, frames: true, maxFrames: 6 });
    const client = recorded.client;
    await recorded.waitFor('the last event', () => client.position?.seq === relay.events.seq);
    expect(recorded.events.some((event) => event.type === 'frame.updated')).toBe(true);

    // Frames that arrived before their task are attached without an event. So only the relay
    // counts them, and the other tasks must match exactly.
    const rest = (await restTasks(url)).sort(byId);
    const local = [...client.tasks.values()].sort(byId);
    expect(local.map((task) => task.id)).toEqual(rest.map((task) => task.id));
    const withoutCounts = (task: TaskView) => ({ ...task, frameStatusCounts: undefined });
    expect(local.map(withoutCounts)).toEqual(rest.map(withoutCounts));
    const matchingCounts = local.filter(
      (task, index) =>
        JSON.stringify(task.frameStatusCounts) === JSON.stringify(rest[index]?.frameStatusCounts),
    );
    expect(matchingCounts.length).toBeGreaterThanOrEqual(Math.ceil(local.length / 2));
  });

  it('keeps only tasks in the status filter', async () => {
    running = await startRelay();
    const url = running.url;
    const relay = running.relay;
    recorded = new RecordedClient({ url, filter: { statuses: [2] } });
    recorded.client.start();
    await recorded.waitForState('connected');

    await runSimulator({ url, tasks: 10, ratePerSecond: 2000, seed: 21 });
    const client = recorded.client;
    await recorded.waitFor(
      'the last done event',
      () =>
        recorded?.events.at(-1)?.seq === relay.events.seq ||
        client.position?.seq === relay.events.seq,
    );

    for (const task of client.tasks.values()) expect(task.status).toBe(2);
  });
});
