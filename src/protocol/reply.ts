/**
 * The reply envelope the platform expects from every dealer callback: `error_code` 0 on
 * success, 1 on failure. (The original field table misspells `error_msg` as `error_nsg`; its
 * example and the platform use `error_msg`.)
 */
import type { RelayError } from '../errors.js';

/** The reply body of a callback. */
export interface CallbackReply {
  error_code: 0 | 1;
  error_msg: string;
  /** Stable relay error code on failure, for scripts; the platform ignores it. */
  code?: string;
}

/** The success reply, also sent for an acknowledged duplicate. */
export const OK_REPLY: Readonly<CallbackReply> = Object.freeze({
  error_code: 0,
  error_msg: '成功',
});

/** Builds the failure reply for a relay error. */
export function failureReply(error: RelayError): CallbackReply {
  return { error_code: 1, error_msg: error.message, code: error.code };
}
