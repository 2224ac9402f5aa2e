import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningRelay, startRelay } from '../helpers/relay.js';
import { postRaw, taskJson } from './support.js';

const OK = { error_code: 0, error_msg: '成功' };
const ROUTE = '/api/task/updateinfo';
const MiB = 1024 * 1024;

/** Size the decompression bombs inflate to: far above the default 16 MiB body limit. */
const BOMB_INFLATED_BYTES = 200 * MiB;

/**
 * Compresses BOMB_INFLATED_BYTES of spaces one 1 MiB chunk at a time, so the test process never
 * keeps the inflated text in memory. On Node 20, gzip and deflate at level 9 give about 200 KiB
 * (their ratio tops out near 1:1000), and brotli at quality 4 gives about 300 bytes.
 */
async function compressSpaces(compressor: zlib.Gzip | zlib.Deflate | zlib.BrotliCompress) {
  const chunk = Buffer.alloc(MiB, 0x20);
  const chunkCount = BOMB_INFLATED_BYTES / MiB;
  const output: Buffer[] = [];

  await pipeline(
    Readable.from(
      (function* () {
        for (let index = 0; index < chunkCount; index += 1) yield chunk;
      })(),
    ),
    compressor,
    new Writable({
      write(piece: Buffer, _encoding, done) {
        output.push(piece);
        done();
      },
    }),
  );
  return Buffer.concat(output);
}

describe('callback content encodings', () => {
  let running: RunningRelay | undefined;

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it.each([
    ['gzip', zlib.gzipSync],
    ['x-gzip', zlib.gzipSync],
    ['GZIP', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['deflate', zlib.deflateRawSync],
    ['br', zlib.brotliCompressSync],
    ['identity', (input: Buffer) => input],
  ] as const)('accepts a body encoded as %s', async (coding, encode) => {
    running = await startRelay();
    const body = encode(Buffer.from(taskJson({ Name: `coded ${coding}` })));

    const reply = await postRaw(running.url, ROUTE, body, {
      'Content-Type': 'application/json',
      'Content-Encoding': coding,
    });

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(OK);
    expect(running.relay.store.cache.get(67721)?.task.name).toBe(`coded ${coding}`);
  });

  it('rejects plain JSON labelled gzip', async () => {
    running = await startRelay();

    const reply = await postRaw(running.url, ROUTE, taskJson(), { 'Content-Encoding': 'gzip' });

    expect(reply.status).toBe(400);
    expect(reply.body?.error_code).toBe(1);
    expect(reply.body?.code).toBe('RS_ERR_BODY_DECOMPRESS_FAILED');
    expect(reply.body?.error_msg).toContain('gzip');
  });

  it('rejects an empty gzip body as empty', async () => {
    running = await startRelay();

    const reply = await postRaw(running.url, ROUTE, '', { 'Content-Encoding': 'gzip' });

    expect(reply.status).toBe(400);
    expect(reply.body?.code).toBe('RS_ERR_BODY_EMPTY');
  });

  it('rejects a truncated gzip body', async () => {
    running = await startRelay();
    const whole = zlib.gzipSync(Buffer.from(taskJson()));

    const reply = await postRaw(running.url, ROUTE, whole.subarray(0, whole.length - 12), {
      'Content-Encoding': 'gzip',
    });

    expect(reply.status).toBe(400);
    expect(reply.body?.code).toBe('RS_ERR_BODY_DECOMPRESS_FAILED');
  });

  it('rejects plain JSON labelled deflate', async () => {
    running = await startRelay();

    const reply = await postRaw(running.url, ROUTE, taskJson(), { 'Content-Encoding': 'deflate' });

    expect(reply.status).toBe(400);
    expect(reply.body?.code).toBe('RS_ERR_BODY_DECOMPRESS_FAILED');
  });

  it.each(['compress', 'gzip, br', 'zstd'])('rejects coding %s with 415', async (coding) => {
    running = await startRelay();

    const reply = await postRaw(running.url, ROUTE, taskJson(), { 'Content-Encoding': coding });

    expect(reply.status).toBe(415);
    expect(reply.body?.error_code).toBe(1);
    expect(reply.body?.code).toBe('RS_ERR_BODY_ENCODING_UNSUPPORTED');
  });

  it.each([
    ['gzip', () => zlib.createGzip({ level: 9 })],
    ['deflate', () => zlib.createDeflate({ level: 9 })],
    [
      'br',
      () => zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }),
    ],
  ] as const)('stops a %s bomb at the limit', async (coding, createCompressor) => {
    const bomb = await compressSpaces(createCompressor());
    // The wire body must fit the limit, so that only the inflated size can trip it.
    expect(bomb.length).toBeLessThan(MiB);

    running = await startRelay();
    const rssBefore = process.memoryUsage().rss;

    const reply = await postRaw(running.url, ROUTE, bomb, { 'Content-Encoding': coding });

    const rssGrowth = process.memoryUsage().rss - rssBefore;
    expect(reply.status).toBe(413);
    expect(reply.body?.code).toBe('RS_ERR_BODY_TOO_LARGE');
    // Loose bound: the relay may hold up to maxBodyBytes (16 MiB) of output, never the 200 MiB.
    expect(rssGrowth).toBeLessThan(150 * MiB);
  });

  it('keeps serving after a bomb', async () => {
    running = await startRelay({ maxBodyBytes: MiB });
    const bomb = zlib.gzipSync(Buffer.alloc(4 * MiB, 0x20));

    const rejected = await postRaw(running.url, ROUTE, bomb, { 'Content-Encoding': 'gzip' });
    const accepted = await postRaw(running.url, ROUTE, zlib.gzipSync(taskJson()), {
      'Content-Encoding': 'gzip',
    });

    expect(rejected.status).toBe(413);
    expect(accepted.status).toBe(200);
  });
});
