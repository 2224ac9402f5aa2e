/**
 * Section 1: the ingest pipeline in process. `acceptTaskCallback` reads, applies and publishes
 * callback bodies on a fresh relay's store and event log. The baseline is `JSON.parse` of the
 * same body texts, the least work any receiver does.
 */
import { acceptTaskCallback, type IngestDeps } from '../src/ingest/accept-task.js';
import type { ApplyOutcome } from '../src/state/task-store.js';
import {
  byteSize,
  documentedExampleBody,
  formatBytes,
  smallTaskBody,
  strictDocumentedExample,
  videoTaskBodies,
} from './bodies.js';
import { createBenchRelay, ingestDeps } from './setup.js';
import { callbackRows, ROUNDS, runRounds, type Sample, timeLoop } from './stats.js';
import type { Row, Section } from './table.js';

type Outcome = ApplyOutcome['kind'];

/** One ingest case: the bodies of a round and the outcomes they must have. */
interface IngestCase {
  readonly name: string;
  /** Body texts of round `round`, built before the clock starts. */
  readonly bodies: (round: number) => string[];
  /** Body texts for the baseline, when they differ from the relay's. */
  readonly baselineBodies?: (bodies: string[]) => string[];
  /** Bodies applied before the clock starts, e.g. the first copy of a duplicate. */
  readonly prime?: (round: number) => string[];
  readonly outcomes: ReadonlySet<Outcome>;
  /** Time cap of one round, in milliseconds. */
  readonly capMs: number;
}

const SMALL_CALLBACKS = 10_000;
const SMALL_TASKS = 500;
const DOCUMENTED_CALLBACKS = 5_000;
const VIDEO_CALLBACKS = 60;
const VIDEO_FILES_PER_CALLBACK = 50;
const VIDEO_FILES = VIDEO_CALLBACKS * VIDEO_FILES_PER_CALLBACK;
const LARGE_DUPLICATES = 30;

const CHANGED: ReadonlySet<Outcome> = new Set(['created', 'updated']);
const DUPLICATE: ReadonlySet<Outcome> = new Set(['duplicate']);

function ingestCases(): IngestCase[] {
  const small = smallTaskBody(1, 1, 1);
  const video = videoTaskBodies(1, VIDEO_CALLBACKS, VIDEO_FILES_PER_CALLBACK);
  const videoRange = `${formatBytes(byteSize(video[0] as string))} to ${formatBytes(byteSize(video.at(-1) as string))}`;
  const largeDuplicate = videoTaskBodies(900_001, VIDEO_CALLBACKS, VIDEO_FILES_PER_CALLBACK).at(
    -1,
  ) as string;

  return [
    {
      name: `small task, ${formatBytes(byteSize(small))}, ${SMALL_TASKS} tasks advancing`,
      bodies: (round) =>
        Array.from({ length: SMALL_CALLBACKS }, (_, i) => {
          const index = round * SMALL_CALLBACKS + i;
          const task = index % SMALL_TASKS;
          return smallTaskBody(
            100_000 + task,
            1 + (task % 100),
            Math.floor(index / SMALL_TASKS) + 1,
          );
        }),
      outcomes: CHANGED,
      capMs: 2_000,
    },
    {
      name: 'documented example (non-strict), new id each',
      bodies: (round) =>
        Array.from({ length: DOCUMENTED_CALLBACKS }, (_, i) =>
          documentedExampleBody(300_000 + round * DOCUMENTED_CALLBACKS + i),
        ),
      baselineBodies: (bodies) => bodies.map(strictDocumentedExample),
      outcomes: CHANGED,
      capMs: 2_000,
    },
    {
      name: `video task, ${VIDEO_CALLBACKS} callbacks to ${VIDEO_FILES.toLocaleString('en-US')} files (${videoRange})`,
      bodies: (round) =>
        videoTaskBodies(600_000 + round, VIDEO_CALLBACKS, VIDEO_FILES_PER_CALLBACK),
      outcomes: CHANGED,
      capMs: 10_000,
    },
    {
      name: `duplicate of the small task, ${formatBytes(byteSize(small))}`,
      bodies: () => Array.from({ length: SMALL_CALLBACKS }, () => small),
      prime: () => [small],
      outcomes: DUPLICATE,
      capMs: 2_000,
    },
    {
      name: `duplicate of the video task at ${VIDEO_FILES.toLocaleString('en-US')} files, ${formatBytes(byteSize(largeDuplicate))}`,
      bodies: () => Array.from({ length: LARGE_DUPLICATES }, () => largeDuplicate),
      prime: () => [largeDuplicate],
      outcomes: DUPLICATE,
      capMs: 5_000,
    },
  ];
}

