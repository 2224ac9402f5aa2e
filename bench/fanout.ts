/**
 * Section 3: fan-out. (a) In process: the relay's event log and hub deliver events to 10 000
 * in-memory sessions, against a naive loop that checks every session and encodes the event once
 * per matching session. (b) Over real sockets, in fanout-sockets.ts.
 */
import type { EventDraft, RelayEvent } from '../src/events/event.js';
import { matchesEvent, type SubscriptionFilter } from '../src/fanout/filter.js';
import type { Peer } from '../src/fanout/hub.js';
import type { Relay } from '../src/relay.js';
import { benchSocketFanout, SOCKET_FANOUT_DESCRIPTION } from './fanout-sockets.js';
import { createBenchRelay } from './setup.js';
import { medianPerSecond, ROUNDS, runRounds, type Sample, timeLoop } from './stats.js';
import type { Row, Section } from './table.js';

const SESSIONS = 10_000;
const AGENCIES = 100;
const EVENTS = 10_000;
/** Events per round of the naive baseline, which checks every session for every event. */
const NAIVE_EVENTS = 1_000;
const ROUND_CAP_MS = 5_000;
const SESSIONS_PER_AGENCY = SESSIONS / AGENCIES;

/** An in-memory transport: counts frames and bytes, never backs up. */
class CountingPeer implements Peer {
  readonly transport = 'ws' as const;
  readonly bufferedAmount = 0;
  frames = 0;
  bytes = 0;

  send(frame: Buffer): void {
    this.frames += 1;
    this.bytes += frame.length;
  }

  close(): void {}
}

/** A session of the naive baseline: a filter and a peer, nothing indexed. */
interface NaiveSession {
  readonly filter: SubscriptionFilter;
  readonly peer: CountingPeer;
}

const agencyOf = (index: number): number => 1 + (index % AGENCIES);

const agencyFilter = (agency: number): SubscriptionFilter => ({
  agencies: new Set([agency]),
  frames: false,
});

/** Builds progress events of 1 000 tasks spread evenly over the agencies. */
function buildDrafts(count: number, offset: number): EventDraft[] {
  return Array.from({ length: count }, (_, i) => {
    const index = offset + i;
    const taskId = 3_000_000 + (index % 1_000);
    const frames = Math.floor(index / 1_000) + 1;
    return {
      type: 'task.updated',
      task: {
        id: taskId,
        name: 'box',
        owner: 1601,
        ownerName: 'u1',
        agencyUserId: agencyOf(index),
        status: 1,
        statusName: 'rendering',
      },
      changes: { frameCompleted: frames, renderTimeThreadTotal: frames * 64 },
      previous: { frameCompleted: frames - 1, renderTimeThreadTotal: (frames - 1) * 64 },
      outputFilesAdded: [],
    };
  });
}

/** Attaches the sessions to the relay's hub, each subscribed to one agency. */
function subscribeSessions(relay: Relay): CountingPeer[] {
  const peers: CountingPeer[] = [];

  for (let index = 0; index < SESSIONS; index += 1) {
    const peer = new CountingPeer();
    const session = relay.hub.attach(`bench-${index}`, peer);
    relay.hub.subscribe(session, { id: 'agency', filter: agencyFilter(agencyOf(index)) });
    peers.push(peer);
  }

  return peers;
}

/** Publishes the drafts through the relay's event log, which encodes each once and hands it to the hub. */
function timeRelay(relay: Relay, peers: readonly CountingPeer[], drafts: EventDraft[]): Sample {
  const framesBefore = countFrames(peers);
  const nowMs = Date.now();

  const sample = timeLoop(drafts.length, ROUND_CAP_MS, (i) => {
    relay.events.publish(drafts[i] as EventDraft, nowMs);
  });

  checkDeliveries('hub', countFrames(peers) - framesBefore, sample.ops);
  return sample;
}

