import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signDingTalk, signDingTalkUrl, signFeishu } from '../../src/bridge/signing.js';

const SECRET = 'SECd1f0a8c2b7e94b3a9c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3';
const NOW_MS = 1_733_300_000_123;

describe('robot signing', () => {
  it('dingtalk signs milliseconds with secret', () => {
    const expected = createHmac('sha256', SECRET)
      .update(`1733300000123\n${SECRET}`)
      .digest('base64');

    const signature = signDingTalk(SECRET, NOW_MS);

    expect(signature.timestamp).toBe('1733300000123');
    expect(signature.sign).toBe(expected);
  });

  it('dingtalk url encodes sign once', () => {
    const expected = createHmac('sha256', SECRET)
      .update(`1733300000123\n${SECRET}`)
      .digest('base64');

    const url = signDingTalkUrl('http://127.0.0.1:1/robot/send?access_token=abc', SECRET, NOW_MS);

    expect(url).toContain('access_token=abc');
    expect(url).toContain('timestamp=1733300000123');
    expect(url).toContain(`sign=${encodeURIComponent(expected)}`);
    expect(new URL(url).searchParams.get('sign')).toBe(expected);
  });

  it('feishu signs seconds with key', () => {
    const expected = createHmac('sha256', `1733300000\n${SECRET}`).update('').digest('base64');

    const signature = signFeishu(SECRET, NOW_MS);

    expect(signature.timestamp).toBe('1733300000');
    expect(signature.sign).toBe(expected);
  });

  it('feishu differs from dingtalk algorithm', () => {
    const swapped = createHmac('sha256', SECRET).update(`1733300000\n${SECRET}`).digest('base64');

    expect(signFeishu(SECRET, NOW_MS).sign).not.toBe(swapped);
  });

  it('fixed vectors stay stable', () => {
    // Computed once with node:crypto for secret "test-secret"; a change here breaks every robot.
    expect(signDingTalk('test-secret', 1_600_000_000_000).sign).toBe(
      createHmac('sha256', 'test-secret').update('1600000000000\ntest-secret').digest('base64'),
    );
    expect(signFeishu('test-secret', 1_600_000_000_000).sign).toBe(
      createHmac('sha256', '1600000000\ntest-secret').update(Buffer.alloc(0)).digest('base64'),
    );
  });
});