/** Applies every body once, untimed, and throws the relay's error if it rejects one. */
function applyAll(deps: IngestDeps, bodies: readonly string[]): void {
  for (const body of bodies) acceptTaskCallback(deps, 'update', body, Date.now());
}

/** Times `acceptTaskCallback` over the bodies and checks every outcome is an expected one. */
function timeIngest(deps: IngestDeps, bodies: readonly string[], testCase: IngestCase): Sample {
  const nowMs = Date.now();
  const unexpected = new Map<Outcome, number>();

  const sample = timeLoop(bodies.length, testCase.capMs, (i) => {
    const { outcome } = acceptTaskCallback(deps, 'update', bodies[i] as string, nowMs);
    if (!testCase.outcomes.has(outcome))
      unexpected.set(outcome, (unexpected.get(outcome) ?? 0) + 1);
  });

  if (unexpected.size > 0) {
    const found = [...unexpected].map(([outcome, count]) => `${count} ${outcome}`).join(', ');
    throw new Error(`ingest case "${testCase.name}": unexpected outcomes: ${found}`);
  }
  return sample;
}

/** Sum of parsed objects' key counts, kept so that the parse results stay in use. */
let parsedKeys = 0;

function timeJsonParse(bodies: readonly string[], capMs: number): Sample {
  return timeLoop(bodies.length, capMs, (i) => {
    const value = JSON.parse(bodies[i] as string) as Record<string, unknown>;
    parsedKeys += Object.keys(value).length;
  });
}

/** Runs one case on a fresh relay: each round times the relay, then the baseline, on the same bodies. */
async function measureCase(testCase: IngestCase): Promise<Row[]> {
  const relay = createBenchRelay();
  const deps = ingestDeps(relay);

  const rounds = await runRounds(ROUNDS, (round) => {
    const bodies = testCase.bodies(round);
    const baselineBodies = testCase.baselineBodies?.(bodies) ?? bodies;
    applyAll(deps, testCase.prime?.(round) ?? []);

    const relaySample = timeIngest(deps, bodies, testCase);
    const baselineSample = timeJsonParse(baselineBodies, testCase.capMs);
    return { relaySample, baselineSample };
  });
  await relay.close();

  const relaySamples = rounds.map((round) => round.relaySample);
  const baselineSamples = rounds.map((round) => round.baselineSample);
  return callbackRows(testCase.name, relaySamples, baselineSamples);
}

/** Measures section 1 and returns its rows and description. */
export async function benchIngest(): Promise<Section> {
  const rows: Row[] = [];
  for (const testCase of ingestCases()) rows.push(...(await measureCase(testCase)));
  if (parsedKeys === 0) throw new Error('JSON.parse baseline parsed nothing');

  return {
    title: '1. Ingest pipeline, in process (acceptTaskCallback vs JSON.parse)',
    description:
      'Each case calls `acceptTaskCallback(deps, "update", body, now)` on the store and event log ' +
      'of a fresh relay (default settings, one relay per case) and counts callbacks per second. ' +
      `The small-task case sends ${SMALL_CALLBACKS.toLocaleString('en-US')} updates per round over ` +
      `${SMALL_TASKS} tasks whose frame count rises, so every callback is created or updated and ` +
      "publishes an event. The documented example is the platform's non-strict text (trailing " +
      'commas, `False`) with only its id changed, so the tolerant JSON path runs and every callback ' +
      `creates a task. The video task grows by ${VIDEO_FILES_PER_CALLBACK} output files per ` +
      `callback up to ${VIDEO_FILES.toLocaleString('en-US')}, and each callback resends every file; ` +
      'its rate is callbacks per second over the whole sequence. The duplicate cases apply a body ' +
      'once untimed, then send the same text again. The baseline is `JSON.parse` of the same texts ' +
      '(for the documented example, of its strict rewrite, since `JSON.parse` rejects the original). ' +
      'Ratio is result ÷ baseline: below 1× in callbacks/s, or above 1× in µs/callback, means ' +
      'slower than parsing alone.',
    rows,
  };
}
