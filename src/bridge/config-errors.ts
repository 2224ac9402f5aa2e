/**
 * Turns zod issues into bilingual lines that name the path of the bad entry, such as
 * `robots[1].kind`, so a dealer editing the file by hand finds it at once.
 */
import type { z } from 'zod';

export interface ConfigIssue {
  readonly path: string;
  readonly zh: string;
  readonly en: string;
}

/** Formats a zod path: `['robots', 1, 'url']` → `robots[1].url`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text === '' ? '(root)' : text;
}

/** Converts zod issues to bilingual config issues. */
export function configIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), ...describe(issue) }));
}

function describe(issue: z.core.$ZodIssue): { zh: string; en: string } {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? { zh: '缺少此项', en: 'missing' }
        : { zh: `类型错误, 需要 ${issue.expected}`, en: `expected ${issue.expected}` };
    case 'invalid_value':
      return {
        zh: `取值无效, 可选: ${issue.values.join(', ')}`,
        en: `invalid value, expected one of: ${issue.values.join(', ')}`,
      };
    case 'unrecognized_keys':
      return {
        zh: `未知的字段: ${issue.keys.join(', ')}`,
        en: `unknown field: ${issue.keys.join(', ')}`,
      };
    case 'too_small':
      return {
        zh: `太小或太短 (最少 ${issue.minimum})`,
        en: `too small (minimum ${issue.minimum})`,
      };
    case 'too_big':
      return { zh: `太大或太长 (最多 ${issue.maximum})`, en: `too big (maximum ${issue.maximum})` };
    case 'invalid_format':
      return {
        zh: `格式无效, 需要 ${issue.format}`,
        en: `invalid format, expected ${issue.format}`,
      };
    case 'invalid_union':
      return { zh: '需要状态码 (数字) 或状态名', en: 'expected a status code or a status name' };
    default:
      return { zh: `无效: ${issue.message}`, en: `invalid: ${issue.message}` };
  }
}
