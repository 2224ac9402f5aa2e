/**
 * The stream's Peer on a Node response without a network: what it writes, and that a response
 * the client already closed gets no write and reports itself gone once.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { RelayEvent } from '../../src/events/event.js';
import { encodeEventMessage, parseEventId } from '../../src/sse/messages.js';
import { SseStream } from '../../src/sse/stream.js';

/** Creates a response on an unconnected socket, so every write stays in its own buffer. */
function detachedResponse(): { response: ServerResponse; writes: () => number } {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  let writes = 0;
  const write = response.write.bind(response);
  response.write = ((...args: Parameters<ServerResponse['write']>) => {
    writes += 1;
    return write(...args);
  }) as ServerResponse['write'];
  return { response, writes: () => writes };
}

const EVENT = {
  type: 'task.updated',
  seq: 42,
  epoch: 'e1',
  at: 1733300000000,
  task: {
    id: 1,
    name: '',
    owner: 1,
    ownerName: '',
    agencyUserId: 3,
    status: 2,
    statusName: 'done',
  },
  changes: {},
  previous: {},
  outputFilesAdded: [],
} as RelayEvent;

describe('sse peer', () => {
  it('reports a response closed before start', () => {
    const { response, writes } = detachedResponse();
    let gone = 0;
    const stream = new SseStream(response, () => {
      gone += 1;
    });
    response.destroy();

    stream.start(2000);
    stream.send(Buffer.from('{}'));
    stream.heartbeat(0);
    stream.close(1001, 'server shutting down');

    expect(gone).toBe(1);
    expect(writes()).toBe(0);
    expect(stream.writable).toBe(false);
  });

  it('stops writing after close', () => {
    const { response, writes } = detachedResponse();
    const stream = new SseStream(response, () => {});
    stream.start(2000);
    const afterStart = writes();

    stream.close(4001, 'slow consumer');
    stream.send(Buffer.from('{}'));
    stream.heartbeat(0);

    expect(afterStart).toBe(1);
    expect(writes()).toBe(afterStart);
    expect(response.writableEnded).toBe(true);
    expect(stream.writable).toBe(false);
    response.destroy();
  });

  it('encodes an event once', () => {
    const frame = Buffer.from(JSON.stringify(EVENT));

    const first = encodeEventMessage(EVENT, frame);
    const second = encodeEventMessage(EVENT, frame);

    expect(second).toBe(first);
    expect(first.toString()).toBe(`id: e1:42\nevent: task.updated\ndata: ${frame}\n\n`);
  });

  it('parses event ids strictly', () => {
    expect(parseEventId('e1:42')).toEqual({ epoch: 'e1', seq: 42 });
    expect(parseEventId('a:b:7')).toEqual({ epoch: 'a:b', seq: 7 });
    expect(parseEventId('e1:0')).toEqual({ epoch: 'e1', seq: 0 });
    for (const invalid of [
      '',
      'e1',
      ':1',
      'e1:',
      'e1:-1',
      'e1:1e3',
      'e1:99999999999999999',
      `${'x'.repeat(65)}:1`,
    ]) {
      expect(parseEventId(invalid), invalid).toBeUndefined();
    }
  });
});
