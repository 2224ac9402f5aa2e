import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { baseTask, type RunningRelay, startRelay } from '../helpers/relay.js';
import { parseReply, postRaw, type RawReply, readMetric, taskJson } from './support.js';

const ROUTE = '/api/task/updateinfo';
const KiB = 1024;
const MiB = 1024 * KiB;

/** What a streamed request ended with: a reply, or the socket error that cut it. */
interface StreamOutcome {
  readonly reply?: RawReply;
  readonly error?: Error;
  /** Body bytes handed to the socket before the loop stopped. */
  readonly bytesWritten: number;
}

/**
 * Streams a chunked body of `chunks` (each written in turn, waiting for drain) until the relay
 * responds, the socket fails, `maxBytes` are written or `timeLimitMs` passes, whichever is first.
 */
async function streamChunked(
  url: string,
  chunks: Iterable<Buffer | string>,
  limits: { maxBytes: number; timeLimitMs: number },
): Promise<StreamOutcome> {
  const request = http.request(`${url}${ROUTE}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
  });

  let finished = false;
  const outcome = new Promise<Omit<StreamOutcome, 'bytesWritten'>>((resolve) => {
    request.on('error', (error) => resolve({ error }));
    request.on('response', (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('error', (error) => resolve({ error }));
      response.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({ reply: { status: response.statusCode ?? 0, text, body: parseReply(text) } });
      });
    });
  }).finally(() => {
    finished = true;
  });

  const deadline = Date.now() + limits.timeLimitMs;
  let bytesWritten = 0;
  for (const chunk of chunks) {
    if (finished || bytesWritten >= limits.maxBytes || Date.now() > deadline) break;

    const flushed = request.write(chunk);
    bytesWritten += Buffer.byteLength(chunk);
    if (!flushed) {
      const drained = once(request, 'drain').catch(() => undefined);
      await Promise.race([drained, outcome]);
    }
  }

  if (!finished) request.end();
  const result = await outcome;
  request.destroy();
  return { ...result, bytesWritten };
}

/** Endless chunks of spaces after an opening brace: a body that only grows. */
function* endlessSpaces(chunkBytes: number): Generator<Buffer | string> {
  yield '{"ID":1,"Name":"';
  const chunk = Buffer.alloc(chunkBytes, 0x20);
  for (;;) yield chunk;
}

/** Splits text into pieces of `size` characters. */
function* piecesOf(text: string, size: number): Generator<string> {
  for (let start = 0; start < text.length; start += size) yield text.slice(start, start + size);
}

/** Sends raw request bytes over TCP and returns everything the relay wrote before closing. */
async function sendRawHttp(url: string, requestText: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port) });
  await once(socket, 'connect');

  const parts: Buffer[] = [];
  socket.on('data', (part: Buffer) => parts.push(part));
  const closed = once(socket, 'close');
  socket.write(requestText);
  await closed;
  return Buffer.concat(parts).toString('utf8');
}

describe('callback body limits', () => {
  let running: RunningRelay | undefined;

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('reads 30 000 files sent chunked', async () => {
    running = await startRelay();
    const files = Array.from({ length: 30_000 }, (_, index) => ({
      name: `/2019-11-21/67721-frames/A-${String(index).padStart(5, '0')}.TGA`,
      size: 55_477,
      time: 0,
      isdir: false,
    }));
    const text = JSON.stringify(baseTask({ RenderOutputFiles: files }));

    const outcome = await streamChunked(running.url, piecesOf(text, 64 * KiB), {
      maxBytes: 64 * MiB,
      timeLimitMs: 15_000,
    });

    expect(outcome.error).toBeUndefined();
    expect(outcome.reply?.status).toBe(200);
    expect(outcome.reply?.body?.error_code).toBe(0);
    const cached = running.relay.store.cache.get(67721)?.task;
    expect(cached?.renderOutputFiles).toHaveLength(30_000);
    expect(cached?.renderOutputFiles[29_999]?.name).toBe('/2019-11-21/67721-frames/A-29999.TGA');
  });

  it.each([
    ['1 MiB', MiB],
    ['default 16 MiB', undefined],
  ])('stops an endless chunked body at %s', async (_label, maxBodyBytes) => {
    running = await startRelay(maxBodyBytes === undefined ? {} : { maxBodyBytes });
    const limit = running.relay.config.maxBodyBytes;

    const outcome = await streamChunked(running.url, endlessSpaces(64 * KiB), {
      maxBytes: 300 * MiB,
      timeLimitMs: 10_000,
    });

    expect(outcome.error).toBeUndefined();
    expect(outcome.reply?.status).toBe(413);
    expect(outcome.reply?.body?.code).toBe('RS_ERR_BODY_TOO_LARGE');
    expect(outcome.reply?.body?.error_msg).toContain(String(limit));
    // The relay responded soon after the limit, not after the whole 300 MiB.
    expect(outcome.bytesWritten).toBeLessThan(limit + 8 * MiB);
  });

  it('rejects a large Content-Length upfront', async () => {
    running = await startRelay({ maxBodyBytes: 1000 });
    const body = taskJson({ Camera: 'c'.repeat(2000) });

    const reply = await postRaw(running.url, ROUTE, body, { 'Content-Type': 'application/json' });

    expect(reply.status).toBe(413);
    expect(reply.body?.code).toBe('RS_ERR_BODY_TOO_LARGE');
  });

  it('counts the body limit in metrics', async () => {
    running = await startRelay({ maxBodyBytes: 1000 });

    const reply = await postRaw(running.url, ROUTE, taskJson({ Camera: 'c'.repeat(2000) }));

    expect(reply.status).toBe(413);
    const limitHits = await readMetric(running.url, 'relay_limit_hits_total', {
      limit: 'body_bytes',
    });
    const rejections = await readMetric(running.url, 'relay_callback_rejections_total', {
      code: 'RS_ERR_BODY_TOO_LARGE',
    });
    expect(limitHits).toBeGreaterThanOrEqual(1);
    expect(rejections).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['Content-Length abc', 'Content-Length: abc\r\n\r\n{}'],
    ['Content-Length -1', 'Content-Length: -1\r\n\r\n{}'],
    ['two Content-Lengths', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}'],
    ['a bad chunk size', 'Transfer-Encoding: chunked\r\n\r\n8\r\n{"ID":1,\r\nzz\r\n'],
  ])('rejects %s with JSON 400', async (_case, rest) => {
    running = await startRelay();

    const response = await sendRawHttp(
      running.url,
      `POST ${ROUTE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${rest}`,
    );

    const [head = '', body = ''] = response.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(body).toContain('"error_code":1');
    expect(parseReply(body)?.error_code).toBe(1);
  });

  it('keeps serving after an aborted upload', async () => {
    running = await startRelay();
    const { hostname, port } = new URL(running.url);
    const socket = net.connect({ host: hostname, port: Number(port) });
    await once(socket, 'connect');

    socket.write(
      `POST ${ROUTE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"ID":1`,
    );
    socket.destroy();
    const reply = await postRaw(running.url, ROUTE, taskJson());

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(1)).toBeUndefined();
    expect(running.relay.store.cache.get(67721)).toBeDefined();
  });

  it('keeps serving after a bad request', async () => {
    running = await startRelay({ maxBodyBytes: MiB });

    await sendRawHttp(
      running.url,
      `POST ${ROUTE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n`,
    );
    await streamChunked(running.url, endlessSpaces(64 * KiB), {
      maxBytes: 8 * MiB,
      timeLimitMs: 10_000,
    });
    const reply = await postRaw(running.url, ROUTE, taskJson());

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(67721)).toBeDefined();
  });
});
