import { describe, expect, it } from 'vitest';
import { resolveSimulatorOptions, type SimulatorOptions } from '../../src/simulate/options.js';

const VALID: SimulatorOptions = { url: 'http://127.0.0.1:9', tasks: 3, ratePerSecond: 100 };

function resolveWith(overrides: Record<string, unknown>) {
  return resolveSimulatorOptions({ ...VALID, ...overrides } as SimulatorOptions);
}

describe('options', () => {
  it('fills in defaults', () => {
    const resolved = resolveSimulatorOptions(VALID);

    expect(resolved).toMatchObject({
      url: 'http://127.0.0.1:9',
      tasks: 3,
      ratePerSecond: 100,
      owners: 4,
      agencies: 2,
      keyStyle: 'lower',
      resendRatio: 0.05,
      lateRatio: 0.02,
      maxFrames: 240,
      firstTaskId: 1,
      concurrency: 8,
      activeTasks: 3,
      requestTimeoutMs: 10_000,
      loop: false,
    });
    expect(Number.isInteger(resolved.seed)).toBe(true);
  });

  it('caps default agencies at owners', () => {
    expect(resolveWith({ owners: 1 }).agencies).toBe(1);
  });

  it('strips trailing slashes from url', () => {
    expect(resolveWith({ url: 'http://127.0.0.1:9/relay//' }).url).toBe('http://127.0.0.1:9/relay');
  });

  it('rejects each invalid option', () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { ratePerSecond: 0 },
        'invalid ratePerSecond: expected a number from 0.1 to 10000, received 0',
      ],
      [
        { ratePerSecond: 10_001 },
        'invalid ratePerSecond: expected a number from 0.1 to 10000, received 10001',
      ],
      [
        { ratePerSecond: Number.NaN },
        'invalid ratePerSecond: expected a number from 0.1 to 10000, received NaN',
      ],
      [
        { ratePerSecond: '5' },
        'invalid ratePerSecond: expected a number from 0.1 to 10000, received "5"',
      ],
      [{ tasks: 0 }, 'invalid tasks: expected an integer from 1 to 1000000, received 0'],
      [{ tasks: 1.5 }, 'invalid tasks: expected an integer from 1 to 1000000, received 1.5'],
      [{ owners: 0 }, 'invalid owners: expected an integer from 1 to 10000, received 0'],
      [{ owners: 3, agencies: 4 }, 'invalid agencies: expected an integer from 1 to 3, received 4'],
      [{ keyStyle: 'camel' }, 'invalid keyStyle: expected "lower" or "go", received "camel"'],
      [{ resendRatio: 1.5 }, 'invalid resendRatio: expected a number from 0 to 1, received 1.5'],
      [{ lateRatio: -0.1 }, 'invalid lateRatio: expected a number from 0 to 1, received -0.1'],
      [{ seed: -1 }, 'invalid seed: expected an integer from 0 to 4294967295, received -1'],
      [{ maxFrames: 1001 }, 'invalid maxFrames: expected an integer from 1 to 1000, received 1001'],
      [
        { firstTaskId: 0 },
        'invalid firstTaskId: expected an integer from 1 to 9000000000000000, received 0',
      ],
      [{ concurrency: 0 }, 'invalid concurrency: expected an integer from 1 to 1000, received 0'],
      [{ activeTasks: 0 }, 'invalid activeTasks: expected an integer from 1 to 10000, received 0'],
      [
        { requestTimeoutMs: 50 },
        'invalid requestTimeoutMs: expected an integer from 100 to 600000, received 50',
      ],
      [{ loop: 'yes' }, 'invalid loop: expected true or false, received "yes"'],
      [
        { loop: true },
        'invalid loop: expected false when no signal is given (pass a signal to stop the loop), received true',
      ],
      [{ signal: {} }, 'invalid signal: expected an AbortSignal, received a value of type object'],
    ];

    for (const [overrides, message] of cases) {
      expect(() => resolveWith(overrides), JSON.stringify(overrides)).toThrow(
        new RangeError(message),
      );
    }
  });

  it('rejects urls it cannot post to', () => {
    const cases: [unknown, string][] = [
      [undefined, 'received undefined'],
      ['', 'received ""'],
      ['127.0.0.1:8080', 'received "127.0.0.1:8080"'],
      ['ftp://127.0.0.1/', 'received "ftp://127.0.0.1/"'],
      ['http://127.0.0.1:9/?a=1', 'expected a URL without query or fragment'],
      ['http://user:secret@127.0.0.1:9', 'expected a URL without user name or password'],
    ];

    for (const [url, fragment] of cases) {
      expect(() => resolveWith({ url }), String(url)).toThrow(RangeError);
      expect(() => resolveWith({ url }), String(url)).toThrow(fragment);
    }
  });

  it('masks the password in errors', () => {
    expect(() => resolveWith({ url: 'http://user:secret@127.0.0.1:9' })).toThrow(
      new RangeError(
        'invalid url: expected a URL without user name or password, which fetch rejects, received "http://user:***@127.0.0.1:9/"',
      ),
    );
  });

  it('accepts loop with a signal', () => {
    const resolved = resolveWith({ loop: true, signal: new AbortController().signal });

    expect(resolved.loop).toBe(true);
  });
});
