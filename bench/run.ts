/**
 * `npm run bench`: runs every benchmark section, prints the table and writes
 * docs/benchmarks.md. Each result is shown next to a baseline measured in the same run.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { benchDashboard } from './dashboard.js';
import { describeMachine, type Machine, renderDocument } from './document.js';
import { benchFanout } from './fanout.js';
import { benchFrames, benchPassthrough } from './frames.js';
import { benchHttp } from './http.js';
import { benchIngest } from './ingest.js';
import { elapsedNs, now, ROUNDS } from './stats.js';
import { formatPlainTable, type Section } from './table.js';

const DOCUMENT = new URL('../docs/benchmarks.md', import.meta.url);

function readMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

async function main(): Promise<void> {
  const start = now();
  const machine = readMachine();
  const rounds = `${ROUNDS.warmupRounds} warm-up + ${ROUNDS.rounds} measured`;
  console.log(`render-relay benchmarks on ${describeMachine(machine)}, ${rounds} rounds`);

  const sections: Section[] = [];
  for (const [label, run] of [
    ['ingest pipeline', benchIngest],
    ['HTTP ingest', benchHttp],
    ['fan-out', benchFanout],
    ['frame callbacks', benchFrames],
    ['passthrough', benchPassthrough],
    ['dashboard', benchDashboard],
  ] as const) {
    console.log(`running ${label} …`);
    sections.push(await run());
  }

  const durationSeconds = elapsedNs(start) / 1e9;
  console.log(`\n${formatPlainTable(sections)}\n`);
  console.log('ratio = result ÷ baseline. docs/benchmarks.md describes what each row measures.');

  const document = renderDocument(sections, { date: new Date(), machine, rounds, durationSeconds });
  await writeFile(DOCUMENT, document);
  console.log(`wrote docs/benchmarks.md in ${durationSeconds.toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exitCode = 1;
});
