/**
 * The one table of render-relay's error codes.
 *
 * Every rejection the relay sends (a callback reply, an HTTP error body, a WebSocket `error`
 * frame) comes from an entry here, so a code always carries the same status and wording.
 * Messages are Chinese first with the English after it in brackets, because the people who
 * read them are mostly Chinese-speaking dealers and the platform's own operators.
 */

type Params = Record<string, string | number>;

interface ErrorSpec {
  /** HTTP status for an HTTP reply; WebSocket error frames ignore it. */
  readonly status: number;
  readonly zh: (p: Params) => string;
  readonly en: (p: Params) => string;
}

const table = {
  RS_ERR_BODY_EMPTY: {
    status: 400,
    zh: () => '失败: 请求体为空, 缺少字段 ID, 请发送任务的 JSON',
    en: () => 'empty body, missing field ID: send the task as JSON',
  },
  RS_ERR_BODY_TOO_LARGE: {
    status: 413,
    zh: (p) => `失败: 请求体超过上限 ${p.limitBytes} 字节, 请调大 RELAY_MAX_BODY_BYTES`,
    en: (p) => `body larger than the limit of ${p.limitBytes} bytes: raise RELAY_MAX_BODY_BYTES`,
  },
  RS_ERR_BODY_ENCODING_UNSUPPORTED: {
    status: 415,
    zh: (p) => `失败: 不支持的 Content-Encoding ${p.value}, 请使用 gzip、deflate、br 或不压缩`,
    en: (p) => `unsupported Content-Encoding ${p.value}: use gzip, deflate, br or none`,
  },
  RS_ERR_BODY_DECOMPRESS_FAILED: {
    status: 400,
    zh: (p) => `失败: 请求体无法按 ${p.encoding} 解压, 请检查 Content-Encoding 是否与内容一致`,
    en: (p) => `body could not be decoded as ${p.encoding}: check that Content-Encoding matches`,
  },
  RS_ERR_BODY_CHARSET_UNSUPPORTED: {
    status: 415,
    zh: (p) => `失败: 不支持的字符集 ${p.value}, 请使用 UTF-8`,
    en: (p) => `unsupported charset ${p.value}: send UTF-8`,
  },
  RS_ERR_BODY_INVALID_JSON: {
    status: 400,
    zh: (p) => `失败: 请求体不是合法的 JSON (${p.detail}), 请发送一个 JSON 对象`,
    en: (p) => `body is not valid JSON (${p.detail}): send one JSON object`,
  },
  RS_ERR_BODY_NOT_OBJECT: {
    status: 400,
    zh: (p) => `失败: 请求体应为 JSON 对象, 实际为 ${p.received}`,
    en: (p) => `body must be a JSON object, received ${p.received}`,
  },
  RS_ERR_BODY_INCOMPLETE: {
    status: 400,
    zh: () => '失败: 请求体未完整接收, 请重新发送',
    en: () => 'body was not received completely: send it again',
  },
  RS_ERR_FIELD_MISSING: {
    status: 400,
    zh: (p) => `失败: 缺少字段 ${p.field}`,
    en: (p) => `missing field ${p.field}`,
  },
  RS_ERR_FIELD_INVALID: {
    status: 400,
    zh: (p) => `失败: 字段 ${p.field} 无效, 应为 ${p.expectedZh}, 实际为 ${p.received}`,
    en: (p) => `invalid field ${p.field}: expected ${p.expected}, received ${p.received}`,
  },
  RS_ERR_FIELD_UNSAFE_INTEGER: {
    status: 400,
    zh: (p) =>
      `失败: 字段 ${p.field} 的值 ${p.received} 超出 2^53, 无法精确保存, 请使用不超过 9007199254740991 的整数`,
    en: (p) =>
      `field ${p.field} value ${p.received} is beyond 2^53 and cannot be kept exactly: use an integer up to 9007199254740991`,
  },
  RS_ERR_FIELD_TOO_LONG: {
    status: 400,
    zh: (p) => `失败: 字段 ${p.field} 长度 ${p.received} 超过上限 ${p.limit}`,
    en: (p) => `field ${p.field} has length ${p.received}, over the limit of ${p.limit}`,
  },
  RS_ERR_RELAY_CLOSING: {
    status: 503,
    zh: () => '失败: 中继正在关闭, 请稍后重试',
    en: () => 'the relay is shutting down: retry later',
  },
  RS_ERR_RELAY_INTERNAL: {
    status: 500,
    zh: () => '失败: 中继内部错误, 请稍后重试',
    en: () => 'internal relay error: retry later',
  },
  RS_ERR_UPSTREAM_MISSING: {
    status: 501,
    zh: () => '失败: 支付回调需要经销商后台计算价格与余额, 请设置 RELAY_UPSTREAM_URL',
    en: () =>
      "payment callbacks need the dealer's backend to compute price and balance: set RELAY_UPSTREAM_URL",
  },
  RS_ERR_UPSTREAM_TIMEOUT: {
    status: 504,
    zh: (p) =>
      `失败: 经销商后台 (RELAY_UPSTREAM_URL) 在 ${p.timeoutMs} 毫秒内未响应, 请检查后台或调大 RELAY_UPSTREAM_TIMEOUT_MS`,
    en: (p) =>
      `the dealer's backend (RELAY_UPSTREAM_URL) did not respond within ${p.timeoutMs} ms: check it or raise RELAY_UPSTREAM_TIMEOUT_MS`,
  },
  RS_ERR_UPSTREAM_FAILED: {
    status: 502,
    zh: (p) => `失败: 经销商后台 (RELAY_UPSTREAM_URL) 请求失败 (${p.reason}), 请检查后台是否运行`,
    en: (p) =>
      `request to the dealer's backend (RELAY_UPSTREAM_URL) failed (${p.reason}): check that it is running`,
  },
  RS_ERR_ROUTE_NOT_FOUND: {
    status: 404,
    zh: (p) => `失败: 不存在的路径 ${p.path}`,
    en: (p) => `no route for ${p.path}`,
  },
  RS_ERR_TASK_NOT_FOUND: {
    status: 404,
    zh: (p) => `任务 ${p.id} 不在缓存中`,
    en: (p) => `task ${p.id} is not in the cache`,
  },
  RS_ERR_QUERY_INVALID: {
    status: 400,
    zh: (p) => `查询参数 ${p.field} 无效: 应为 ${p.expectedZh}, 实际为 ${p.received}`,
    en: (p) => `invalid query parameter ${p.field}: expected ${p.expected}, received ${p.received}`,
  },
  RS_ERR_LAST_EVENT_ID_INVALID: {
    status: 400,
    zh: (p) =>
      `${p.field} 无效: 应为本事件流发出的 id (<epoch>:<seq>), 实际为 ${p.received}; 去掉它即可从快照开始`,
    en: (p) =>
      `invalid ${p.field} ${p.received}: expected an id this stream sent (<epoch>:<seq>); omit it to start from a snapshot`,
  },
  RS_ERR_CONNECTIONS_LIMIT: {
    status: 503,
    zh: (p) => `连接数已达上限 ${p.limit}, 请稍后重连`,
    en: (p) => `connection limit of ${p.limit} reached: reconnect later`,
  },
  RS_ERR_FRAME_BINARY: {
    status: 400,
    zh: () => '不接受二进制帧, 请发送 JSON 文本帧',
    en: () => 'binary frames are not accepted: send JSON text frames',
  },
  RS_ERR_FRAME_INVALID_JSON: {
    status: 400,
    zh: (p) => `帧不是合法的 JSON (${p.detail})`,
    en: (p) => `frame is not valid JSON (${p.detail})`,
  },
  RS_ERR_FRAME_INVALID: {
    status: 400,
    zh: (p) => `帧字段 ${p.field} 无效: ${p.detail}`,
    en: (p) => `invalid frame field ${p.field}: ${p.detail}`,
  },
  RS_ERR_FRAME_UNKNOWN_TYPE: {
    status: 400,
    zh: (p) => `未知的帧类型 ${p.received}, 可用: subscribe、unsubscribe、ping`,
    en: (p) => `unknown frame type ${p.received}: expected subscribe, unsubscribe or ping`,
  },
  RS_ERR_SUBSCRIPTION_DUPLICATE: {
    status: 409,
    zh: (p) => `订阅 ${p.id} 已存在, 请换一个 id 或先取消订阅`,
    en: (p) => `subscription ${p.id} already exists: pick another id or unsubscribe first`,
  },
  RS_ERR_SUBSCRIPTION_NOT_FOUND: {
    status: 404,
    zh: (p) => `订阅 ${p.id} 不存在`,
    en: (p) => `no subscription ${p.id}`,
  },
  RS_ERR_SUBSCRIPTION_LIMIT: {
    status: 429,
    zh: (p) => `每个连接最多 ${p.limit} 个订阅, 请先取消不用的订阅`,
    en: (p) => `at most ${p.limit} subscriptions per connection: unsubscribe unused ones first`,
  },
  RS_ERR_TOKEN_MISSING: {
    status: 401,
    zh: () =>
      '缺少订阅令牌, 请在 ?token= 或 Authorization: Bearer 中提供 (可用 render-relay token 生成)',
    en: () =>
      'missing subscriber token: pass it as ?token= or Authorization: Bearer (mint one with render-relay token)',
  },
  RS_ERR_TOKEN_INVALID: {
    status: 401,
    zh: (p) => `订阅令牌无效 (${p.reason}), 请用当前的 RELAY_JWT_SECRET 重新生成`,
    en: (p) =>
      `invalid subscriber token (${p.reason}): mint a new one with the current RELAY_JWT_SECRET`,
  },
  RS_ERR_TOKEN_EXPIRED: {
    status: 401,
    zh: () => '订阅令牌已过期, 请获取新的令牌后重连',
    en: () => 'subscriber token expired: fetch a new token and reconnect',
  },
  RS_ERR_FORBIDDEN: {
    status: 403,
    zh: (p) => `无权访问 ${p.field} ${p.value}: 超出令牌的范围`,
    en: (p) => `${p.field} ${p.value} is outside the token's scope`,
  },
  RS_ERR_INGEST_TOKEN_MISSING: {
    status: 401,
    zh: () =>
      '失败: 缺少回调令牌, 请把回调基础地址登记为 /t/<令牌>/api/task/, 或在地址中加 ?token=, 或发送 Authorization: Bearer',
    en: () =>
      'missing callback token: register the base URL as /t/<token>/api/task/, add ?token=, or send Authorization: Bearer',
  },

  RS_ERR_INGEST_TOKEN_INVALID: {
    status: 401,
    zh: () => '失败: 回调令牌不正确, 请与 RELAY_INGEST_TOKEN 核对',
    en: () => 'wrong callback token: check it against RELAY_INGEST_TOKEN',
  },
  RS_ERR_INGEST_ADDRESS_FORBIDDEN: {
    status: 403,
    zh: (p) => `失败: 地址 ${p.address} 不在 RELAY_INGEST_ALLOW 允许的范围内`,
    en: (p) => `address ${p.address} is not in RELAY_INGEST_ALLOW`,
  },
  RS_ERR_ORIGIN_FORBIDDEN: {
    status: 403,
    zh: (p) => `来源 ${p.origin} 不在 RELAY_ALLOWED_ORIGINS 中`,
    en: (p) => `origin ${p.origin} is not in RELAY_ALLOWED_ORIGINS`,
  },
  RS_ERR_RATE_LIMITED: {
    status: 429,
    zh: (p) => `请求过于频繁: 每个地址每秒最多 ${p.limit} 次, 请 ${p.retryAfterSeconds} 秒后重试`,
    en: (p) =>
      `too many requests: at most ${p.limit} a second per address, retry in ${p.retryAfterSeconds} s`,
  },
  RS_ERR_METHOD_NOT_ALLOWED: {
    status: 405,
    zh: (p) => `失败: ${p.path} 只接受 POST (平台回调地址), 收到 ${p.method}`,
    en: (p) => `${p.path} accepts POST only (a platform callback URL), received ${p.method}`,
  },
  RS_ERR_HEADERS_TOO_LARGE: {
    status: 431,
    zh: () => '失败: 请求头过大, 请缩短请求头',
    en: () => 'request headers too large: send shorter headers',
  },
  RS_ERR_HTTP_MALFORMED: {
    status: 400,
    zh: (p) => `失败: 无法解析的 HTTP 请求 (${p.reason}), 请检查 Content-Length 等请求头`,
    en: (p) => `malformed HTTP request (${p.reason}): check Content-Length and the other headers`,
  },
} as const satisfies Record<string, ErrorSpec>;

