/**
 * Reads a callback body once, within a byte limit that holds for the bytes on the wire and
 * again for the bytes after decompression, whatever Content-Length claims. The bytes as
 * received are kept for forwarding upstream, and the decoded text is built from them.
 *
 * The platform's Content-Type is not trustworthy, so it only supplies a charset; the body is
 * read as JSON under any media type or none.
 */
import type { IncomingMessage } from 'node:http';
import { promisify, TextDecoder } from 'node:util';
import zlib from 'node:zlib';
import { RelayError } from '../errors.js';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotliDecompress = promisify(zlib.brotliDecompress);

type Decoder = (input: Buffer, options: zlib.ZlibOptions & zlib.BrotliOptions) => Promise<Buffer>;

const DECODERS: Record<string, Decoder> = {
  gzip: gunzip,
  'x-gzip': gunzip,
  // RFC 9110 defines "deflate" as the zlib format, but some senders use raw deflate.
  deflate: (input, options) =>
    inflate(input, options).catch((error: unknown) => {
      if (isOutputTooLarge(error)) throw error;
      return inflateRaw(input, options);
    }),
  br: brotliDecompress,
};

/** The source of a callback body, with its headers. */
export interface BodySource {
  header(name: string): string | undefined;
  /** Reads the whole body, rejecting once it passes `maxBytes`. */
  read(maxBytes: number): Promise<Buffer>;
}

/**
 * Reads Node's request stream directly. Going through the Web `Request` body would make the
 * Node adapter build a full Request and a ReadableStream for every callback.
 */
export function nodeBodySource(incoming: IncomingMessage): BodySource {
  return {
    header: (name) => {
      const value = incoming.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    read: (maxBytes) => readNodeLimited(incoming, maxBytes),
  };
}

/** Reads a Web `Request`, for requests that did not come through Node's server (`app.request`). */
export function webBodySource(request: Request): BodySource {
  return {
    header: (name) => request.headers.get(name) ?? undefined,
    read: (maxBytes) => readWebLimited(request.body, maxBytes),
  };
}

/** A body as received, with the headers that describe how to decode it. */
export interface ReceivedBody {
  /** The bytes on the wire, before decompression. */
  readonly raw: Buffer;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  /** Decompresses and decodes `raw`; the work is done once. @throws RelayError */
  text(): Promise<string>;
}

/**
 * Reads the request body without decoding it. @throws RelayError for a body over `maxBytes`
 * on the wire or one cut short.
 */
export async function readBody(source: BodySource, maxBytes: number): Promise<ReceivedBody> {
  const declared = source.header('content-length');
  if (declared !== undefined && Number(declared) > maxBytes) {
    throw new RelayError('RS_ERR_BODY_TOO_LARGE', { limitBytes: maxBytes });
  }

  const raw = await source.read(maxBytes);
  const contentType = source.header('content-type');
  const contentEncoding = source.header('content-encoding');
  let decoded: Promise<string> | undefined;
  return {
    raw,
    contentType,
    contentEncoding,
    text: () => {
      decoded ??= decodeBody(raw, contentType, contentEncoding, maxBytes);
      return decoded;
    },
  };
}

/** Reads the request body, decodes it and returns it as text. @throws RelayError */
export async function readBodyText(source: BodySource, maxBytes: number): Promise<string> {
  // An unsupported coding is rejected before the body is read, so no time is spent on it.
  contentEncoding(source.header('content-encoding'));
  const body = await readBody(source, maxBytes);
  return body.text();
}

/** Decompresses and decodes body bytes as the headers describe. @throws RelayError */
async function decodeBody(
  raw: Buffer,
  contentType: string | undefined,
  contentEncodingHeader: string | undefined,
  maxBytes: number,
): Promise<string> {
  const encoding = contentEncoding(contentEncodingHeader);
  // An empty body stays empty, so it is rejected as empty rather than as undecodable.
  const bytes =
    encoding === undefined || raw.length === 0 ? raw : await decompress(raw, encoding, maxBytes);
  return decodeText(bytes, charsetOf(contentType));
}

/**
 * Collects a Node stream. Over the limit it stops listening and pauses the stream instead of
 * destroying it, because destroying the request would also destroy the socket the 413 reply
 * must go out on.
 */
function readNodeLimited(incoming: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;

    const finish = (error?: RelayError): void => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onAbort);
      incoming.off('close', onClose);
      if (error === undefined) {
        resolve(Buffer.concat(chunks, total));
        return;
      }
      incoming.pause();
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > maxBytes) {
        finish(new RelayError('RS_ERR_BODY_TOO_LARGE', { limitBytes: maxBytes }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish();
    const onAbort = (): void => finish(new RelayError('RS_ERR_BODY_INCOMPLETE'));
    const onClose = (): void => {
      if (!incoming.complete) onAbort();
    };

    incoming.on('data', onData);
    incoming.once('end', onEnd);
    incoming.once('error', onAbort);
    incoming.once('close', onClose);
  });
}

/** Returns the one content coding to undo, `undefined` for none. @throws RelayError (415) */
function contentEncoding(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;

  const codings = header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return undefined;

  const [coding] = codings;
  if (codings.length > 1 || coding === undefined || !Object.hasOwn(DECODERS, coding)) {
    throw new RelayError('RS_ERR_BODY_ENCODING_UNSUPPORTED', { value: JSON.stringify(header) });
  }
  return coding;
}

/** Reads a Web stream into one buffer, cancelling it as soon as it passes `maxBytes`. */
async function readWebLimited(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Buffer> {
  if (body === null) return Buffer.alloc(0);

  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;

  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;

      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new RelayError('RS_ERR_BODY_TOO_LARGE', { limitBytes: maxBytes });
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof RelayError) throw error;
    throw new RelayError('RS_ERR_BODY_INCOMPLETE');
  } finally {
    reader.releaseLock();
  }

  return Buffer.concat(chunks, total);
}

async function decompress(input: Buffer, encoding: string, maxBytes: number): Promise<Buffer> {
  const decoder = DECODERS[encoding] as Decoder;

  try {
    // maxOutputLength makes zlib stop as soon as the output would pass the limit, so a small
    // compressed body that inflates to gigabytes costs at most maxBytes of memory.
    return await decoder(input, { maxOutputLength: maxBytes });
  } catch (error) {
    if (isOutputTooLarge(error))
      throw new RelayError('RS_ERR_BODY_TOO_LARGE', { limitBytes: maxBytes });
    throw new RelayError('RS_ERR_BODY_DECOMPRESS_FAILED', { encoding });
  }
}

function isOutputTooLarge(error: unknown): boolean {
  return (
    error instanceof RangeError ||
    (error as { code?: string } | null)?.code === 'ERR_BUFFER_TOO_LARGE'
  );
}

/** Extracts the charset parameter of a Content-Type, quoted or not. */
function charsetOf(contentType: string | undefined): string {
  const match =
    contentType === undefined ? null : /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match?.[1]?.toLowerCase() ?? 'utf-8';
}

function decodeText(bytes: Buffer, charset: string): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    throw new RelayError('RS_ERR_BODY_CHARSET_UNSUPPORTED', { value: JSON.stringify(charset) });
  }

  // TextDecoder drops a leading byte order mark, which some Windows tools write.
  return decoder.decode(bytes);
}
