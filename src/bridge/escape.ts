/**
 * Neutralises task fields before they go into a chat message, so a task name cannot add
 * formatting, links, HTML or mentions. Characters with a meaning are swapped for their
 * full-width look-alikes instead of backslash escapes, because WeCom and DingTalk document no
 * escape syntax for their markdown subsets and a literal backslash would show in the group.
 */

const MARKDOWN_LOOKALIKES: Readonly<Record<string, string>> = {
  '\\': '＼',
  '*': '＊',
  _: '＿',
  '~': '～',
  '`': '｀',
  '#': '＃',
  '[': '［',
  ']': '］',
  '(': '（',
  ')': '）',
  '<': '＜',
  '>': '＞',
  '|': '｜',
  '!': '！',
  '@': '＠',
  '&': '＆',
  '"': '＂',
};

const MARKDOWN_SPECIAL = /[\\*_~`#[\]()<>|!@&"]/g;

/** Maximum characters kept from one field, so one long name cannot fill a whole message. */
export const MAX_FIELD_CHARS = 80;

/** Collapses line breaks and control characters and cuts the text to `MAX_FIELD_CHARS`. */
function flatten(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
  const single = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  const chars = [...single];
  return chars.length <= MAX_FIELD_CHARS ? single : `${chars.slice(0, MAX_FIELD_CHARS).join('')}…`;
}

/** Escapes a field for WeCom or DingTalk markdown. */
export function escapeMarkdown(text: string): string {
  return flatten(text).replace(MARKDOWN_SPECIAL, (char) => MARKDOWN_LOOKALIKES[char] ?? char);
}

/**
 * Escapes a field for a Feishu `post` text element. Those elements are plain text, but Feishu
 * parses `<at …>` tags in text messages, so angle brackets are swapped all the same.
 */
export function escapePlain(text: string): string {
  return flatten(text).replace(/</g, '＜').replace(/>/g, '＞');
}
