/**
 * The bridge's JSON config file: which chat-group robots to post to, and what. Validated with
 * zod; every problem is reported in Chinese and English with the path of the bad entry, such as
 * `robots[1].url`.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { statusName } from '../protocol/status.js';
import { configIssues } from './config-errors.js';

export const ROBOT_KINDS = ['wecom', 'dingtalk', 'feishu'] as const;
export type RobotKind = (typeof ROBOT_KINDS)[number];

/** Status names accepted in `notify`, from `src/protocol/status.ts`. */
const STATUS_NAMES = new Map<string, number>(
  Array.from({ length: 9 }, (_, code) => [statusName(code), code] as const),
);

/** Statuses that notify when a robot sets no `notify`: done, failed, paused. */
export const DEFAULT_NOTIFY: readonly number[] = [2, 4, 3];

const ids = z.array(z.number().int().nonnegative()).max(1000);

const statusRef = z.union([
  z.number().int().nonnegative(),
  z.string().refine((name) => STATUS_NAMES.has(name.toLowerCase()), {
    message: `expected a status name: ${[...STATUS_NAMES.keys()].join(', ')}`,
  }),
]);

const robotSchema = z
  .object({
    name: z.string().trim().min(1).max(64),
    kind: z.enum(ROBOT_KINDS),
    /** Webhook URL; for WeCom also the bare `key`. */
    url: z.string().trim().min(1),
    secret: z.string().min(1).optional(),
    keywords: z.array(z.string().min(1)).max(10).optional(),
    filter: z
      .object({ owners: ids, agencies: ids, statuses: ids, taskIds: ids })
      .partial()
      .strict()
      .optional(),
    notify: z.array(statusRef).min(1).optional(),
    lang: z.enum(['zh', 'en']).optional(),
    template: z
      .object({ title: z.string().min(1), text: z.string().min(1) })
      .partial()
      .strict()
      .optional(),
    /** Lower than the platform's limit, to share a robot with another sender. */
    perMinute: z.number().int().min(2).optional(),
  })
  .strict();

const fileSchema = z
  .object({
    /**
     * Where a bare WeCom key is posted: the webhook URL without `?key=`. There is no default,
     * so the bridge never posts to an address the file does not name.
     */
    wecomBaseUrl: z.string().url().optional(),
    robots: z.array(robotSchema).min(1),
  })
  .strict();

/** A robot from the file, with its URL resolved and its lists turned into sets. */
export interface RobotConfig {
  readonly name: string;
  readonly kind: RobotKind;
  readonly url: string;
  readonly secret?: string;
  readonly keywords: readonly string[];
  readonly filter: {
    readonly owners?: ReadonlySet<number>;
    readonly agencies?: ReadonlySet<number>;
    readonly statuses?: ReadonlySet<number>;
    readonly taskIds?: ReadonlySet<number>;
  };
  /** Status codes that post a message when a task enters them. */
  readonly notify: ReadonlySet<number>;
  /** @default 'zh' */
  readonly lang: 'zh' | 'en';
  readonly template: { readonly title?: string; readonly text?: string };
  readonly perMinute?: number;
}

export interface BridgeConfig {
  readonly robots: readonly RobotConfig[];
}

/** An invalid config file; `message` has one line per problem in both languages. */
export class BridgeConfigError extends Error {
  override readonly name = 'BridgeConfigError';
  constructor(readonly issues: readonly { path: string; zh: string; en: string }[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.zh} / ${issue.en}`).join('\n'));
  }
}

/** Reads and validates a config file. @throws BridgeConfigError */
export async function loadBridgeConfig(path: string): Promise<BridgeConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new BridgeConfigError([
      { path, zh: `无法读取配置文件 (${code})`, en: `cannot read the config file (${code})` },
    ]);
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message;
    throw new BridgeConfigError([
      { path, zh: `不是有效的 JSON: ${detail}`, en: `invalid JSON: ${detail}` },
    ]);
  }
  return parseBridgeConfig(value);
}

/** Validates a parsed config file. @throws BridgeConfigError */
export function parseBridgeConfig(value: unknown): BridgeConfig {
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) throw new BridgeConfigError(configIssues(parsed.error.issues));

  const problems: { path: string; zh: string; en: string }[] = [];
  const names = new Set<string>();
  const robots = parsed.data.robots.map((robot, index) => {
    const path = `robots[${index}]`;
    if (names.has(robot.name)) {
      problems.push({
        path: `${path}.name`,
        zh: `名称 "${robot.name}" 重复`,
        en: `duplicate name "${robot.name}"`,
      });
    }
    names.add(robot.name);

    const url = resolveUrl(robot.kind, robot.url, parsed.data.wecomBaseUrl);
    if (typeof url !== 'string') problems.push({ path: `${path}.url`, ...url });
    if (robot.kind === 'wecom' && robot.secret !== undefined) {
      problems.push({
        path: `${path}.secret`,
        zh: '企业微信机器人没有签名, 请删除 secret',
        en: 'WeCom robots have no signing; remove secret',
      });
    }

    const config: RobotConfig = {
      name: robot.name,
      kind: robot.kind,
      url: typeof url === 'string' ? url : '',
      keywords: robot.keywords ?? [],
      filter: {
        owners: setOf(robot.filter?.owners),
        agencies: setOf(robot.filter?.agencies),
        statuses: setOf(robot.filter?.statuses),
        taskIds: setOf(robot.filter?.taskIds),
      },
      notify: new Set(robot.notify?.map(statusCode) ?? DEFAULT_NOTIFY),
      lang: robot.lang ?? 'zh',
      template: robot.template ?? {},
      ...(robot.secret === undefined ? {} : { secret: robot.secret }),
      ...(robot.perMinute === undefined ? {} : { perMinute: robot.perMinute }),
    };
    return config;
  });

  if (problems.length > 0) throw new BridgeConfigError(problems);
  return { robots };
}

/** Accepts a full http(s) webhook URL, or for WeCom a bare key joined to `wecomBaseUrl`. */
function resolveUrl(
  kind: RobotKind,
  value: string,
  wecomBaseUrl: string | undefined,
): string | { zh: string; en: string } {
  if (/^https?:\/\//i.test(value)) {
    try {
      return new URL(value).toString();
    } catch {
      return { zh: '不是有效的 URL', en: 'invalid URL' };
    }
  }

  if (kind === 'wecom' && /^[A-Za-z0-9-]{8,}$/.test(value)) {
    if (wecomBaseUrl === undefined) {
      return {
        zh: '这是企业微信 key 而不是完整地址: 请填写完整的 webhook 地址, 或设置 wecomBaseUrl',
        en: 'this is a WeCom key, not a full address: give the full webhook URL or set wecomBaseUrl',
      };
    }
    const url = new URL(wecomBaseUrl);
    url.searchParams.set('key', value);
    return url.toString();
  }

  return {
    zh: '需要 http:// 或 https:// 开头的 webhook 地址',
    en: 'expected a webhook URL starting with http:// or https://',
  };
}

function statusCode(ref: string | number): number {
  return typeof ref === 'number' ? ref : (STATUS_NAMES.get(ref.toLowerCase()) ?? -1);
}

function setOf(values: number[] | undefined): ReadonlySet<number> | undefined {
  return values === undefined || values.length === 0 ? undefined : new Set(values);
}
