/**
 * One local HTTP server on 127.0.0.1 that behaves as WeCom, DingTalk and Feishu robots do: it
 * checks the request format, the key or token, the signature and the keywords, and replies with
 * the platform's codes. Replies can be scripted per platform to simulate throttling and outages.
 */
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Kind = 'wecom' | 'dingtalk' | 'feishu';

export interface ReceivedMessage {
  readonly kind: Kind;
  /** Path and query as sent. */
  readonly rawUrl: string;
  readonly body: Record<string, unknown>;
  /** Whether the mock accepted it. */
  readonly accepted: boolean;
  /** The code of the mock's reply. */
  readonly code: number;
}

/** A scripted reply: a platform code, or an HTTP status with no JSON body. */
export type Scripted = { code: number } | { httpStatus: number };

export interface RobotAccount {
  readonly kind: Kind;
  /** WeCom key, DingTalk access token or Feishu hook token. */
  readonly token: string;
  readonly secret?: string;
  readonly keywords?: readonly string[];
}

export class MockRobots {
  readonly received: ReceivedMessage[] = [];
  readonly #server: Server;
  readonly #accounts: RobotAccount[];
  readonly #script = new Map<Kind, Scripted[]>();
  readonly #now: () => number;
  #waiters: { count: number; resolve: () => void }[] = [];
  base = '';

  private constructor(accounts: RobotAccount[], now: () => number) {
    this.#accounts = accounts;
    this.#now = now;
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const reply = this.#handle(request.url ?? '/', Buffer.concat(chunks).toString('utf8'));
        response.statusCode = reply.status;
        response.setHeader('Content-Type', 'application/json');
        response.end(reply.body);
      });
    });
  }

  /** Starts the mock on 127.0.0.1 and a free port. `now` is the mock's clock for signatures. */
  static async start(accounts: RobotAccount[], now: () => number = Date.now): Promise<MockRobots> {
    const robots = new MockRobots(accounts, now);
    robots.#server.listen(0, '127.0.0.1');
    await once(robots.#server, 'listening');
    robots.base = `http://127.0.0.1:${(robots.#server.address() as AddressInfo).port}`;
    return robots;
  }

  /** Returns the webhook URL of an account, as the vendor would show it. */
  urlOf(account: RobotAccount): string {
    if (account.kind === 'wecom') return `${this.base}/cgi-bin/webhook/send?key=${account.token}`;
    if (account.kind === 'dingtalk') return `${this.base}/robot/send?access_token=${account.token}`;
    return `${this.base}/open-apis/bot/v2/hook/${account.token}`;
  }

  /** Sends these replies to the next requests of `kind`, then checks requests again. */
  script(kind: Kind, replies: Scripted[]): void {
    this.#script.set(kind, [...(this.#script.get(kind) ?? []), ...replies]);
  }

  /** Resolves once `count` requests in all have arrived. */
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  accepted(kind?: Kind): ReceivedMessage[] {
    return this.received.filter((m) => m.accepted && (kind === undefined || m.kind === kind));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(rawUrl: string, text: string): { status: number; body: string } {
    const url = new URL(rawUrl, this.base);
    const kind: Kind | undefined =
      url.pathname === '/cgi-bin/webhook/send'
        ? 'wecom'
        : url.pathname === '/robot/send'
          ? 'dingtalk'
          : url.pathname.startsWith('/open-apis/bot/v2/hook/')
            ? 'feishu'
            : undefined;
    if (kind === undefined) return { status: 404, body: '{}' };

    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Checked below as a wrong format.
    }

    const scripted = this.#script.get(kind)?.shift();
    const code =
      scripted !== undefined && 'code' in scripted
        ? scripted.code
        : this.#check(kind, url, rawUrl, body);
    this.received.push({
      kind,
      rawUrl,
      body,
      accepted: scripted === undefined && code === 0,
      code,
    });
    for (const waiter of this.#waiters.filter((w) => this.received.length >= w.count))
      waiter.resolve();

    if (scripted !== undefined && 'httpStatus' in scripted) {
      return { status: scripted.httpStatus, body: 'upstream error' };
    }
    if (kind === 'feishu') {
      return {
        status: 200,
        body: JSON.stringify(
          code === 0 ? { code: 0, msg: 'success' } : { code, msg: 'error', data: {} },
        ),
      };
    }
    return {
      status: 200,
      body: JSON.stringify({ errcode: code, errmsg: code === 0 ? 'ok' : 'error' }),
    };
  }

  /** Returns 0 for a valid request, else the platform's error code. */
  #check(kind: Kind, url: URL, rawUrl: string, body: Record<string, unknown>): number {
    if (kind === 'wecom') {
      const account = this.#find(kind, url.searchParams.get('key'));
      const content = (body.markdown as { content?: unknown } | undefined)?.content;
      if (account === undefined) return 93000;
      if (body.msgtype !== 'markdown' || typeof content !== 'string') return 40008;
      return Buffer.byteLength(content) <= 4096 ? 0 : 40058;
    }

    if (kind === 'dingtalk') {
      const account = this.#find(kind, url.searchParams.get('access_token'));
      const markdown = body.markdown as { title?: unknown; text?: unknown } | undefined;
      if (account === undefined) return 300001;
      if (
        body.msgtype !== 'markdown' ||
        typeof markdown?.title !== 'string' ||
        typeof markdown.text !== 'string'
      ) {
        return 40035;
      }
      if (account.secret !== undefined) {
        const timestamp = url.searchParams.get('timestamp') ?? '';
        const expected = createHmac('sha256', account.secret)
          .update(`${timestamp}\n${account.secret}`)
          .digest('base64');
        // The raw query must carry the base64 encoded exactly once.
        const rawSign = /[?&]sign=([^&]*)/.exec(rawUrl)?.[1];
        if (rawSign !== encodeURIComponent(expected)) return 310000;
        if (Math.abs(this.#now() - Number(timestamp)) > 3_600_000) return 310000;
      }
      if (!hasKeyword(account, `${markdown.title}${markdown.text}`)) return 310000;
      return 0;
    }

    const account = this.#find(kind, url.pathname.split('/').pop() ?? null);
    if (account === undefined) return 19001;
    if (account.secret !== undefined) {
      const timestamp = typeof body.timestamp === 'string' ? body.timestamp : '';
      const expected = createHmac('sha256', `${timestamp}\n${account.secret}`)
        .update('')
        .digest('base64');
      if (body.sign !== expected) return 19021;
      if (Math.abs(this.#now() / 1000 - Number(timestamp)) > 3600) return 19021;
    }
    if (body.msg_type !== 'post') return 9499;
    if (!hasKeyword(account, JSON.stringify(body.content))) return 19024;
    return 0;
  }

  #find(kind: Kind, token: string | null): RobotAccount | undefined {
    return this.#accounts.find((account) => account.kind === kind && account.token === token);
  }
}

function hasKeyword(account: RobotAccount, text: string): boolean {
  const keywords = account.keywords ?? [];
  return keywords.length === 0 || keywords.some((keyword) => text.includes(keyword));
}

/** Text of a received message, whatever the platform. */
export function messageText(message: ReceivedMessage): string {
  const body = message.body as {
    markdown?: { content?: string; title?: string; text?: string };
    content?: unknown;
  };
  if (message.kind === 'wecom') return body.markdown?.content ?? '';
  if (message.kind === 'dingtalk') return `${body.markdown?.title}\n${body.markdown?.text}`;
  return JSON.stringify(body.content);
}
