/**
 * WeCom (企业微信) group robots: `POST …/cgi-bin/webhook/send?key=KEY` with a `markdown`
 * message. No signing. Limits: 20 messages a minute per robot, `markdown.content` at most 4096
 * bytes; errcode 45009 is the frequency limit and 93000 an invalid webhook URL.
 */
import { escapeMarkdown } from '../escape.js';
import { truncateBytes } from '../template.js';
import { classifyCode, type Platform } from './platform.js';

const MAX_CONTENT_BYTES = 4096;
const THROTTLE_CODES = new Set([45009]);

export const wecom: Platform = {
  kind: 'wecom',
  perMinute: 20,
  burst: 4,
  // NOTE: WeCom does not say how long the limit lasts; one minute matches its window.
  throttlePauseMs: 60_000,
  escape: escapeMarkdown,

  buildRequest(robot, message) {
    const content = truncateBytes(`**${message.title}**\n${message.text}`, MAX_CONTENT_BYTES);
    return { url: robot.url, body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }) };
  },

  classifyReply: (status, body) => classifyCode(status, body, 'errcode', THROTTLE_CODES),
};
