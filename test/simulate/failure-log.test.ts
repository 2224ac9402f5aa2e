import { describe, expect, it } from 'vitest';
import { FailureLog } from '../../src/simulate/failure-log.js';

interface Line {
  readonly obj: object;
  readonly msg: string;
}

function recordingLogger(): {
  lines: Line[];
  info: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
} {
  const lines: Line[] = [];
  return {
    lines,
    info: () => {},
    warn: (obj, msg) => lines.push({ obj, msg }),
  };
}

describe('failure-log', () => {
  it('writes lines up to the window limit', () => {
    const logger = recordingLogger();
    const log = new FailureLog({ logger, linesPerWindow: 2, windowMs: 1000, now: () => 0 });
    for (let i = 0; i < 5; i++) log.write({ i }, 'callback failed');

    expect(logger.lines.map((line) => line.obj)).toEqual([{ i: 0 }, { i: 1 }]);
  });

  it('reports suppressed count on next line', () => {
    const logger = recordingLogger();
    let time = 0;
    const log = new FailureLog({ logger, linesPerWindow: 1, windowMs: 1000, now: () => time });
    log.write({ i: 0 }, 'callback failed');
    log.write({ i: 1 }, 'callback failed');
    log.write({ i: 2 }, 'callback failed');
    time = 1000;
    log.write({ i: 3 }, 'callback failed');

    expect(logger.lines.map((line) => line.obj)).toEqual([{ i: 0 }, { i: 3, suppressed: 2 }]);
  });

  it('flushes the suppressed count', () => {
    const logger = recordingLogger();
    const log = new FailureLog({ logger, linesPerWindow: 1, now: () => 0 });
    log.write({}, 'callback failed');
    log.write({}, 'callback failed');
    log.flush();
    log.flush();

    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[1]?.obj).toEqual({ suppressed: 1 });
  });

  it('works without a logger', () => {
    const log = new FailureLog();

    expect(() => {
      log.write({}, 'callback failed');
      log.flush();
    }).not.toThrow();
  });
});
