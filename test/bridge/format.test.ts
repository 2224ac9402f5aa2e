import { describe, expect, it } from 'vitest';
import { parseBridgeConfig, type RobotConfig } from '../../src/bridge/config.js';
import { escapeMarkdown, escapePlain } from '../../src/bridge/escape.js';
import { composeMessage, PLATFORMS } from '../../src/bridge/formats/index.js';
import { noticeOf } from '../../src/bridge/notice.js';
import { statusEvent } from './support.js';

function robotOf(fields: Record<string, unknown>): RobotConfig {
  const [robot] = parseBridgeConfig({
    robots: [{ name: 'r', url: 'http://127.0.0.1:9/robot/send?access_token=t', ...fields }],
  }).robots;
  if (robot === undefined) throw new Error('no robot');
  return robot;
}

const HOSTILE = '**bold** [link](http://x) <@all> <at user_id="all"> @13800000000 `code`\n# head';

describe('message formatting', () => {
  it('markdown escape neutralises syntax', () => {
    const escaped = escapeMarkdown(HOSTILE);

    for (const char of ['*', '[', ']', '(', ')', '<', '>', '@', '`', '#', '\n']) {
      expect(escaped).not.toContain(char);
    }
    expect(escaped).toContain('bold');
  });

  it('plain escape removes tags', () => {
    const escaped = escapePlain(HOSTILE);

    expect(escaped).not.toContain('<at');
    expect(escaped).not.toContain('\n');
  });

  it('chinese message shows change', () => {
    const robot = robotOf({ kind: 'wecom' });
    const notice = noticeOf(
      statusEvent(1, { changes: { frameCount: 10, frameCompleted: 10, gross: 38 } }),
      undefined,
    );

    const message = composeMessage(robot, [notice]);

    expect(message.title).toBe('渲染任务 67721 任务完成');
    expect(message.text).toContain('状态: 渲染中 → 任务完成');
    expect(message.text).toContain('帧: 10/10');
    expect(message.text).toContain('费用: 38');
    expect(message.text).toContain('用户: u1');
  });

  it('english message per robot', () => {
    const robot = robotOf({ kind: 'feishu', lang: 'en' });
    const message = composeMessage(robot, [noticeOf(statusEvent(1, { status: 4 }), undefined)]);

    expect(message.title).toBe('Render task 67721 failed');
    expect(message.text).toContain('Status: rendering → failed');
  });

  it('template escapes values only', () => {
    const robot = robotOf({
      kind: 'wecom',
      template: { title: '**{name}**', text: '> {ownerName}' },
    });
    const notice = noticeOf(statusEvent(1, { name: '*x*', ownerName: '<@all>' }), undefined);

    const message = composeMessage(robot, [notice]);

    expect(message.title).toBe('**＊x＊**');
    expect(message.text).toBe('> ＜＠all＞');
  });

  it('digest merges several notices', () => {
    const robot = robotOf({ kind: 'dingtalk' });
    const notices = [1, 2, 3].map((seq) =>
      noticeOf(statusEvent(seq, { id: 100 + seq }), undefined),
    );

    const message = composeMessage(robot, notices);

    expect(message.title).toBe('渲染任务通知 (3 条)');
    for (const id of [101, 102, 103]) expect(message.text).toContain(`#${id}`);
  });

  it('dingtalk adds missing keyword', () => {
    const robot = robotOf({ kind: 'dingtalk', keywords: ['渲染通知'] });
    const request = PLATFORMS.dingtalk.buildRequest(robot, { title: 'a', text: 'b' }, 0);

    expect(JSON.parse(request.body).markdown.text).toContain('渲染通知');
  });

  it('wecom content capped at 4096', () => {
    const robot = robotOf({ kind: 'wecom' });
    const request = PLATFORMS.wecom.buildRequest(robot, { title: 't', text: '渲'.repeat(5000) }, 0);
    const content = JSON.parse(request.body).markdown.content as string;

    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4096);
    expect(content.endsWith('…')).toBe(true);
  });

  it('feishu post uses locale', () => {
    const robot = robotOf({
      kind: 'feishu',
      lang: 'en',
      url: 'http://127.0.0.1:9/open-apis/bot/v2/hook/t',
    });
    const body = JSON.parse(
      PLATFORMS.feishu.buildRequest(robot, { title: 't', text: 'a\nb' }, 0).body,
    );

    expect(body.msg_type).toBe('post');
    expect(body.content.post.en_us.content).toEqual([
      [{ tag: 'text', text: 'a' }],
      [{ tag: 'text', text: 'b' }],
    ]);
    expect(body.sign).toBeUndefined();
  });
});
