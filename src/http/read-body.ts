/**
 * Reads a callback body as text, within a byte limit that holds for the bytes on the wire and
 * again for the bytes after decompression, whatever Content-Length claims.
 *
 * The platform's Content-Type is not trustworthy, so it only supplies a charset; the body is
 * read as JSON under any media type or none.
 */
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

/** Reads the request body, decodes it and returns it as text. @throws RelayError */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const encoding = contentEncoding(request.headers.get('content-encoding'));
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    throw new RelayError('RS_ERR_BODY_TOO_LARGE', { limitBytes: maxBytes });
  }

  const raw = await readLimited(request.body, maxBytes);
  // An empty body stays empty, so it is rejected as empty rather than as undecodable.
  const bytes =
    encoding === undefined || raw.length === 0 ? raw : await decompress(raw, encoding, maxBytes);
  return decodeText(bytes, charsetOf(request.headers.get('content-type')));
}

/** Returns the one content coding to undo, `undefined` for none. @throws RelayError (415) */
function contentEncoding(header: string | null): string | undefined {
  if (header === null) return undefined;

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

/** Reads a stream into one buffer, cancelling it as soon as it passes `maxBytes`. */
async function readLimited(
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
function charsetOf(contentType: string | null): string {
  const match = contentType === null ? null : /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
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
