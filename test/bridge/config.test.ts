import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BridgeConfigError, loadBridgeConfig, parseBridgeConfig } from '../../src/bridge/config.js';

const robot = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'ops',
  kind: 'dingtalk',
  url: 'https://example.com/robot/send?access_token=t',
  ...fields,
});

/** Returns the error thrown by parsing `value`. */
function errorOf(value: unknown): BridgeConfigError {
  try {
    parseBridgeConfig(value);
  } catch (error) {
    if (error instanceof BridgeConfigError) return error;
    throw error;
  }
  throw new Error('expected a BridgeConfigError');
}

describe('bridge config', () => {
  it('example file parses', async () => {
    const config = await loadBridgeConfig(
      new URL('../../examples/bridge.json', import.meta.url).pathname,
    );

    expect(config.robots.map((r) => r.kind)).toEqual(['wecom', 'dingtalk', 'feishu']);
    for (const parsed of config.robots) expect(new URL(parsed.url).hostname).toBe('example.com');
  });

  it('defaults notify and lang', () => {
    const [parsed] = parseBridgeConfig({ robots: [robot()] }).robots;

    expect([...(parsed?.notify ?? [])].sort()).toEqual([2, 3, 4]);
    expect(parsed?.lang).toBe('zh');
  });

  it('notify accepts names and codes', () => {
    const [parsed] = parseBridgeConfig({ robots: [robot({ notify: ['Done', 1] })] }).robots;

    expect([...(parsed?.notify ?? [])]).toEqual([2, 1]);
  });

  it('bad kind names its path', () => {
    const error = errorOf({ robots: [robot(), robot({ name: 'b', kind: 'slack' })] });

    expect(error.message).toContain('robots[1].kind');
    expect(error.message).toContain('取值无效');
    expect(error.message).toContain('expected one of: wecom, dingtalk, feishu');
  });

  it('missing url names its path', () => {
    const error = errorOf({ robots: [{ name: 'a', kind: 'feishu' }] });

    expect(error.issues[0]?.path).toBe('robots[0].url');
    expect(error.issues[0]?.en).toBe('missing');
  });

  it('unknown status name rejected', () => {
    const error = errorOf({ robots: [robot({ notify: ['finished'] })] });

    expect(error.message).toContain('robots[0].notify[0]');
  });

  it('wecom bare key needs base', () => {
    const error = errorOf({ robots: [robot({ kind: 'wecom', url: '693a91f6-7xxx-4bc4-97a0' })] });

    expect(error.issues[0]?.path).toBe('robots[0].url');
    expect(error.issues[0]?.en).toContain('wecomBaseUrl');
  });

  it('wecom bare key joins base', () => {
    const config = parseBridgeConfig({
      wecomBaseUrl: 'http://127.0.0.1:9/cgi-bin/webhook/send',
      robots: [robot({ kind: 'wecom', url: '693a91f6-7aaa-4bc4-97a0' })],
    });

    expect(config.robots[0]?.url).toBe(
      'http://127.0.0.1:9/cgi-bin/webhook/send?key=693a91f6-7aaa-4bc4-97a0',
    );
  });

  it('wecom full url accepted', () => {
    const url = 'https://example.com/cgi-bin/webhook/send?key=abc';
    const config = parseBridgeConfig({ robots: [robot({ kind: 'wecom', url })] });

    expect(config.robots[0]?.url).toBe(url);
  });

  it('wecom secret rejected', () => {
    const error = errorOf({
      robots: [robot({ kind: 'wecom', url: 'https://example.com/x?key=k', secret: 'SECx' })],
    });

    expect(error.issues[0]?.path).toBe('robots[0].secret');
  });

  it('duplicate names rejected', () => {
    const error = errorOf({ robots: [robot(), robot()] });

    expect(error.issues[0]?.path).toBe('robots[1].name');
  });

  it('unknown field rejected', () => {
    const error = errorOf({ robots: [robot({ webhook: 'x' })] });

    expect(error.message).toContain('robots[0]');
    expect(error.message).toContain('webhook');
  });

  it('not a url rejected', () => {
    const error = errorOf({ robots: [robot({ url: 'ftp://example.com/x' })] });

    expect(error.issues[0]?.zh).toContain('http://');
  });

  it('invalid json names file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bridge-config-'));
    const path = join(dir, 'bad.json');
    await writeFile(path, '{"robots": [');

    await expect(loadBridgeConfig(path)).rejects.toThrow(/invalid JSON/);
    await expect(loadBridgeConfig(join(dir, 'none.json'))).rejects.toThrow(/ENOENT/);
  });
});
