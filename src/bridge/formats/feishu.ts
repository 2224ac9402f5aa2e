/**
 * Feishu/Lark (飞书) custom bots: `POST …/open-apis/bot/v2/hook/TOKEN` with a `post` (rich
 * text) message; when the bot signs, `timestamp` and `sign` go in the JSON body (see
 * signing.ts). Limits: 100 requests a minute and 5 a second, body at most 20 KB. Codes: 19021
 * bad signature or timestamp, 19022 address not allowed, 19024 keyword missing, 9499 and 11232
 * throttled.
 */
import { escapePlain } from '../escape.js';
import { signFeishu } from '../signing.js';
import { truncateBytes } from '../template.js';
import { classifyCode, type Platform, withKeyword } from './platform.js';

/** Leaves room under the 20 KB body limit for JSON quoting and the signature. */
const MAX_TEXT_BYTES = 16_000;
const THROTTLE_CODES = new Set([9499, 11232]);

export const feishu: Platform = {
  kind: 'feishu',
  perMinute: 100,
  // Three back to back plus 97 a minute never puts more than 5 into one second.
  burst: 3,
  throttlePauseMs: 60_000,
  escape: escapePlain,

  buildRequest(robot, message, nowMs) {
    const text = truncateBytes(withKeyword(robot, message, '\n'), MAX_TEXT_BYTES);
    // Post text elements are plain, so each line is its own paragraph.
    const content = text.split('\n').map((line) => [{ tag: 'text', text: line }]);
    const locale = robot.lang === 'en' ? 'en_us' : 'zh_cn';
    const payload: Record<string, unknown> = {
      msg_type: 'post',
      content: { post: { [locale]: { title: message.title, content } } },
    };
    if (robot.secret !== undefined) Object.assign(payload, signFeishu(robot.secret, nowMs));
    return { url: robot.url, body: JSON.stringify(payload) };
  },

  classifyReply: (status, body) => classifyCode(status, body, 'code', THROTTLE_CODES),
};