/** A stable error code, e.g. `RS_ERR_FIELD_MISSING`. */
export type ErrorCode = keyof typeof table;

/**
 * A rejection with a stable code, an HTTP status and a bilingual message.
 *
 * @example
 * throw new RelayError('RS_ERR_FIELD_MISSING', { field: 'ID' });
 */
export class RelayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: Params;

  constructor(code: ErrorCode, params: Params = {}) {
    const spec: ErrorSpec = table[code];
    super(`${spec.zh(params)} (${spec.en(params)})`);
    this.name = 'RelayError';
    this.code = code;
    this.status = spec.status;
    this.params = params;
  }
}

/** Returns the HTTP status of an error code. */
export function statusOf(code: ErrorCode): number {
  return table[code].status;
}

/** WebSocket close codes. 4000-4499 ask the client to reconnect and resume; 4500-4999 do not. */
export const CloseCode = {
  /** Standard code: the relay is shutting down. Reconnect to another instance or later. */
  GOING_AWAY: 1001,
  /** The subscriber's send buffer passed its limit. Reconnect and resume with `since`. */
  SLOW_CONSUMER: 4001,
  /** The subscriber token expired. Fetch a new token, reconnect and resume with `since`. */
  TOKEN_EXPIRED: 4002,
  /** The client kept sending invalid frames. Fix the client before reconnecting. */
  TOO_MANY_INVALID_FRAMES: 4500,
} as const;