/** Numbers each draft as the event log does, then checks and encodes it for every session. */
function timeNaive(
  sessions: readonly NaiveSession[],
  drafts: EventDraft[],
  firstSeq: number,
): Sample {
  const peers = sessions.map((session) => session.peer);
  const framesBefore = countFrames(peers);
  const nowMs = Date.now();

  const sample = timeLoop(drafts.length, ROUND_CAP_MS, (i) => {
    const event: RelayEvent = {
      ...(drafts[i] as EventDraft),
      seq: firstSeq + i,
      epoch: 'naive',
      at: nowMs,
    };

    for (const session of sessions) {
      if (matchesEvent(session.filter, event)) {
        session.peer.send(Buffer.from(JSON.stringify(event)));
      }
    }
  });

  checkDeliveries('naive loop', countFrames(peers) - framesBefore, sample.ops);
  return sample;
}

function countFrames(peers: readonly CountingPeer[]): number {
  let frames = 0;
  for (const peer of peers) frames += peer.frames;
  return frames;
}

function checkDeliveries(label: string, delivered: number, events: number): void {
  const expected = events * SESSIONS_PER_AGENCY;
  if (delivered !== expected) {
    throw new Error(`fan-out (${label}): delivered ${delivered} frames, expected ${expected}`);
  }
}

/** Measures part (a): the in-process hub against the naive loop. */
async function benchHubFanout(): Promise<Row[]> {
  const relay = createBenchRelay();
  const peers = subscribeSessions(relay);
  const naiveSessions: NaiveSession[] = Array.from({ length: SESSIONS }, (_, index) => ({
    filter: agencyFilter(agencyOf(index)),
    peer: new CountingPeer(),
  }));

  const rounds = await runRounds(ROUNDS, (round) => {
    const drafts = buildDrafts(EVENTS, round * EVENTS);
    const relaySample = timeRelay(relay, peers, drafts);
    const naiveSample = timeNaive(naiveSessions, drafts.slice(0, NAIVE_EVENTS), round * EVENTS);
    return { relaySample, naiveSample };
  });
  await relay.close();

  const relayRate = medianPerSecond(rounds.map((round) => round.relaySample));
  const naiveRate = medianPerSecond(rounds.map((round) => round.naiveSample));
  const name = `hub, ${SESSIONS.toLocaleString('en-US')} in-memory sessions over ${AGENCIES} agencies`;
  return [
    { name, result: relayRate, unit: 'events/s', baseline: naiveRate },
    {
      name,
      result: relayRate * SESSIONS_PER_AGENCY,
      unit: 'deliveries/s',
      baseline: naiveRate * SESSIONS_PER_AGENCY,
    },
  ];
}

/** Measures section 3 and returns its rows and description. */
export async function benchFanout(): Promise<Section> {
  const hubRows = await benchHubFanout();
  const socketRows = await benchSocketFanout();

  return {
    title: '3. Fan-out (relay hub vs naive loop; relay vs bare ws server)',
    description:
      `(a) ${SESSIONS.toLocaleString('en-US')} in-memory sessions (send buffer always empty, ` +
      `each send only counts bytes) are attached to a fresh relay's hub, each subscribed to one ` +
      `of ${AGENCIES} agencies, so every event matches ${SESSIONS_PER_AGENCY} sessions. Each ` +
      `round publishes up to ${EVENTS.toLocaleString('en-US')} progress events through the ` +
      "relay's event log (`events.publish`: numbering, one JSON encoding, history, hub " +
      'delivery through the subscription index, metrics). The baseline delivers the same events ' +
      'naively: it checks every session with `matchesEvent` and runs `JSON.stringify` once per ' +
      `matching session, over the first ${NAIVE_EVENTS.toLocaleString('en-US')} events of the ` +
      'round. Deliveries per second are events per second times the sessions per agency, and ' +
      'every round checks that each event reached exactly that many sessions. ' +
      SOCKET_FANOUT_DESCRIPTION,
    rows: [...hubRows, ...socketRows],
  };
}
