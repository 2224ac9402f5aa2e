/**
 * `render-relay token`: mints a subscriber token signed with the configured secret.
 * The token goes to stdout alone, so it can be captured: `TOKEN=$(render-relay token --agency 3)`.
 */
import { parseArgs } from 'node:util';
import { mintSubscriberToken } from '../access/tokens.js';
import { envName, MIN_JWT_SECRET_LENGTH, parseDurationMs } from '../config.js';
import type { Lang } from './lang.js';
import type { CommandIo } from './serve.js';

const DEFAULT_TTL = '24h';

const OPTIONS = {
  owner: { type: 'string', multiple: true },
  agency: { type: 'string', multiple: true },
  admin: { type: 'boolean' },
  ttl: { type: 'string' },
  sub: { type: 'string' },
  'jwt-secret': { type: 'string' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs `token`; resolves with the exit code. */
export async function tokenCommand(argv: string[], lang: Lang, io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (values.help === true) {
    io.out(tokenHelp(lang));
    return 0;
  }

  const fail = (zh: string, en: string): number => {
    io.err(`${lang === 'zh' ? zh : en}\n`);
    return 2;
  };

  const secret = values['jwt-secret'] ?? io.env[envName('jwtSecret')] ?? '';
  if (secret === '') {
    return fail(
      `缺少签名密钥: 请设置 ${envName('jwtSecret')} (与中继使用的相同), 或传入 --jwt-secret`,
      `missing signing secret: set ${envName('jwtSecret')} (the one the relay uses), or pass --jwt-secret`,
    );
  }
  if (secret.length < MIN_JWT_SECRET_LENGTH) {
    return fail(
      `签名密钥太短: 至少 ${MIN_JWT_SECRET_LENGTH} 个字符`,
      `signing secret too short: at least ${MIN_JWT_SECRET_LENGTH} characters`,
    );
  }

  const owners = readIds(values.owner ?? []);
  const agencies = readIds(values.agency ?? []);
  if (owners === undefined || agencies === undefined) {
    return fail('--owner 和 --agency 应为整数', '--owner and --agency take integers');
  }
  const admin = values.admin === true;
  if (owners.length === 0 && agencies.length === 0 && !admin) {
    return fail(
      '令牌需要 --owner、--agency 或 --admin 中的至少一个',
      'a token needs --owner, --agency or --admin',
    );
  }

  const ttlText = values.ttl ?? DEFAULT_TTL;
  const ttlMs = parseDurationMs(ttlText);
  if (ttlMs === undefined) {
    return fail(
      `无效的 --ttl ${JSON.stringify(ttlText)}: 例如 24h、30m、7d`,
      `invalid --ttl ${JSON.stringify(ttlText)}: for example 24h, 30m, 7d`,
    );
  }

  const subject = values.sub;
  const token = await mintSubscriberToken(
    { owners, agencies, admin, ttlMs, ...(subject === undefined ? {} : { subject }) },
    secret,
  );
  io.out(`${token}\n`);

  const expires = new Date(Date.now() + ttlMs).toISOString();
  const scope = JSON.stringify({ admin, owners, agencies });
  io.err(
    lang === 'zh'
      ? `令牌有效期至 ${expires}, 范围 ${scope}\n`
      : `token valid until ${expires}, scope ${scope}\n`,
  );
  return 0;
}

function readIds(values: string[]): number[] | undefined {
  const ids = values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  const numbers = ids.map(Number);
  return numbers.every(Number.isSafeInteger) ? numbers : undefined;
}

function tokenHelp(lang: Lang): string {
  const zh = [
    '用法: render-relay token [--owner N]... [--agency N]... [--admin] [--ttl 24h] [--sub 名称]',
    '',
    '用中继的 RELAY_JWT_SECRET 签发订阅令牌 (HS256 JWT), 输出到标准输出。',
    '',
    '  --owner N        可查看该用户 (Owner) 的任务, 可重复或用逗号分隔',
    '  --agency N       可查看该经销商 (AgencyUserID) 的任务, 可重复或用逗号分隔',
    '  --admin          可查看全部任务',
    '  --ttl 时长       有效期, 例如 24h、30m、7d, 默认 24h',
    '  --sub 名称       令牌的主体, 只用于日志',
    '  --jwt-secret S   签名密钥, 默认读取 RELAY_JWT_SECRET',
    '  --lang zh|en     输出语言',
  ];
  const en = [
    'Usage: render-relay token [--owner N]... [--agency N]... [--admin] [--ttl 24h] [--sub NAME]',
    '',
    "Mints a subscriber token (HS256 JWT) signed with the relay's RELAY_JWT_SECRET and prints it to stdout.",
    '',
    "  --owner N        may see this user's (Owner) tasks; repeat or separate with commas",
    "  --agency N       may see this dealer's (AgencyUserID) tasks; repeat or separate with commas",
    '  --admin          may see every task',
    '  --ttl DURATION   lifetime, such as 24h, 30m, 7d; default 24h',
    '  --sub NAME       subject of the token, used only in logs',
    '  --jwt-secret S   signing secret; default RELAY_JWT_SECRET',
    '  --lang zh|en     language of the output',
  ];
  return `${(lang === 'zh' ? zh : en).join('\n')}\n`;
}
