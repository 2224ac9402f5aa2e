/**
 * `render-relay bridge`: subscribes to a relay and posts task notices to WeCom, DingTalk and
 * Feishu group robots, until SIGINT or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { type Bridge, createBridge } from '../bridge/bridge.js';
import { BridgeConfigError, loadBridgeConfig } from '../bridge/config.js';
import { RelayClient } from '../client/index.js';
import { createLogger } from '../observability/log.js';
import type { Lang } from './lang.js';
import type { CommandIo } from './serve.js';

/** Time allowed after a stop signal for queued messages to go out, in milliseconds. */
const DRAIN_MS = 5000;

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  config: { type: 'string' },
  'dry-run': { type: 'boolean' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs `bridge`; resolves with the exit code after a stop signal, or 2 on a usage error. */
export async function bridgeCommand(argv: string[], lang: Lang, io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (values.help === true) {
    io.out(bridgeHelp(lang));
    return 0;
  }

  const url = values.url ?? io.env.RELAY_URL;
  const token = values.token ?? io.env.RELAY_TOKEN;
  const configPath = values.config ?? io.env.RELAY_BRIDGE_CONFIG;
  if (url === undefined || configPath === undefined) {
    io.err(
      lang === 'zh'
        ? '缺少 --url 或 --config, 例如 --url http://127.0.0.1:8080 --config bridge.json\n'
        : 'missing --url or --config, e.g. --url http://127.0.0.1:8080 --config bridge.json\n',
    );
    return 2;
  }

  let bridge: Bridge;
  try {
    const config = await loadBridgeConfig(configPath);
    const source = new RelayClient({ url, ...(token === undefined ? {} : { token }) });
    const dryRun = values['dry-run'] === true;
    bridge = createBridge({
      source,
      config,
      logger: createLogger({ level: 'info' }),
      ...(dryRun ? { dryRun: io.out } : {}),
    });
  } catch (error) {
    if (error instanceof BridgeConfigError) {
      io.err(`${lang === 'zh' ? '配置错误' : 'configuration error'}:\n${error.message}\n`);
      return 2;
    }
    if (error instanceof TypeError || error instanceof RangeError) {
      io.err(`${lang === 'zh' ? '选项错误' : 'invalid option'}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  bridge.start();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  // Robot timers are unref'd, so this timer keeps the process alive while the queues drain.
  const keepAlive = setTimeout(() => undefined, DRAIN_MS + 1000);
  await bridge.stop(DRAIN_MS);
  clearTimeout(keepAlive);
  return 0;
}

function bridgeHelp(lang: Lang): string {
  const zh = [
    '用法: render-relay bridge --url http://127.0.0.1:8080 --config bridge.json [选项]',
    '',
    '订阅中继, 把任务状态变化发到企业微信、钉钉、飞书的群机器人。Ctrl+C 停止。',
    '',
    '  --url URL        中继的地址 (必填, 或 RELAY_URL)',
    '  --token T        订阅令牌 (或 RELAY_TOKEN)',
    '  --config FILE    机器人配置文件, JSON (必填, 或 RELAY_BRIDGE_CONFIG), 见 examples/bridge.json',
    '  --dry-run        只打印消息, 不发送, 用于调试模板',
    '  --lang zh|en     命令输出的语言; 消息的语言由每个机器人的 lang 决定',
  ];
  const en = [
    'Usage: render-relay bridge --url http://127.0.0.1:8080 --config bridge.json [options]',
    '',
    'Subscribes to a relay and posts task status changes to WeCom, DingTalk and Feishu group robots. Stop with Ctrl+C.',
    '',
    '  --url URL        base URL of the relay (required, or RELAY_URL)',
    '  --token T        subscriber token (or RELAY_TOKEN)',
    '  --config FILE    robot config file, JSON (required, or RELAY_BRIDGE_CONFIG); see examples/bridge.json',
    '  --dry-run        print the messages instead of posting them, to try templates',
    "  --lang zh|en     language of the command output; each robot sets its messages' language with lang",
  ];
  return `${(lang === 'zh' ? zh : en).join('\n')}\n`;
}
