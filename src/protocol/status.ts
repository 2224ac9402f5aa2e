/**
 * The platform's task status and action codes, with the names the relay sends and the
 * labels people read. Unknown codes are kept as sent and labelled `unknown`, so a status the
 * platform adds later still reaches subscribers.
 */

/** Stable English name of a task status, as sent in `statusName`. */
export type StatusName =
  | 'pending'
  | 'rendering'
  | 'done'
  | 'paused'
  | 'failed'
  | 'waiting'
  | 'uploading'
  | 'processing'
  | 'queued'
  | 'unknown';

interface Label {
  readonly name: StatusName;
  readonly zh: string;
  readonly en: string;
}

const STATUSES: ReadonlyMap<number, Label> = new Map([
  [0, { name: 'pending', zh: '等待文件上传', en: 'waiting for upload' }],
  [1, { name: 'rendering', zh: '渲染中', en: 'rendering' }],
  [2, { name: 'done', zh: '任务完成', en: 'done' }],
  [3, { name: 'paused', zh: '任务暂停', en: 'paused' }],
  [4, { name: 'failed', zh: '任务失败', en: 'failed' }],
  [5, { name: 'waiting', zh: '等待依赖任务', en: 'waiting for a dependency' }],
  [6, { name: 'uploading', zh: '上传文件中', en: 'uploading' }],
  [7, { name: 'processing', zh: '处理上传文件', en: 'processing the upload' }],
  [8, { name: 'queued', zh: '任务队列', en: 'queued' }],
]);

const UNKNOWN: Label = { name: 'unknown', zh: '未知状态', en: 'unknown' };

/** Task status codes by meaning, for code that must test one. */
export const Status = {
  PENDING: 0,
  RENDERING: 1,
  DONE: 2,
  PAUSED: 3,
  FAILED: 4,
  WAITING: 5,
  UPLOADING: 6,
  PROCESSING: 7,
  QUEUED: 8,
} as const;

/** Action codes: what the platform's sync step was doing when it sent the callback. */
export const Action = {
  CREATE: 0,
  UPDATE: 1,
  COMPLETE_AND_CHARGE: 2,
  DELETE: 3,
  DEALER_SYNC: 4,
} as const;

/** Returns the stable name of a status code, `unknown` for codes outside the table. */
export function statusName(status: number): StatusName {
  return (STATUSES.get(status) ?? UNKNOWN).name;
}

/** Returns the label of a status code in the given language. */
export function statusLabel(status: number, lang: 'zh' | 'en' = 'zh'): string {
  return (STATUSES.get(status) ?? UNKNOWN)[lang];
}

/** Reports whether a task in this status will change no more unless the platform restarts it. */
export function isFinished(status: number): boolean {
  return status === Status.DONE || status === Status.FAILED;
}
