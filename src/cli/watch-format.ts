/**
 * The lines `render-relay watch` prints: one per event, in Chinese or English, with every
 * platform string cleaned so that a task name cannot move the cursor or recolour the terminal.
 */
import type { RelayEvent } from '../events/event.js';
import type { TaskView } from '../events/task-view.js';
import { statusLabel } from '../protocol/status.js';
import type { Lang } from './lang.js';

/** ANSI escape sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ESC \`) and two-byte escapes. */
const ANSI_ESCAPE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these patterns exist to find control characters.
  /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;

/** C0 and C1 controls, DEL, and the bidirectional overrides that can reorder a printed line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these patterns exist to find control characters.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Returns `text` without escape sequences and control characters. */
export function printable(text: string): string {
  return text.replace(ANSI_ESCAPE, '').replace(CONTROL_CHARACTERS, '');
}

const WORDS = {
  zh: {
    'task.created': '新建',
    'task.updated': '更新',
    'task.deleted': '删除',
    'task.charged': '计费',
    'frame.updated': '帧',
    task: '任务',
    frames: '帧',
    cost: '费用',
    frame: (index: number) => `第 ${index} 帧`,
  },
  en: {
    'task.created': 'created',
    'task.updated': 'updated',
    'task.deleted': 'deleted',
    'task.charged': 'charged',
    'frame.updated': 'frame',
    task: 'task',
    frames: 'frames',
    cost: 'cost',
    frame: (index: number) => `frame ${index}`,
  },
} as const;

/** Formats a Unix-millisecond time as local `HH:MM:SS`. */
export function localTime(atMs: number): string {
  const date = new Date(atMs);
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
}

/**
 * Formats one event as a line without the trailing newline. `task` is the client's copy after
 * the event, absent once the task was deleted.
 */
export function formatEvent(event: RelayEvent, task: TaskView | undefined, lang: Lang): string {
  const words = WORDS[lang];
  const parts = [
    localTime(event.at),
    `[${words[event.type]}]`,
    `${words.task} ${event.task.id}`,
    JSON.stringify(printable(event.task.name)),
  ];

  if (event.type === 'frame.updated') {
    parts.push(words.frame(event.frame.index), statusLabel(event.frame.status, lang));
    parts.push(`${words.cost} ${event.frame.gross} + ${event.frame.lightJobGross}`);
    return parts.join('  ');
  }
  if (event.type === 'task.charged') {
    if (event.charge.frameIndex !== null) parts.push(words.frame(event.charge.frameIndex));
    parts.push(`${words.cost} ${event.charge.gross} + ${event.charge.lightJobGross}`);
    return parts.join('  ');
  }

  parts.push(statusText(event, lang));
  if (task !== undefined) {
    parts.push(`${words.frames} ${task.frameCompleted}/${task.frameCount}`);
    parts.push(`${words.cost} ${task.gross} + ${task.lightJobGross}`);
  }
  return parts.join('  ');
}

/** Formats the status, or its change `old → new` when the event changed it. */
function statusText(event: RelayEvent, lang: Lang): string {
  const before = event.previous.status;
  const now = statusLabel(event.task.status, lang);
  return typeof before === 'number' && before !== event.task.status
    ? `${statusLabel(before, lang)} → ${now}`
    : now;
}
