/**
 * Sections 4 and 5: frame callbacks in process, and the cost of forwarding callbacks to the
 * dealer's backend.
 *
 * Section 4 times `acceptFrameCallback` over frame bodies in the platform's published style
 * (lower-case keys, Owner 0, trailing commas) against `JSON.parse` of their strict rewrite.
 * Section 5 posts the HTTP section's load to a relay whose upstream is a bare `node:http`
 * server, and to that server directly.
 */
import { acceptFrameCallback, type FrameIngestResult } from '../src/ingest/accept-frame.js';
import { acceptTaskCallback, type IngestDeps } from '../src/ingest/accept-task.js';
import { smallTaskBody } from './bodies.js';
import { ChildScript } from './child.js';
import {
  CALLBACK_PATH,
  CONCURRENCY,
  rows as loadRows,
  REQUESTS_PER_ROUND,
  runLoad,
  startBareServer,
  type Target,
} from './http.js';
import { createBenchRelay, ingestDeps } from './setup.js';
import { callbackRows, ROUNDS, runRounds, type Sample, timeLoop } from './stats.js';
import type { Row, Section } from './table.js';

/** Frames of one task per round: each sent twice, starting and then done with its files. */
const FRAMES_PER_ROUND = 5_000;
const FILES_PER_FRAME = 3;
const ROUND_CAP_MS = 5_000;

type Outcome = FrameIngestResult['outcome'];

/** Returns a frame body as the platform publishes it, trailing comma included. */
function frameBody(taskId: number, index: number, done: boolean): string {
  const files = done
    ? Array.from({ length: FILES_PER_FRAME }, (_, pass) => ({
        name: `/2019-11-21/${taskId}-box-frames/P${pass}-${String(index).padStart(4, '0')}.TGA`,
        size: 2_000_000 + pass,
        time: 0,
        isdir: false,
      }))
    : [];
  return (
    `{"id": ${index + 1}, "owner": 0, "ownername": "", "agencyuserid": 0, ` +
    `"rendertaskid": ${taskId}, "frameindex": ${index}, "status": ${done ? 2 : 1}, ` +
    `"rendertimethread": ${done ? 3840 : 0}, "gross": ${done ? 14 : 0}, ` +
    `"files": ${JSON.stringify(files)}, "type": 0, "action": 1, "lightjobgross": 0, ` +
    '"lightjobrendertimethread": 0, "lightjobstatus": 0,}'
  );
}

function strict(text: string): string {
  return text.replace(/,\s*}$/, '}');
}

/** One frame case: the bodies of a round and the outcomes they must have. */
interface FrameCase {
  readonly name: string;
  readonly bodies: (taskId: number) => string[];
  /** Bodies applied before the clock starts. */
  readonly prime: (taskId: number) => string[];
  readonly outcomes: ReadonlySet<Outcome>;
}

const FRAME_CASES: readonly FrameCase[] = [
  {
    name: `frames of a cached task, ${FRAMES_PER_ROUND.toLocaleString('en-US')} frames × 2 states`,
    bodies: (taskId) =>
      Array.from({ length: FRAMES_PER_ROUND * 2 }, (_, i) =>
        frameBody(taskId, Math.floor(i / 2), i % 2 === 1),
      ),
    prime: () => [],
    outcomes: new Set(['created', 'updated']),
  },
  {
    name: 'duplicate frame (exact resend)',
    bodies: (taskId) => Array.from({ length: FRAMES_PER_ROUND }, () => frameBody(taskId, 0, true)),
    prime: (taskId) => [frameBody(taskId, 0, true)],
    outcomes: new Set(['duplicate']),
  },
];

function timeFrames(deps: IngestDeps, bodies: readonly string[], testCase: FrameCase): Sample {
  const nowMs = Date.now();
  let unexpected = 0;
  const sample = timeLoop(bodies.length, ROUND_CAP_MS, (i) => {
    const { outcome } = acceptFrameCallback(deps, bodies[i] as string, nowMs);
    if (!testCase.outcomes.has(outcome)) unexpected += 1;
  });

  if (unexpected > 0)
    throw new Error(`frame case "${testCase.name}": ${unexpected} unexpected outcomes`);
  return sample;
}

