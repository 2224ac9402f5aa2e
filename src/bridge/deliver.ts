/**
 * Posting one message to one robot: compose, sign, send, and read the reply into an outcome.
 * `--dry-run` swaps the HTTP post for printing.
 */
import type { RobotConfig } from './config.js';
import { composeMessage, type Outcome, PLATFORMS } from './formats/index.js';
import type { Notice } from './notice.js';
import { redactSecrets } from './redact.js';

/** The `fetch` subset the bridge uses, so tests can wrap it. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface DeliverOptions {
  /** Wall time in Unix milliseconds, for signatures. */
  readonly now: () => number;
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** Time allowed for one post. @default 10000 */
  readonly timeoutMs?: number;
}

/** Returns a function that posts notices to the robot and never rejects. */
export function httpDeliver(
  robot: RobotConfig,
  options: DeliverOptions,
): (notices: readonly Notice[]) => Promise<Outcome> {
  const platform = PLATFORMS[robot.kind];
  const send: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const secrets = credentialsOf(robot);

  return async (notices) => {
    const message = composeMessage(robot, notices);
    const request = platform.buildRequest(robot, message, options.now());

    let status: number;
    let text: string;
    try {
      const response = await send(request.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: request.body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      return {
        kind: 'retry',
        reason: redactSecrets(networkReason(error), secrets),
        throttled: false,
      };
    }

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const outcome = platform.classifyReply(status, body);
    return outcome.kind === 'ok'
      ? outcome
      : { ...outcome, reason: redactSecrets(outcome.reason, secrets) };
  };
}

/** Returns a function that prints each message instead of posting it, for `--dry-run`. */
export function printDeliver(
  robot: RobotConfig,
  print: (text: string) => void,
): (notices: readonly Notice[]) => Promise<Outcome> {
  return async (notices) => {
    const message = composeMessage(robot, notices);
    print(`[${robot.name} · ${robot.kind}] ${message.title}\n${message.text}\n\n`);
    return { kind: 'ok' };
  };
}

/** Lists the strings that grant access to a robot: the secret, the URL query values and the hook token. */
export function credentialsOf(robot: RobotConfig): string[] {
  const values: string[] = robot.secret === undefined ? [] : [robot.secret];
  try {
    const url = new URL(robot.url);
    values.push(...url.searchParams.values());
    const token = /\/hook\/([^/?]+)/.exec(url.pathname)?.[1];
    if (token !== undefined) values.push(token);
  } catch {
    // An invalid URL never reaches here: the config rejects it.
  }
  return values;
}

function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return 'network error';
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return code === undefined ? `network error: ${error.message}` : `network error: ${code}`;
}
