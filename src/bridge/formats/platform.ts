/**
 * The differences between the three robot platforms: limits, escaping, the request and how to
 * read the reply. Each platform's file keeps its vendor facts in one place, so a changed limit
 * or error code is a one-line edit.
 */
import type { RobotConfig, RobotKind } from '../config.js';

/** A message ready for a platform: title and body text, placeholders already filled. */
export interface Message {
  readonly title: string;
  readonly text: string;
}

/** The request to send. */
export interface RobotRequest {
  readonly url: string;
  /** JSON text. */
  readonly body: string;
}

/** The result of one post, read from the HTTP status and the reply body. */
export type Outcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'retry'; readonly reason: string; readonly throttled: boolean }
  | { readonly kind: 'fatal'; readonly reason: string };

export interface Platform {
  readonly kind: RobotKind;
  /** Posts the vendor allows per minute and robot. */
  readonly perMinute: number;
  /** Posts allowed back to back; see TokenBucket for how it combines with `perMinute`. */
  readonly burst: number;
  /** How long to pause a robot after a throttle reply, in milliseconds. */
  readonly throttlePauseMs: number;
  /** Escapes a task field for this platform's message format. */
  readonly escape: (text: string) => string;
  /** Builds the signed request; `nowMs` is wall time in Unix milliseconds. */
  buildRequest(robot: RobotConfig, message: Message, nowMs: number): RobotRequest;
  /** Reads the platform's reply. */
  classifyReply(httpStatus: number, body: unknown): Outcome;
}

/** Appends the first keyword unless the message already contains one. */
export function withKeyword(robot: RobotConfig, message: Message, separator: string): string {
  const all = `${message.title}\n${message.text}`;
  const first = robot.keywords[0];
  if (first === undefined || robot.keywords.some((keyword) => all.includes(keyword))) {
    return message.text;
  }
  return `${message.text}${separator}${first}`;
}

/**
 * Reads a reply whose result is a numeric code field (`errcode` or `code`): 0 is success,
 * `throttleCodes` are retried after a pause, other codes are final. HTTP 429 and 5xx and
 * replies without the code field are retried, because proxies and gateways send them.
 */
export function classifyCode(
  httpStatus: number,
  body: unknown,
  field: 'errcode' | 'code',
  throttleCodes: ReadonlySet<number>,
): Outcome {
  if (httpStatus === 429) return { kind: 'retry', reason: 'HTTP 429', throttled: true };
  if (httpStatus >= 500) return { kind: 'retry', reason: `HTTP ${httpStatus}`, throttled: false };

  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = record[field];
  const text = record.errmsg ?? record.msg ?? '';
  if (typeof code !== 'number') {
    if (httpStatus >= 400) return { kind: 'fatal', reason: `HTTP ${httpStatus}` };
    return { kind: 'retry', reason: `HTTP ${httpStatus} without ${field}`, throttled: false };
  }
  if (code === 0) return { kind: 'ok' };

  const reason = `${field} ${code}: ${String(text).slice(0, 200)}`;
  if (throttleCodes.has(code)) return { kind: 'retry', reason, throttled: true };
  return { kind: 'fatal', reason };
}