/** Sum of parsed objects' key counts, kept so that the parse results stay in use. */
let parsedKeys = 0;

function timeJsonParse(bodies: readonly string[]): Sample {
  return timeLoop(bodies.length, ROUND_CAP_MS, (i) => {
    parsedKeys += Object.keys(JSON.parse(bodies[i] as string) as object).length;
  });
}

async function measureFrameCase(testCase: FrameCase): Promise<Row[]> {
  const relay = createBenchRelay();
  const deps = ingestDeps(relay);

  const rounds = await runRounds(ROUNDS, (round) => {
    // A new task each round, so every round starts from an empty frame table.
    const taskId = 700_000 + round;
    acceptTaskCallback(deps, 'create', smallTaskBody(taskId, 1, 1), Date.now());
    for (const body of testCase.prime(taskId)) acceptFrameCallback(deps, body, Date.now());

    const bodies = testCase.bodies(taskId);
    const baseline = bodies.map(strict);
    return { relay: timeFrames(deps, bodies, testCase), baseline: timeJsonParse(baseline) };
  });
  await relay.close();

  const relaySamples = rounds.map((round) => round.relay);
  const baselineSamples = rounds.map((round) => round.baseline);
  return callbackRows(testCase.name, relaySamples, baselineSamples);
}

/** Measures section 4 and returns its rows and description. */
export async function benchFrames(): Promise<Section> {
  const rows: Row[] = [];
  for (const testCase of FRAME_CASES) rows.push(...(await measureFrameCase(testCase)));
  if (parsedKeys === 0) throw new Error('JSON.parse baseline parsed nothing');

  return {
    title: '4. Frame callbacks, in process (acceptFrameCallback vs JSON.parse)',
    description:
      'Each round creates a new task on a fresh relay (default settings), then calls ' +
      '`acceptFrameCallback(deps, body, now)` on one core. The first case sends ' +
      `${FRAMES_PER_ROUND.toLocaleString('en-US')} frames twice each: starting (status 1, no files), ` +
      `then done (status 2, ${FILES_PER_FRAME} files), so every callback creates or updates a frame ` +
      'and publishes a `frame.updated` event. The duplicate case applies one frame untimed, then ' +
      'resends the same text. Bodies are in the published style (lower-case keys, Owner 0, a ' +
      'trailing comma), so the tolerant JSON path runs; the baseline is `JSON.parse` of the same ' +
      'texts without the trailing comma.',
    rows,
  };
}

/** Starts a relay that forwards every callback to `upstream`. */
async function startForwardingRelay(upstream: Target): Promise<Target> {
  const relay = createBenchRelay({ upstreamUrl: new URL(upstream.url).origin });
  const base = await relay.listen();
  return { url: `${base}${CALLBACK_PATH}`, close: () => relay.close() };
}

/** Measures section 5 and returns its rows and description. */
export async function benchPassthrough(): Promise<Section> {
  const backend = await startBareServer();
  const relay = await startForwardingRelay(backend);
  const loader = await ChildScript.start(new URL('./load-client.ts', import.meta.url));

  try {
    // Rounds alternate between the two paths, so a slow phase of the machine hits both.
    const rounds = await runRounds(ROUNDS, async (round) => ({
      direct: await runLoad(loader, backend, round),
      relay: await runLoad(loader, relay, round),
    }));

    return {
      title: "5. Passthrough to the dealer's backend (relay → backend vs backend alone)",
      description:
        'The load of section 2 (small task updates, `node:http` keep-alive client in a child ' +
        `process, ${CONCURRENCY} in flight, ${REQUESTS_PER_ROUND.toLocaleString('en-US')} requests ` +
        'per round) is posted to a relay with `RELAY_UPSTREAM_URL` set to a bare `node:http` ' +
        'server on 127.0.0.1, and, as the baseline, to that server directly. The relay reads ' +
        'each callback, applies it, forwards the same bytes with the global `fetch` and returns ' +
        "the server's reply. The difference is what passthrough adds to the platform's wait.",
      rows: loadRows(
        rounds.map((round) => round.relay),
        rounds.map((round) => round.direct),
        `small updates forwarded, ${CONCURRENCY} in flight`,
      ),
    };
  } finally {
    await loader.stop();
    await relay.close();
    await backend.close();
  }
}
