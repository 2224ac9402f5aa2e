#!/usr/bin/env node
/**
 * The `render-relay` command: dispatches to a subcommand.
 */
import { bridgeCommand } from './bridge.js';
import { pickLang } from './lang.js';
import { type CommandIo, serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';
import { tokenCommand } from './token.js';
import { watchCommand } from './watch.js';

const COMMANDS: Record<
  string,
  (argv: string[], lang: ReturnType<typeof pickLang>, io: CommandIo) => Promise<number>
> = {
  bridge: bridgeCommand,
  serve: serveCommand,
  simulate: simulateCommand,
  token: tokenCommand,
  watch: watchCommand,
};

function usage(lang: ReturnType<typeof pickLang>): string {
  return lang === 'zh'
    ? [
        '用法: render-relay <命令> [选项]',
        '',
        '命令:',
        '  serve      启动中继 (默认命令)',
        '  simulate   模拟渲染平台, 向中继发送任务回调',
        '  token      签发订阅令牌',
        '  watch      订阅中继, 每个事件打印一行',
        '  bridge     把任务通知发到企业微信、钉钉、飞书的群机器人',
        '',
        '每个命令都支持 --help。加 --lang en 显示英文。',
        '',
      ].join('\n')
    : [
        'Usage: render-relay <command> [options]',
        '',
        'Commands:',
        '  serve      start the relay (the default command)',
        '  simulate   simulate the render platform, posting task callbacks to a relay',
        '  token      mint a subscriber token',
        '  watch      subscribe to a relay and print one line per event',
        '  bridge     post task notices to WeCom, DingTalk and Feishu group robots',
        '',
        'Every command takes --help. Add --lang zh for Chinese.',
        '',
      ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const io: CommandIo = {
    env: process.env,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
  const lang = pickLang(langFlag(argv), process.env);

  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.out(usage(lang));
      return 0;
    }
    return runCommand(serveCommand, argv, lang, io);
  }

  const command = COMMANDS[first];
  if (command === undefined) {
    io.err(`${lang === 'zh' ? '未知命令' : 'unknown command'}: ${first}\n\n${usage(lang)}`);
    return 2;
  }
  return runCommand(command, rest, lang, io);
}

/** Reads `--lang en` or `--lang=en` before any command parses its own options. */
function langFlag(argv: string[]): string | undefined {
  const index = argv.indexOf('--lang');
  if (index >= 0) return argv[index + 1];
  return argv.find((arg) => arg.startsWith('--lang='))?.slice('--lang='.length);
}

/** Runs a command, turning an unknown or malformed option into a usage error (exit 2). */
async function runCommand(
  command: (argv: string[], lang: ReturnType<typeof pickLang>, io: CommandIo) => Promise<number>,
  argv: string[],
  lang: ReturnType<typeof pickLang>,
  io: CommandIo,
): Promise<number> {
  try {
    return await command(argv, lang, io);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS_')) throw error;

    const hint = lang === 'zh' ? '用 --help 查看可用的选项' : 'run with --help to list the options';
    io.err(
      `${lang === 'zh' ? '选项错误' : 'invalid option'}: ${(error as Error).message} (${hint})\n`,
    );
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`render-relay: ${message}\n`);
    process.exitCode = 1;
  },
);
