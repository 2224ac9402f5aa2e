/**
 * Every string the dashboard shows, in Chinese (the default) and English. Status labels come
 * from the relay's status table so the page and the CLI name a status the same way.
 */
import { statusLabel } from '../protocol/status.js';

export type Lang = 'zh' | 'en';

const STRINGS = {
  title: { zh: '渲染任务实时看板', en: 'Render task dashboard' },
  language: { zh: 'English', en: '中文' },
  tokenLabel: { zh: '访问令牌', en: 'Access token' },
  tokenPlaceholder: {
    zh: '粘贴令牌 (匿名模式可留空)',
    en: 'Paste a token (empty in anonymous mode)',
  },
  tokenApply: { zh: '使用', en: 'Use' },
  tokenClear: { zh: '清除', en: 'Clear' },
  scope: { zh: '可见范围', en: 'Scope' },
  scopeAll: { zh: '全部任务', en: 'all tasks' },
  scopeAnonymous: { zh: '无令牌 (匿名模式才可见)', en: 'no token (works in anonymous mode only)' },
  scopeUnreadable: { zh: '无法解析令牌', en: 'the token could not be decoded' },
  scopeOwners: { zh: '用户', en: 'owners' },
  scopeAgencies: { zh: '经销商', en: 'agencies' },
  scopeExpires: { zh: '过期时间', en: 'expires' },
  stateIdle: { zh: '未连接', en: 'not connected' },
  stateConnecting: { zh: '连接中…', en: 'connecting…' },
  stateConnected: { zh: '已连接', en: 'connected' },
  stateReconnecting: {
    zh: '连接断开, {s} 秒后重连 (第 {n} 次)',
    en: 'disconnected, reconnecting in {s} s (attempt {n})',
  },
  stateClosed: { zh: '已停止', en: 'stopped' },
  recovered: { zh: '已恢复, 未丢失事件', en: 'recovered without losing events' },
  resynced: { zh: '中继已重启, 已重新同步', en: 'the relay restarted; re-synced' },
  historyLost: { zh: '事件历史已过期, 已重新同步', en: 'event history expired; re-synced' },
  truncated: {
    zh: '快照已截断, 只显示部分任务',
    en: 'the snapshot was truncated; some tasks are missing',
  },
  countersHeading: { zh: '按状态统计', en: 'Tasks by status' },
  total: { zh: '合计', en: 'total' },
  shown: { zh: '显示 {shown} / {total} 个任务', en: 'showing {shown} of {total} tasks' },
  filtersHeading: { zh: '筛选', en: 'Filters' },
  filterOwner: { zh: '用户 ID', en: 'Owner id' },
  filterAgency: { zh: '经销商 ID', en: 'Agency ID' },
  filterStatus: { zh: '状态', en: 'Status' },
  filterSearch: { zh: '搜索任务名', en: 'Search name' },
  filterAny: { zh: '全部', en: 'any' },
  filterReset: { zh: '重置', en: 'Reset' },
  colId: { zh: '任务 ID', en: 'Task id' },
  colName: { zh: '任务名', en: 'Name' },
  colOwner: { zh: '用户', en: 'Owner' },
  colAgency: { zh: '经销商', en: 'Agency' },
  colType: { zh: '类型', en: 'Type' },
  colStatus: { zh: '状态', en: 'Status' },
  colProgress: { zh: '进度', en: 'Progress' },
  colCost: { zh: '费用', en: 'Cost' },
  colRenderTime: { zh: '渲染时长 (核时)', en: 'Render time (core-h)' },
  colCores: { zh: '核数 / 服务器', en: 'Cores / servers' },
  colCamera: { zh: '相机', en: 'Camera' },
  colCreated: { zh: '创建时间', en: 'Created' },
  colStarted: { zh: '开始时间', en: 'Started' },
  colFinished: { zh: '完成时间', en: 'Finished' },
  colElapsed: { zh: '已用 / 预计剩余', en: 'Elapsed / est. remaining' },
  sortAscending: { zh: '升序', en: 'ascending' },
  sortDescending: { zh: '降序', en: 'descending' },
  typeVideo: { zh: '视频', en: 'video' },
  typePicture: { zh: '图片', en: 'picture' },
  typeUnknown: { zh: '未知', en: 'unknown' },
  notStarted: { zh: '未开始', en: 'not started' },
  notFinished: { zh: '未完成', en: 'not finished' },
  estimate: { zh: '约剩 {t} (估计)', en: 'about {t} left (estimate)' },
  feedHeading: { zh: '实时事件', en: 'Live events' },
  feedEmpty: { zh: '等待事件…', en: 'waiting for events…' },
  eventCreated: { zh: '新任务', en: 'new task' },
  eventDeleted: { zh: '已删除', en: 'deleted' },
  eventUpdated: { zh: '更新', en: 'updated' },
  eventFrame: { zh: '帧 {index} 更新', en: 'frame {index} updated' },
  eventCharged: { zh: '扣费 {gross} + {light}', en: 'charged {gross} + {light}' },
  detailHeading: { zh: '任务详情', en: 'Task detail' },
  detailClose: { zh: '关闭', en: 'Close' },
  detailFields: { zh: '全部字段', en: 'All fields' },
  detailHistory: { zh: '状态历史 (本页打开后)', en: 'Status history (since this page opened)' },
  detailFiles: { zh: '输出文件', en: 'Output files' },
  detailLoading: { zh: '加载中…', en: 'loading…' },
  detailNoFiles: { zh: '没有输出文件', en: 'no output files' },
  detailLoadFailed: { zh: '加载失败: {reason}', en: 'loading failed: {reason}' },
  filePage: { zh: '第 {page} / {pages} 页', en: 'page {page} of {pages}' },
  filePrevious: { zh: '上一页', en: 'Previous' },
  fileNext: { zh: '下一页', en: 'Next' },
  fileName: { zh: '文件名', en: 'File name' },
  fileSize: { zh: '大小', en: 'Size' },
  fileCount: { zh: '{n} 个文件', en: '{n} files' },
  errorPrefix: { zh: '错误', en: 'Error' },
  tokenMissing: {
    zh: '中继要求访问令牌 (HTTP 401), 请在上方粘贴令牌后点击"使用"',
    en: 'the relay requires an access token (HTTP 401); paste one above and press Use',
  },
  tokenRejected: {
    zh: '中继拒绝了此令牌 (HTTP 401, 无效或已过期), 请在上方粘贴有效的令牌',
    en: 'the relay rejected this token (HTTP 401, invalid or expired); paste a valid one above',
  },
  dismiss: { zh: '关闭提示', en: 'Dismiss' },
  pagePrev: { zh: '上一页', en: 'Previous' },
  pageNext: { zh: '下一页', en: 'Next' },
  pageInfo: { zh: '第 {page} / {pages} 页', en: 'page {page} of {pages}' },
  unknownStatus: { zh: '未知状态', en: 'unknown' },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof STRINGS;

/** Returns the string for `key`, with each `{name}` replaced by `params.name`. */
export function translate(
  lang: Lang,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  return STRINGS[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Returns the label of a task status code. */
export function statusText(lang: Lang, status: number): string {
  return statusLabel(status, lang);
}

/** Reports whether `key` names a dashboard string; used when reading `data-i18n` attributes. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(STRINGS, key);
}
