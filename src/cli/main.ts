#!/usr/bin/env node
/**
 * The `render-relay` command: dispatches to a subcommand.
 */
import { pickLang } from './lang.js';
import { type CommandIo, serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';
import { tokenCommand } from './token.js';

const COMMANDS: Record<
  string,
  (argv: string[], lang: ReturnType<typeof pickLang>, io: CommandIo) => Promise<number>
> = {
  serve: serveCommand,
  simulate: simulateCommand,
  token: tokenCommand,
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
  const langIndex = argv.indexOf('--lang');
  const lang = pickLang(langIndex >= 0 ? argv[langIndex + 1] : undefined, process.env);

  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) {
    if (first === '--help' || first === '-h') {
      io.out(usage(lang));
      return 0;
    }
    return serveCommand(argv, lang, io);
  }

  const command = COMMANDS[first];
  if (command === undefined) {
    io.err(`${lang === 'zh' ? '未知命令' : 'unknown command'}: ${first}\n\n${usage(lang)}`);
    return 2;
  }
  return command(rest, lang, io);
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
