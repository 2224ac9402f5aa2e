/**
 * Property: whatever the order of publishes, subscribes and reconnects, every client receives
 * exactly the events that match its filter after its starting point, once each and in order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EventDraft, identityOf, type RelayEvent } from '../../src/events/event.js';
import { InMemoryEventLog } from '../../src/events/event-log.js';
import { matchesEvent, type SubscriptionFilter } from '../../src/fanout/filter.js';
import { Hub, type Peer, type Session } from '../../src/fanout/hub.js';
import { silentLogger } from '../../src/observability/log.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { Task } from '../../src/protocol/task-schema.js';
import { TaskStore } from '../../src/state/task-store.js';

/** An in-memory transport: records frames, never backs up. */
class MemoryPeer implements Peer {
  readonly transport = 'ws' as const;
  readonly bufferedAmount = 0;
  readonly seqs: number[] = [];

  send(frame: Buffer): void {
    this.seqs.push((JSON.parse(frame.toString()) as { seq: number }).seq);
  }

  close(): void {}
}

const OWNERS = [1, 2, 3];
const AGENCIES = [10, 20];

const publish = fc.record({
  kind: fc.constant('publish' as const),
  taskId: fc.integer({ min: 1, max: 6 }),
  owner: fc.constantFrom(...OWNERS),
  agency: fc.constantFrom(...AGENCIES),
  status: fc.integer({ min: 0, max: 9 }),
  previousStatus: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
});

const filter = fc.record(
  {
    owners: fc.uniqueArray(fc.constantFrom(...OWNERS), { minLength: 1 }),
    agencies: fc.uniqueArray(fc.constantFrom(...AGENCIES), { minLength: 1 }),
    statuses: fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 3 }),
    taskIds: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: [] },
);

const connect = fc.record({ kind: fc.constant('connect' as const), filter });
const drop = fc.record({ kind: fc.constant('drop' as const), client: fc.nat() });
const resume = fc.record({ kind: fc.constant('resume' as const), client: fc.nat() });

function toFilter(lists: {
  owners?: number[];
  agencies?: number[];
  statuses?: number[];
  taskIds?: number[];
}): SubscriptionFilter {
  const set = (values?: number[]) => (values === undefined ? undefined : new Set(values));
  return {
    owners: set(lists.owners),
    agencies: set(lists.agencies),
    statuses: set(lists.statuses),
    taskIds: set(lists.taskIds),
    frames: false,
  };
}

function draftOf(command: {
  taskId: number;
  owner: number;
  agency: number;
  status: number;
  previousStatus: number | undefined;
}): EventDraft {
  const task = {
    id: command.taskId,
    name: 't',
    owner: command.owner,
    ownerName: 'u',
    agencyUserId: command.agency,
    status: command.status,
  } as Task;
  const previous = command.previousStatus === undefined ? {} : { status: command.previousStatus };
  return {
    type: 'task.updated',
    task: identityOf(task),
    changes: { status: command.status },
    previous,
    outputFilesAdded: [],
  };
}

interface Client {
  readonly filter: SubscriptionFilter;
  session: Session;
  peer: MemoryPeer;
  /** Every seq received over all connections of this client. */
  received: number[];
  /** Seqs the client may legitimately lack because a snapshot covered them. */
  covered: Set<number>;
  startSeq: number;
  /** Where the client first subscribed; everything matching after it is due. */
  readonly originSeq: number;
}

describe('Hub delivery property', () => {
  it('delivers matching events exactly once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(publish, publish, connect, drop, resume), { maxLength: 80 }),
        fc.integer({ min: 2, max: 30 }),
        (commands, historySize) => {
          const log = new InMemoryEventLog({ maxEvents: historySize, maxBytes: 1 << 30 });
          const store = new TaskStore({
            maxTasks: 10,
            maxBytes: 1 << 20,
            retentionMs: 1,
            duplicateWindowMs: 1,
            recentStatesPerTask: 1,
            maxTombstones: 1,
          });
          const hub = new Hub({
            store,
            log,
            metrics: createMetrics(zeroProbes),
            logger: silentLogger(),
            maxBufferedBytes: 1 << 20,
            maxSubscriptionsPerConnection: 4,
            maxSnapshotTasks: 10,
            onLimit: () => {},
          });
          const clients: Client[] = [];
          const allEvents = new Map<number, RelayEvent>();
          log.listen(({ event }) => allEvents.set(event.seq, event));
          let nextId = 0;

          const open = (
            client: Omit<Client, 'session' | 'peer'> & Partial<Client>,
            since?: number,
          ): Client => {
            const peer = new MemoryPeer();
            const session = hub.attach(`c${nextId++}`, peer);
            const result = hub.subscribe(session, {
              id: 's',
              filter: client.filter,
              ...(since === undefined ? {} : { since: { epoch: log.epoch, seq: since } }),
            });
            for (const published of result.replay) hub.send(session, published.frame);
            const full = client as Client;
            full.session = session;
            full.peer = peer;
            if (!result.recovered) {
              for (let seq = full.startSeq + 1; seq <= result.seq; seq++) full.covered.add(seq);
            }
            return full;
          };

          for (const command of commands) {
            if (command.kind === 'publish') {
              log.publish(draftOf(command), 0);
            } else if (command.kind === 'connect') {
              clients.push(
                open({
                  filter: toFilter(command.filter),
                  received: [],
                  covered: new Set(),
                  startSeq: log.seq,
                  originSeq: log.seq,
                }),
              );
            } else if (clients.length > 0) {
              const client = clients[command.client % clients.length] as Client;
              if (command.kind === 'drop' && !client.session.closed) {
                client.received.push(...client.peer.seqs);
                client.peer.seqs.length = 0;
                hub.detach(client.session);
              } else if (command.kind === 'resume' && client.session.closed) {
                const lastSeen = Math.max(client.startSeq, ...client.received);
                client.startSeq = lastSeen;
                open(client, lastSeen);
              }
            }
          }

          // Every client comes back at the end, so missed events must arrive by replay or snapshot.
          for (const client of clients) {
            if (!client.session.closed) continue;
            client.startSeq = Math.max(client.startSeq, ...client.received);
            open(client, client.startSeq);
          }

          for (const client of clients) {
            client.received.push(...client.peer.seqs);
            client.peer.seqs.length = 0;
            expect(new Set(client.received).size).toBe(client.received.length);
            expect([...client.received].sort((a, b) => a - b)).toEqual(client.received);

            for (const seq of client.received) {
              const event = allEvents.get(seq);
              if (event !== undefined) expect(matchesEvent(client.filter, event)).toBe(true);
            }
            for (const event of allEvents.values()) {
              const due =
                event.seq > client.originSeq &&
                matchesEvent(client.filter, event) &&
                !client.covered.has(event.seq);
              if (due) expect(client.received).toContain(event.seq);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

const zeroProbes = {
  cacheTasks: () => 0,
  cacheBytes: () => 0,
  tombstones: () => 0,
  historyEvents: () => 0,
  historyBytes: () => 0,
  connections: () => 0,
  subscriptions: () => 0,
};
