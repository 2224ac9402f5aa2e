/**
 * Clients that go away: many streams aborted at once leave no session, no timer and no write
 * behind, and the relay keeps serving the streams that stay.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EventDraft } from '../../src/events/event.js';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { waitFor } from '../ws/support.js';
import {
  eventsUrl,
  readLabeledMetric,
  SseClient,
  watchStreamResponses,
  watchWritesAfterClose,
} from './support.js';

const TASK_ID = 67721;
const ABORTED_STREAMS = 200;
/** Above the streams opened here, so the per-address rate of new connections never bites. */
const UPGRADE_BURST = 1000;
/** Log level of pino's `error`. */
const ERROR_LEVEL = 50;

/** Builds a `task.updated` draft for agency 3, to publish straight to the event log. */
function updateDraft(): EventDraft {
  return {
    type: 'task.updated',
    task: {
      id: TASK_ID,
      name: 'box',
      owner: 1601,
      ownerName: 'u1',
      agencyUserId: 3,
      status: 2,
      statusName: 'done',
    },
    changes: { status: 2 },
    previous: { status: 1 },
    outputFilesAdded: [],
  };
}

describe('event stream cleanup', () => {
  let running: RunningRelay | undefined;
  let watch: ReturnType<typeof watchWritesAfterClose> | undefined;
  const clients: SseClient[] = [];

  afterEach(async () => {
    watch?.restore();
    watch = undefined;
    for (const client of clients.splice(0)) client.abort();
    await running?.close();
    running = undefined;
  });

  it('detaches two hundred aborted streams', async () => {
    running = await startRelay({ upgradeBurst: UPGRADE_BURST, heartbeatIntervalMs: 50 });
    const relay = running.relay;
    const healthy = await SseClient.connect(eventsUrl(running.url, { agency: '3' }));
    clients.push(healthy);
    const baseline = relay.hub.connections;
    watch = watchWritesAfterClose();

    const url = eventsUrl(running.url, { agency: '3' });
    const aborted = await Promise.all(
      Array.from({ length: ABORTED_STREAMS }, () => SseClient.connect(url)),
    );
    expect(relay.hub.connections).toBe(baseline + ABORTED_STREAMS);
    expect(relay.sse.openStreams).toBe(baseline + ABORTED_STREAMS);
    for (const client of aborted) client.abort();
    await waitFor(() => relay.hub.connections === baseline, 'the hub to detach every session');
    await waitFor(() => relay.sse.openStreams === baseline, 'the endpoint to forget every stream');

    const framesBefore = await readLabeledMetric(
      running.url,
      'relay_frames_sent_total',
      'transport',
      'sse',
    );
    await postCallback(running.url, 'createinfo', baseTask({ ID: TASK_ID }));
    await healthy.next((message) => message.event === 'task.created');
    // Two heartbeat rounds pass, so a timer left on an aborted stream would have written by now.
    const heartbeats = healthy.comments.length;
    await healthy.waitUntil(() => healthy.comments.length >= heartbeats + 2, 'two more heartbeats');
    const framesAfter = await readLabeledMetric(
      running.url,
      'relay_frames_sent_total',
      'transport',
      'sse',
    );

    expect(framesAfter - framesBefore).toBe(1);
    expect(watch.count()).toBe(0);
    expect(relay.hub.connections).toBe(baseline);
    expect(relay.hub.subscriptions).toBe(baseline);
    const errors = running.logs.filter((record) => record.level >= ERROR_LEVEL);
    expect(errors).toEqual([]);
  });

  it('skips a stream closed mid-publish', async () => {
    running = await startRelay();
    const relay = running.relay;
    const responses = watchStreamResponses();
    let client: SseClient;
    try {
      client = await SseClient.connect(eventsUrl(running.url, { agency: '3' }));
    } finally {
      responses.restore();
    }
    clients.push(client);
    const [response] = responses.responses;
    if (response === undefined) throw new Error('the relay started no event stream');
    const framesBefore = await readLabeledMetric(
      running.url,
      'relay_frames_sent_total',
      'transport',
      'sse',
    );
    watch = watchWritesAfterClose();

    // The response's close event comes a tick after destroy(), so this publish finds the
    // session still attached and the stream already gone.
    response.destroy();
    relay.events.publish(updateDraft(), Date.now());

    expect(relay.hub.connections).toBe(0);
    expect(watch.count()).toBe(0);
    const framesAfter = await readLabeledMetric(
      running.url,
      'relay_frames_sent_total',
      'transport',
      'sse',
    );
    expect(framesAfter).toBe(framesBefore);
    await waitFor(() => relay.sse.openStreams === 0, 'the endpoint to forget the stream');
  });
});
