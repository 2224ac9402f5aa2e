/**
 * Request signatures of the DingTalk and Feishu custom robots. WeCom robots have no signing.
 *
 * Both vendors sign the string `timestamp + "\n" + secret` with HMAC-SHA256 and send it base64
 * encoded, but they differ in what is the key and in the timestamp's unit, and mixing the two
 * fails for ever (Feishu replies 19021, DingTalk 310000). Sources: DingTalk's custom robot
 * security settings page and Feishu's custom bot guide, as quoted by third-party SDKs and blog
 * posts (open-lark `custom_bot.rs`, feishu-bot-api `api.go`, several CSDN posts);
 * the vendors' own pages were not among the stored copies searched.
 */
import { createHmac } from 'node:crypto';

/** A DingTalk signature, before URL encoding. */
export interface DingTalkSignature {
  /** Unix milliseconds, as a decimal string. */
  readonly timestamp: string;
  /** Base64 of HMAC-SHA256(key = secret, message = timestamp + "\n" + secret). */
  readonly sign: string;
}

/** Signs a DingTalk request. DingTalk rejects a timestamp more than one hour from its clock. */
export function signDingTalk(secret: string, nowMs: number): DingTalkSignature {
  const timestamp = String(Math.trunc(nowMs));
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  return { timestamp, sign };
}

/**
 * Appends `timestamp` and `sign` to a DingTalk webhook URL. `URLSearchParams` encodes the base64
 * once (`+` → `%2B`, `/` → `%2F`, `=` → `%3D`), as DingTalk expects. Encoding the already
 * encoded value again makes every request fail with 310000.
 */
export function signDingTalkUrl(url: string, secret: string, nowMs: number): string {
  const { timestamp, sign } = signDingTalk(secret, nowMs);
  const signed = new URL(url);
  signed.searchParams.set('timestamp', timestamp);
  signed.searchParams.set('sign', sign);
  return signed.toString();
}

/** A Feishu signature, sent as `timestamp` and `sign` in the JSON body. */
export interface FeishuSignature {
  /** Unix seconds, as a decimal string. */
  readonly timestamp: string;
  /** Base64 of HMAC-SHA256(key = timestamp + "\n" + secret, message = empty). */
  readonly sign: string;
}

/** Signs a Feishu request. Feishu rejects a timestamp more than one hour from its clock. */
export function signFeishu(secret: string, nowMs: number): FeishuSignature {
  const timestamp = String(Math.floor(nowMs / 1000));
  // The string is the key and the message is empty: the reverse of DingTalk.
  const sign = createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
  return { timestamp, sign };
}
