/**
 * Message templates: a title and a text with `{placeholders}` filled from a notice. The
 * template is the dealer's and kept as written. Each value is escaped for the platform, so a
 * task name cannot add formatting or mentions.
 */
import { statusLabel } from '../protocol/status.js';
import type { Notice } from './notice.js';

export type Lang = 'zh' | 'en';

export interface Template {
  readonly title: string;
  readonly text: string;
}

/** The placeholders a template may use. */
export const PLACEHOLDERS = [
  'id',
  'name',
  'owner',
  'ownerName',
  'agencyUserId',
  'status',
  'statusCode',
  'previousStatus',
  'frames',
  'frameCount',
  'frameCompleted',
  'gross',
  'lightJobGross',
  'time',
] as const;

/** Templates used where a robot's config sets none. */
export const DEFAULT_TEMPLATES: Readonly<Record<Lang, Template>> = {
  zh: {
    title: '渲染任务 {id} {status}',
    text: '任务: {name} (#{id})\n用户: {ownerName}\n状态: {previousStatus} → {status}\n帧: {frames}\n费用: {gross}',
  },
  en: {
    title: 'Render task {id} {status}',
    text: 'Task: {name} (#{id})\nOwner: {ownerName}\nStatus: {previousStatus} → {status}\nFrames: {frames}\nCost: {gross}',
  },
};

/** Title of a digest that merges several notices. */
export function digestTitle(count: number, lang: Lang): string {
  return lang === 'zh' ? `渲染任务通知 (${count} 条)` : `Render task updates (${count})`;
}

/** Returns the placeholder values of a notice, task text escaped with `escapeText`. */
export function placeholderValues(
  notice: Notice,
  lang: Lang,
  escapeText: (text: string) => string,
): Record<(typeof PLACEHOLDERS)[number], string> {
  const none = '—';
  return {
    id: String(notice.id),
    name: escapeText(notice.name) || none,
    owner: String(notice.owner),
    ownerName: escapeText(notice.ownerName) || none,
    agencyUserId: String(notice.agencyUserId),
    status: statusLabel(notice.status, lang),
    statusCode: String(notice.status),
    previousStatus:
      notice.previousStatus === undefined ? none : statusLabel(notice.previousStatus, lang),
    frames: notice.frameCount > 0 ? `${notice.frameCompleted}/${notice.frameCount}` : none,
    frameCount: String(notice.frameCount),
    frameCompleted: String(notice.frameCompleted),
    gross: String(notice.gross),
    lightJobGross: String(notice.lightJobGross),
    time: new Date(notice.at).toISOString(),
  };
}

/** Fills `{name}`-style placeholders; an unknown placeholder is left as written. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.hasOwn(values, key) ? (values[key] as string) : whole,
  );
}

/**
 * Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character, ending it with a
 * marker when cut. Platforms count message limits in bytes.
 */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;

  const marker = '\n…';
  const budget = maxBytes - Buffer.byteLength(marker);
  let used = 0;
  let kept = '';
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (used + size > budget) break;
    used += size;
    kept += char;
  }
  return kept + marker;
}
