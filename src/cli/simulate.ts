/**
 * `render-relay simulate`: posts realistic task lives to a relay, as the render platform would.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '../observability/log.js';
import { runSimulator, type SimulatorOptions } from '../simulate/simulator.js';
import type { Lang } from './lang.js';
import type { CommandIo } from './serve.js';

const OPTIONS = {
  url: { type: 'string' },
  tasks: { type: 'string' },
  rate: { type: 'string' },
  owners: { type: 'string' },
  agencies: { type: 'string' },
  'key-style': { type: 'string' },
  'resend-ratio': { type: 'string' },
  'late-ratio': { type: 'string' },
  seed: { type: 'string' },
  'max-frames': { type: 'string' },
  loop: { type: 'boolean' },
  frames: { type: 'boolean' },
  payments: { type: 'boolean' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `--key-style` → `RELAY_KEY_STYLE`. */
function envOf(flag: string): string {
  return `RELAY_${flag.replace(/-/g, '_').toUpperCase()}`;
}

/** Runs `simulate`; resolves with the exit code when every task life has been posted. */
export async function simulateCommand(argv: string[], lang: Lang, io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (values.help === true) {
    io.out(simulateHelp(lang));
    return 0;
  }

  const pick = (flag: keyof typeof OPTIONS): string | undefined => {
    const value = values[flag];
    return typeof value === 'string' ? value : io.env[envOf(flag)];
  };
  const number = (flag: keyof typeof OPTIONS): number | undefined => {
    const value = pick(flag);
    return value === undefined ? undefined : Number(value);
  };

  const url = pick('url');
  if (url === undefined) {
    io.err(
      lang === 'zh'
        ? '缺少 --url, 例如 --url http://127.0.0.1:8080\n'
        : 'missing --url, e.g. --url http://127.0.0.1:8080\n',
    );
    return 2;
  }

  const logger = createLogger({ level: 'info' }).child({ component: 'simulator' });
  const options: SimulatorOptions = {
    url,
    tasks: number('tasks') ?? 20,
    ratePerSecond: number('rate') ?? 50,
    loop: values.loop === true || io.env.RELAY_LOOP === 'true',
    frames: values.frames === true || io.env.RELAY_FRAMES === 'true',
    payments: values.payments === true || io.env.RELAY_PAYMENTS === 'true',
    logger,
  };
  const keyStyle = pick('key-style');
  if (keyStyle !== undefined) options.keyStyle = keyStyle as SimulatorOptions['keyStyle'];
  const numbers = {
    owners: number('owners'),
    agencies: number('agencies'),
    resendRatio: number('resend-ratio'),
    lateRatio: number('late-ratio'),
    seed: number('seed'),
    maxFrames: number('max-frames'),
  };
  for (const [key, value] of Object.entries(numbers)) {
    if (value !== undefined) (options as unknown as Record<string, unknown>)[key] = value;
  }

  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const stats = await runSimulator({ ...options, signal: stop.signal });
    logger.info(stats, 'simulation finished');
    return stats.failed > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    io.err(`${lang === 'zh' ? '参数错误' : 'invalid option'}: ${error.message}\n`);
    return 2;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function simulateHelp(lang: Lang): string {
  const zh = [
    '用法: render-relay simulate --url http://127.0.0.1:8080 [选项]',
    '',
    '模拟渲染平台: 生成任务从排队、上传、渲染到完成的全过程, 按平台的格式发送回调。',
    '每个选项也可用环境变量设置 (例如 --rate 对应 RELAY_RATE)。',
    '',
    '  --url URL              中继的地址 (必填)',
    '  --tasks N              任务数, 默认 20',
    '  --rate R               每秒发送的回调数, 默认 50',
    '  --owners N             用户数 (Owner)',
    '  --agencies N           经销商数 (AgencyUserID)',
    '  --key-style lower|go   字段名风格: lower 同文档示例的小写, go 同字段表',
    '  --resend-ratio X       重复发送的比例 (0 到 1)',
    '  --late-ratio X         延迟送达旧状态的比例 (0 到 1)',
    '  --seed N               随机种子, 相同种子产生相同的任务',
    '  --max-frames N         视频任务的最大帧数',
    '  --loop                 任务发完后继续生成新任务, 直到 Ctrl+C',
    '  --frames               同时发送每帧回调 (createrenderframeinfo, updaterenderframeinfo)',
    '  --payments             任务完成时发送 paymentinfo (中继需设置 RELAY_UPSTREAM_URL)',
    '  --lang zh|en           输出语言',
  ];
  const en = [
    'Usage: render-relay simulate --url http://127.0.0.1:8080 [options]',
    '',
    'Simulates the render platform: generates task lives from queued through upload and rendering to done, and posts them as callbacks.',
    'Every option can also be set by an environment variable (--rate as RELAY_RATE, for example).',
    '',
    '  --url URL              base URL of the relay (required)',
    '  --tasks N              number of tasks, default 20',
    '  --rate R               callbacks per second, default 50',
    '  --owners N             number of users (Owner)',
    '  --agencies N           number of dealers (AgencyUserID)',
    '  --key-style lower|go   key spelling: lower as in the documented example, go as in the field table',
    '  --resend-ratio X       share of callbacks sent twice (0 to 1)',
    '  --late-ratio X         share of older states delivered late (0 to 1)',
    '  --seed N               random seed; the same seed gives the same tasks',
    '  --max-frames N         largest frame count of a video task',
    '  --loop                 keep starting new tasks until Ctrl+C',
    '  --frames               also post per-frame callbacks (createrenderframeinfo, updaterenderframeinfo)',
    '  --payments             post paymentinfo when a task completes (the relay needs RELAY_UPSTREAM_URL)',
    '  --lang zh|en           language of the output',
  ];
  return `${(lang === 'zh' ? zh : en).join('\n')}\n`;
}
