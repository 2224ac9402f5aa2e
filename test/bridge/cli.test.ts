import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bridgeCommand } from '../../src/cli/bridge.js';
import type { CommandIo } from '../../src/cli/serve.js';

function ioWith(
  env: Record<string, string> = {},
): CommandIo & { output: string[]; errors: string[] } {
  const output: string[] = [];
  const errors: string[] = [];
  return {
    env,
    out: (text) => output.push(text),
    err: (text) => errors.push(text),
    output,
    errors,
  };
}

describe('bridge command', () => {
  it('help lists options', async () => {
    const io = ioWith();

    expect(await bridgeCommand(['--help'], 'en', io)).toBe(0);
    expect(io.output.join('')).toContain('--dry-run');
  });

  it('missing config exits two', async () => {
    const io = ioWith({ RELAY_URL: 'http://127.0.0.1:9' });

    expect(await bridgeCommand([], 'zh', io)).toBe(2);
    expect(io.errors.join('')).toContain('--config');
  });

  it('invalid config exits two', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bridge-cli-'));
    const path = join(dir, 'bridge.json');
    await writeFile(path, JSON.stringify({ robots: [{ name: 'a', kind: 'slack', url: 'x' }] }));
    const io = ioWith({ RELAY_BRIDGE_CONFIG: path });

    expect(await bridgeCommand(['--url', 'http://127.0.0.1:9'], 'en', io)).toBe(2);
    expect(io.errors.join('')).toContain('robots[0].kind');
  });
});
