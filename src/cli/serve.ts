/**
 * `render-relay serve`: runs the relay until SIGTERM or SIGINT, optionally with the platform
 * simulator feeding it (`--demo`).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  ConfigError,
  DEFAULTS,
  envName,
  flagName,
  resolveConfig,
  SETTING_NAMES,
} from '../config.js';
import { createLogger } from '../observability/log.js';
import { createRelay, type Relay } from '../relay.js';
import { runSimulator } from '../simulate/simulator.js';
import type { Lang } from './lang.js';
import { settingFlags, settingOptions } from './options.js';

/** The documented callback example, shipped with the package for the first `curl`. */
const EXAMPLE_PATH = fileURLToPath(new URL('../../examples/updateinfo.json', import.meta.url));

/** Pace of the demo simulator: lively on a dashboard, light on a laptop. */
const DEMO_TASKS = 40;
const DEMO_RATE_PER_SECOND = 20;

export interface CommandIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Runs `serve`; resolves with the exit code once the relay has stopped. */
export async function serveCommand(argv: string[], lang: Lang, io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...settingOptions(),
      demo: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      lang: { type: 'string' },
    },
    strict: true,
  });

  if (values.help === true) {
    io.out(serveHelp(lang));
    return 0;
  }

  let relay: Relay;
  try {
    const config = resolveConfig(io.env, settingFlags(values));
    relay = createRelay(config, { logger: createLogger({ level: config.logLevel }) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`${lang === 'zh' ? '配置错误' : 'configuration error'}: ${error.message}\n`);
    return 2;
  }

  const url = await relay.listen();
  io.out(banner(url, relay.config.ingestToken !== '', lang));

  const demo = new AbortController();
  const demoValue = values.demo === true || io.env.RELAY_DEMO === 'true';
  if (demoValue) startDemo(relay, url, demo.signal);

  await waitForSignal(relay);
  demo.abort();
  await relay.close();
  return 0;
}

function startDemo(relay: Relay, url: string, signal: AbortSignal): void {
  const logger = relay.logger.child({ component: 'simulator' });
  runSimulator({
    url,
    tasks: DEMO_TASKS,
    ratePerSecond: DEMO_RATE_PER_SECOND,
    loop: true,
    // Frame callbacks share the demo's rate limit, so they add no load. Only the dealer's
    // backend can reply to a payment, so without one every payment would fail with 501.
    frames: true,
    payments: relay.config.upstreamUrl !== '',
    signal,
    logger,
  }).catch((error: unknown) => logger.error({ err: error }, 'demo simulator stopped'));
}

/** Resolves on the first SIGTERM or SIGINT; a second one exits at once. */
function waitForSignal(relay: Relay): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      relay.logger.info({ signal }, 'signal received');
      process.once(signal, () => process.exit(130));
      resolve();
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}

/**
 * Builds the start-up text. With a callback token the URLs carry it as a shell variable, never
 * its value, so the banner can be shared and the curl line still works in the operator's shell.
 */
function banner(baseUrl: string, hasIngestToken: boolean, lang: Lang): string {
  const url = baseUrl;
  const callbackBase = hasIngestToken ? `${url}/t/$${envName('ingestToken')}` : url;
  const wsUrl = url.replace(/^http/, 'ws');
  const curl = `curl -sS "${callbackBase}/api/task/updateinfo" --data-binary @${EXAMPLE_PATH}`;
  const rows =
    lang === 'zh'
      ? [
          'render-relay 已启动',
          `  实时看板:   ${url}/`,
          `  回调地址:   ${callbackBase}/api/task/updateinfo  (也接受 createinfo、deleteinfo, 以及 /api/frame/ 下的同名地址)`,
          `  WebSocket:  ${wsUrl}/ws`,
          `  事件流 SSE: ${url}/api/events  (例如 curl -N '${url}/api/events?agency=3')`,
          `  任务列表:   ${url}/api/tasks`,
          `  指标:       ${url}/metrics`,
          '  发送文档中的示例回调:',
          `    ${curl}`,
          '  按 Ctrl+C 停止。',
        ]
      : [
          'render-relay is running',
          `  dashboard:    ${url}/`,
          `  callback URL: ${callbackBase}/api/task/updateinfo  (also createinfo, deleteinfo, and the same names under /api/frame/)`,
          `  WebSocket:    ${wsUrl}/ws`,
          `  SSE stream:   ${url}/api/events  (try curl -N '${url}/api/events?agency=3')`,
          `  task list:    ${url}/api/tasks`,
          `  metrics:      ${url}/metrics`,
          '  post the documented example callback:',
          `    ${curl}`,
          '  Press Ctrl+C to stop.',
        ];
  return `${rows.join('\n')}\n\n`;
}

/** Help text of `serve`, listing every setting with its variable and default. */
export function serveHelp(lang: Lang): string {
  const head =
    lang === 'zh'
      ? [
          '用法: render-relay serve [选项]',
          '',
          '启动中继: 接收渲染平台的任务回调, 并通过 WebSocket 推送变化。',
          '每个选项也可用环境变量设置, 命令行选项优先。大小可写作 16MiB, 时长可写作 24h、25s。',
          '',
          '  --demo                   同时运行内置的平台模拟器, 持续发送任务 (RELAY_DEMO)',
          '  --lang zh|en             输出语言 (RELAY_LANG), 默认 zh',
          '  -h, --help               显示本帮助',
        ]
      : [
          'Usage: render-relay serve [options]',
          '',
          "Starts the relay: receives the render platform's task callbacks and pushes changes over WebSocket.",
          'Every option can also be set by an environment variable; flags win. Sizes may be written as 16MiB, durations as 24h or 25s.',
          '',
          '  --demo                   also run the built-in platform simulator, posting tasks continuously (RELAY_DEMO)',
          '  --lang zh|en             language of the output (RELAY_LANG), default zh',
          '  -h, --help               show this help',
        ];

  const settings = SETTING_NAMES.map((key) => {
    const flag = `--${flagName(key)}`.padEnd(34);
    return `  ${flag} ${envName(key).padEnd(38)} ${lang === 'zh' ? '默认' : 'default'} ${formatDefault(key, lang)}`;
  });
  return `${[...head, '', ...settings].join('\n')}\n`;
}

const BYTE_STEPS: [number, string][] = [
  [1024 ** 3, 'GiB'],
  [1024 ** 2, 'MiB'],
  [1024, 'KiB'],
];
const TIME_STEPS: [number, string][] = [
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1000, 's'],
];

/** Renders a default for people: sizes in KiB/MiB, durations in s/min/h, empty values named. */
function formatDefault(key: (typeof SETTING_NAMES)[number], lang: Lang): string {
  const value = DEFAULTS[key];
  if (value === '') return lang === 'zh' ? '(空)' : '(empty)';
  if (typeof value !== 'number') return String(value);

  if (key.endsWith('Bytes')) return formatUnits(value, BYTE_STEPS, 'B');
  if (key.endsWith('Ms')) return formatUnits(value, TIME_STEPS, 'ms');
  return String(value);
}

function formatUnits(value: number, units: [number, string][], base: string): string {
  const unit = units.find(([size]) => value >= size && value % size === 0);
  return unit === undefined ? `${value} ${base}` : `${value / unit[0]} ${unit[1]}`;
}
