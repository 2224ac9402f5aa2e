/**
 * Sends one callback the way the platform does and reads the dealer's reply. Success is HTTP 2xx
 * with a JSON body whose `error_code` is 0, e.g. `{"error_code":0,"error_msg":"成功"}`.
 */
import { isJsonObject } from '../protocol/fold-keys.js';

/** Result of one POST. `reason` describes a failure in words fit for a log line. */
export type PostOutcome =
  | { readonly ok: true; readonly httpStatus: number }
  | {
      readonly ok: false;
      readonly httpStatus?: number;
      readonly reason: string;
      readonly aborted: boolean;
    };

/**
 * POSTs `json` to `endpoint`. A failed request does not reject: network errors, timeouts and
 * rejections by the relay resolve as a failed outcome. `aborted` is true only when `signal`
 * stopped the request.
 */
export async function postCallback(
  endpoint: string,
  json: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<PostOutcome> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const requestSignal = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);

  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: json,
      signal: requestSignal,
    });
    const text = await response.text();
    return readReply(response.status, text);
  } catch (error) {
    if (signal?.aborted === true) return { ok: false, reason: 'aborted', aborted: true };
    if (timeout.aborted)
      return { ok: false, reason: `timed out after ${timeoutMs} ms`, aborted: false };

    return { ok: false, reason: `request failed: ${describeError(error)}`, aborted: false };
  }
}

function readReply(httpStatus: number, text: string): PostOutcome {
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    reply = undefined;
  }

  const errorCode = isJsonObject(reply) ? reply.error_code : undefined;
  const errorMessage = isJsonObject(reply) ? reply.error_msg : undefined;
  if (httpStatus >= 200 && httpStatus < 300 && errorCode === 0) return { ok: true, httpStatus };

  const detail =
    errorCode === undefined
      ? `reply is not the expected JSON: ${text.slice(0, 200)}`
      : `error_code ${String(errorCode)}, error_msg ${JSON.stringify(errorMessage)}`;
  return { ok: false, httpStatus, reason: `HTTP ${httpStatus}, ${detail}`, aborted: false };
}

/** Describes a fetch error with its cause, which contains the useful part (e.g. ECONNREFUSED). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);

  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
