/**
 * `render-relay watch`: subscribes through the client SDK and prints one line per event until
 * Ctrl+C. Connection changes and errors go to stderr, so stdout holds only events.
 */
import { parseArgs } from 'node:util';
import { RelayClient } from '../client/index.js';
import type { ClientState, StateInfo } from '../client/listeners.js';
import type { ClientFilter } from '../client/options.js';
import type { Lang } from './lang.js';
import type { CommandIo } from './serve.js';
import { formatEvent, printable } from './watch-format.js';

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  owner: { type: 'string', multiple: true },
  agency: { type: 'string', multiple: true },
  status: { type: 'string', multiple: true },
  frames: { type: 'boolean' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs `watch`; resolves with 0 after SIGINT or SIGTERM, 1 when the client stopped on its own. */
export async function watchCommand(argv: string[], lang: Lang, io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (values.help === true) {
    io.out(watchHelp(lang));
    return 0;
  }
  const say = (zh: string, en: string): void => io.err(`${lang === 'zh' ? zh : en}\n`);

  const url = values.url ?? io.env.RELAY_URL;
  if (url === undefined || url === '') {
    say(
      '缺少 --url, 例如 --url http://127.0.0.1:8080',
      'missing --url, e.g. --url http://127.0.0.1:8080',
    );
    return 2;
  }

  const filter: ClientFilter = { frames: values.frames === true || io.env.RELAY_FRAMES === 'true' };
  const lists = { owner: 'owners', agency: 'agencies', status: 'statuses' } as const;
  for (const [flag, key] of Object.entries(lists) as [
    keyof typeof lists,
    (typeof lists)[keyof typeof lists],
  ][]) {
    const texts = values[flag] ?? splitList(io.env[`RELAY_${flag.toUpperCase()}`]);
    const ids = texts.map(Number);
    const invalid = texts.find(
      (text, index) => !Number.isSafeInteger(ids[index]) || text.trim() === '',
    );
    if (invalid !== undefined) {
      say(
        `--${flag} 应为整数, 实际为 ${JSON.stringify(invalid)}`,
        `--${flag} takes integers, received ${JSON.stringify(invalid)}`,
      );
      return 2;
    }
    if (ids.length > 0) filter[key] = ids;
  }

  let client: RelayClient;
  try {
    const token = values.token ?? io.env.RELAY_TOKEN;
    client = new RelayClient({
      url,
      filter,
      ...(token === undefined || token === '' ? {} : { token }),
    });
  } catch (error) {
    if (!(error instanceof TypeError) && !(error instanceof RangeError)) throw error;
    say(`参数错误: ${error.message}`, `invalid option: ${error.message}`);
    return 2;
  }

  const json = values.json === true || io.env.RELAY_JSON === 'true';
  client.on('event', (event) => {
    io.out(
      `${json ? JSON.stringify(event) : formatEvent(event, client.tasks.get(event.task.id), lang)}\n`,
    );
  });
  client.on('snapshot', (info) =>
    say(
      `快照: ${info.tasks.length} 个任务 (${SNAPSHOT_REASONS_ZH[info.reason]})${info.truncated ? ', 已截断' : ''}`,
      `snapshot: ${info.tasks.length} tasks (${info.reason})${info.truncated ? ', truncated' : ''}`,
    ),
  );
  client.on('state', (state, info) => io.err(`${describeState(state, info, lang)}\n`));
  client.on('error', (error) =>
    say(`错误: ${printable(error.message)}`, `error: ${printable(error.message)}`),
  );

  return await new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (): void => {
      stopping = true;
      client.close();
    };
    const stopListening = client.on('state', (state) => {
      if (state !== 'closed') return;
      stopListening();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(stopping ? 0 : 1);
    });
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    client.start();
  });
}

const SNAPSHOT_REASONS_ZH = {
  initial: '初次',
  'history-lost': '历史已不足',
  'new-epoch': '中继已重启',
};

function splitList(text: string | undefined): string[] {
  return text === undefined || text === '' ? [] : text.split(',');
}

function describeState(state: ClientState, info: StateInfo, lang: Lang): string {
  const code = info.code === undefined ? '' : ` ${info.code}`;
  const reason =
    info.reason === undefined || info.reason === '' ? '' : ` ${printable(info.reason)}`;
  if (lang === 'zh') {
    switch (state) {
      case 'idle':
        return '未启动';
      case 'connecting':
        return info.attempt === 0 ? '连接中…' : `第 ${info.attempt} 次重连中…`;
      case 'connected':
        return '已连接';
      case 'reconnecting':
        return `连接断开 (${code.trim() || '无关闭码'}${reason}), ${info.delayMs} 毫秒后第 ${info.attempt} 次重连`;
      case 'closed':
        return '已停止';
    }
  }
  switch (state) {
    case 'idle':
      return 'idle';
    case 'connecting':
      return info.attempt === 0 ? 'connecting…' : `reconnecting, attempt ${info.attempt}…`;
    case 'connected':
      return 'connected';
    case 'reconnecting':
      return `connection lost (${code.trim() || 'no close code'}${reason}), retry ${info.attempt} in ${info.delayMs} ms`;
    case 'closed':
      return 'stopped';
  }
}

function watchHelp(lang: Lang): string {
  const zh = [
    '用法: render-relay watch --url http://127.0.0.1:8080 [选项]',
    '',
    '订阅中继, 每个事件打印一行 (本地时间、任务、状态变化、完成帧数、费用), 直到 Ctrl+C。',
    '连接状态输出到 stderr。断线后自动重连并从上次的位置继续, 不丢也不重复。',
    '每个选项也可用环境变量设置 (例如 --token 对应 RELAY_TOKEN, 列表用逗号分隔)。',
    '',
    '  --url URL          中继的地址, http(s):// 或 ws(s)://.../ws (必填)',
    '  --token T          订阅令牌 (中继设置了 RELAY_JWT_SECRET 时必填)',
    '  --owner N          只看该用户的任务, 可重复',
    '  --agency N         只看该经销商的任务, 可重复',
    '  --status N         只看进入或离开该状态的任务 (1 渲染中, 2 任务完成, …), 可重复',
    '  --frames           同时显示每帧的事件',
    '  --json             在 stdout 上每行输出一个原始事件 (JSON)',
    '  --lang zh|en       输出语言',
  ];
  const en = [
    'Usage: render-relay watch --url http://127.0.0.1:8080 [options]',
    '',
    'Subscribes to a relay and prints one line per event (local time, task, status change, frames done, cost) until Ctrl+C.',
    'Connection changes go to stderr. After a disconnect it reconnects and resumes where it stopped, with nothing missed or repeated.',
    'Every option can also be set by an environment variable (--token as RELAY_TOKEN; lists comma-separated).',
    '',
    '  --url URL          the relay, as http(s):// or ws(s)://.../ws (required)',
    '  --token T          subscriber token (required when the relay sets RELAY_JWT_SECRET)',
    '  --owner N          only tasks of this user; repeatable',
    '  --agency N         only tasks of this dealer; repeatable',
    '  --status N         only tasks entering or leaving this status (1 rendering, 2 done, …); repeatable',
    '  --frames           also show per-frame events',
    '  --json             print each raw event as one JSON line on stdout',
    '  --lang zh|en       language of the output',
  ];
  return `${(lang === 'zh' ? zh : en).join('\n')}\n`;
}
