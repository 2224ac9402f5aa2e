/**
 * Formatting of task values for display. Platform times are Unix seconds, and 0 means "not
 * yet", so it never becomes 1970.
 */
import { type Lang, translate } from './i18n.js';

/** Formats a Unix-seconds time in the browser's local time zone, as `YYYY-MM-DD HH:mm:ss`. */
export function formatUnixSeconds(
  seconds: number,
  lang: Lang,
  zeroKey: 'notStarted' | 'notFinished',
): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return translate(lang, zeroKey);
  const date = new Date(seconds * 1000);
  const pad = (value: number): string => String(value).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Formats a duration in seconds as `1h 02m`, `3m 04s` or `5s`. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m ${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

/** Formats core-seconds as core-hours with two decimals. */
export function formatCoreHours(coreSeconds: number): string {
  return (coreSeconds / 3600).toFixed(2);
}

/** Formats a byte count with binary units. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Formats a past moment relative to now, e.g. "5 秒前" or "5 seconds ago". */
export function formatRelative(atMs: number, nowMs: number, lang: Lang): string {
  const format = new Intl.RelativeTimeFormat(lang === 'zh' ? 'zh-CN' : 'en', { numeric: 'auto' });
  const seconds = Math.round((atMs - nowMs) / 1000);
  if (Math.abs(seconds) < 60) return format.format(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return format.format(minutes, 'minute');
  return format.format(Math.round(minutes / 60), 'hour');
}
