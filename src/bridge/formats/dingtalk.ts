/**
 * DingTalk (钉钉) custom robots: `POST …/robot/send?access_token=TOKEN`, plus `timestamp` and
 * `sign` in the query when the robot signs (see signing.ts), with a `markdown` message of
 * `title` and `text`. Limits: 20 messages a minute, and a robot over it is throttled for ten
 * minutes (errcode 130101). Errcode 310000 is a bad signature, keyword or address.
 */
import { escapeMarkdown } from '../escape.js';
import { signDingTalkUrl } from '../signing.js';
import { truncateBytes } from '../template.js';
import { classifyCode, type Platform, withKeyword } from './platform.js';

// NOTE: DingTalk documents no size limit for markdown text here; 5000 bytes is a guess that
// leaves room for ten digest entries.
const MAX_TEXT_BYTES = 5000;
const THROTTLE_CODES = new Set([130101]);

export const dingtalk: Platform = {
  kind: 'dingtalk',
  perMinute: 20,
  burst: 4,
  throttlePauseMs: 10 * 60_000,
  escape: escapeMarkdown,

  buildRequest(robot, message, nowMs) {
    // DingTalk markdown joins single line breaks, so each line ends with a hard break.
    const body = withKeyword(robot, message, '\n\n').replace(/\n/g, '  \n');
    const text = truncateBytes(`#### ${message.title}\n\n${body}`, MAX_TEXT_BYTES);
    const url =
      robot.secret === undefined ? robot.url : signDingTalkUrl(robot.url, robot.secret, nowMs);
    return {
      url,
      body: JSON.stringify({ msgtype: 'markdown', markdown: { title: message.title, text } }),
    };
  },

  classifyReply: (status, body) => classifyCode(status, body, 'errcode', THROTTLE_CODES),
};
