/**
 * Child processes of the benchmark and their message protocol over the IPC channel: the parent
 * sends a command, and the child replies with one or more messages. A child runs TypeScript through
 * tsx's loader and exits when the parent disconnects.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** A message on the IPC channel, named by its `type`. */
export interface Message {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** How long a child may take to start and load its modules. */
const START_TIMEOUT_MS = 20_000;

/** How long a child gets to exit after the parent disconnects, before it is killed. */
const EXIT_GRACE_MS = 5_000;

/** A running child script, seen from the parent. */
export class ChildScript {
  readonly #child: ChildProcess;
  readonly #name: string;
  readonly #inbox: Message[] = [];
  #waiter: ((message: Message) => void) | undefined;

  private constructor(child: ChildProcess, name: string) {
    this.#child = child;
    this.#name = name;
    child.on('message', (message: Message) => this.#receive(message));
  }

  /** Starts `script` (a URL of a .ts file) with tsx's loader and waits for its `ready` message. */
  static async start(script: URL): Promise<ChildScript> {
    const path = fileURLToPath(script);
    const child = fork(path, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const started = new ChildScript(child, path);

    await started.next(START_TIMEOUT_MS, 'ready');
    return started;
  }

  /** Sends a command to the child. */
  send(message: Message): void {
    this.#child.send(message);
  }

  /** Sends a command and waits for the child's reply of type `replyType`. */
  async request(message: Message, replyType: string, timeoutMs: number): Promise<Message> {
    this.send(message);
    return this.next(timeoutMs, replyType);
  }

  /**
   * Waits for the child's next message and checks its type. An `error` message from the child
   * becomes a thrown Error. On timeout the child is killed, because its state is then unknown.
   */
  async next(timeoutMs: number, expectedType: string): Promise<Message> {
    const message = await this.#nextMessage(timeoutMs);

    if (message.type === 'error') {
      throw new Error(`${this.#name} failed: ${String(message.message)}`);
    }
    if (message.type !== expectedType) {
      throw new Error(`${this.#name} sent a "${message.type}" message, expected "${expectedType}"`);
    }
    return message;
  }

  /** Disconnects, waits for the child to exit, and kills it by PID if it has not exited in time. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;

    const exited = once(this.#child, 'exit');
    if (this.#child.connected) this.#child.disconnect();

    const timer = setTimeout(() => this.#kill(), EXIT_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  #receive(message: Message): void {
    const waiter = this.#waiter;
    if (waiter === undefined) {
      this.#inbox.push(message);
      return;
    }

    this.#waiter = undefined;
    waiter(message);
  }

  #nextMessage(timeoutMs: number): Promise<Message> {
    const queued = this.#inbox.shift();
    if (queued !== undefined) return Promise.resolve(queued);

    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => {
        clearTimeout(timer);
        this.#waiter = undefined;
        reject(new Error(`${this.#name} exited with code ${code} before replying`));
      };
      const timer = setTimeout(() => {
        this.#child.off('exit', onExit);
        this.#waiter = undefined;
        this.#kill();
        reject(new Error(`${this.#name} did not reply within ${timeoutMs} ms; killed it`));
      }, timeoutMs);

      this.#child.once('exit', onExit);
      this.#waiter = (message) => {
        clearTimeout(timer);
        this.#child.off('exit', onExit);
        resolve(message);
      };
    });
  }

  #kill(): void {
    const pid = this.#child.pid;
    if (pid === undefined || this.#child.exitCode !== null) return;
    process.kill(pid, 'SIGKILL');
  }
}

/**
 * Serves the parent's commands in a child script: each command goes to `handle`, which sends its
 * replies with `reply`. A command that throws gets an `error` reply. The process
 * exits when the parent disconnects or when `maxLifetimeMs` has passed, whichever comes first.
 */
export function serveParent(
  handle: (command: Message, reply: (message: Message) => void) => Promise<void>,
  maxLifetimeMs: number,
): void {
  const reply = (message: Message): void => {
    process.send?.(message);
  };

  process.on('message', (command: Message) => {
    handle(command, reply).catch((error: unknown) => {
      reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    });
  });
  process.on('disconnect', () => process.exit(0));

  const lifetime = setTimeout(() => {
    console.error(`benchmark child exceeded its ${maxLifetimeMs} ms lifetime; exiting`);
    process.exit(1);
  }, maxLifetimeMs);
  lifetime.unref();

  reply({ type: 'ready' });
}
