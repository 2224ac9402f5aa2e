/**
 * The one logger: pino, JSON lines by default, pretty-printed when attached to a terminal.
 * Code takes a logger as an argument, so tests can pass one that writes to a sink.
 */
import { type DestinationStream, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  /** pino level name. @default 'info' */
  readonly level?: string;
  /** Human-readable output instead of JSON lines. @default true when stdout is a terminal */
  readonly pretty?: boolean;
  /** The destination of log lines. @default stdout */
  readonly destination?: DestinationStream;
}

/** Creates the relay's root logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const usePretty = options.pretty ?? process.stdout.isTTY === true;

  if (options.destination !== undefined) return pino({ level }, options.destination);
  if (usePretty)
    return pino(
      { level },
      pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }),
    );
  return pino({ level });
}

/** Creates a logger that drops everything, for tools that run the relay quietly. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
