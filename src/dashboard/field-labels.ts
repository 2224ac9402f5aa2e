/**
 * Names of task fields for people, so the feed shows "完成帧数" rather than `frameCompleted`.
 * A field without a label (a new one, or an unknown platform key) shows its camelCase name.
 */
import type { Lang } from './i18n.js';

const LABELS: Readonly<Record<string, Readonly<Record<Lang, string>>>> = {
  name: { zh: '任务名', en: 'name' },
  owner: { zh: '用户', en: 'owner' },
  ownerName: { zh: '用户名', en: 'owner name' },
  agencyUserId: { zh: '经销商', en: 'agency' },
  createTime: { zh: '创建时间', en: 'created' },
  type: { zh: '类型', en: 'type' },
  status: { zh: '状态', en: 'status' },
  frameCount: { zh: '帧数', en: 'frames' },
  gross: { zh: '费用', en: 'cost' },
  frameCompleted: { zh: '完成帧数', en: 'frames done' },
  startTime: { zh: '开始时间', en: 'started' },
  completedTime: { zh: '完成时间', en: 'finished' },
  machineLimit: { zh: '核数', en: 'cores' },
  services: { zh: '服务器数', en: 'servers' },
  renderTimeThreadTotal: { zh: '渲染时长', en: 'render time' },
  lightJobGross: { zh: '光子费用', en: 'light-cache cost' },
  lightJobRenderTimeThread: { zh: '光子时长', en: 'light-cache time' },
  renderZipFile: { zh: '源文件', en: 'source archive' },
  camera: { zh: '相机', en: 'camera' },
  action: { zh: '操作', en: 'action' },
  extra: { zh: '其他字段', en: 'other fields' },
};

/** Returns the label of a task field in `lang`. */
export function fieldLabel(lang: Lang, field: string): string {
  return LABELS[field]?.[lang] ?? field;
}
