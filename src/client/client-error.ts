/**
 * The errors a RelayClient reports through its `error` listeners.
 */

/** The error's code. Errors from relay `error` frames keep the relay's own code. */
export type ClientErrorCode =
  | 'RS_CLIENT_CLOSED_BY_RELAY'
  | 'RS_CLIENT_TOKEN_REJECTED'
  | 'RS_CLIENT_TOKEN_FAILED'
  | 'RS_CLIENT_CONNECT_FAILED'
  | 'RS_CLIENT_FRAME_INVALID'
  | 'RS_CLIENT_LISTENER_FAILED'
  | (string & {});

/** An error of the client or one the relay sent in an `error` frame. */
export class RelayClientError extends Error {
  override readonly name = 'RelayClientError';
  readonly code: ClientErrorCode;
  /** Whether the client stopped for good because of it. */
  readonly fatal: boolean;
  /** The close code that ended the connection, when one did. */
  readonly closeCode: number | undefined;

  constructor(
    code: ClientErrorCode,
    message: string,
    options: { fatal?: boolean; closeCode?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fatal = options.fatal ?? false;
    this.closeCode = options.closeCode;
  }
}
