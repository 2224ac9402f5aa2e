/**
 * Shared helpers of the ingest tests: raw HTTP requests that set only the headers a test
 * names, Prometheus counter reads, and a fence event that proves earlier callbacks were handled.
 */
import http from 'node:http';
import { expect } from 'vitest';
import { baseTask, postCallback, type RunningRelay } from '../helpers/relay.js';
import type { Frame, TestClient } from '../helpers/ws-client.js';

/** The agency of `baseTask()`, which subscribers in these tests filter on. */
export const AGENCY = 3;

/** A reply read as text, with its JSON body when it has one. */
export interface RawReply {
  readonly status: number;
  readonly text: string;
  readonly body: { error_code?: number; error_msg?: string; code?: string } | undefined;
}

/** `baseTask(fields)` as JSON text. */
export function taskJson(fields: Record<string, unknown> = {}): string {
  return JSON.stringify(baseTask(fields));
}

/** Parses a reply body, or returns `undefined` when it is not JSON. */
export function parseReply(text: string): RawReply['body'] {
  try {
    return JSON.parse(text) as RawReply['body'];
  } catch {
    return undefined;
  }
}

/**
 * Posts `body` with `node:http`, sending exactly `headers` plus the Host and framing headers
 * Node adds (Content-Length for a body, unless `headers` requests chunked transfer).
 */
export function postRaw(
  url: string,
  path: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${path}`, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, text, body: parseReply(text) });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Reads one sample of a Prometheus metric from `/metrics`. Returns 0 when the sample is absent,
 * because prom-client lists a labelled counter's sample only once it has risen.
 */
export async function readMetric(
  url: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const response = await fetch(`${url}/metrics`);
  const text = await response.text();
  const labelText = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .join(',');
  const sample = labelText === '' ? `${name} ` : `${name}{${labelText}} `;

  const line = text.split('\n').find((candidate) => candidate.startsWith(sample));
  return line === undefined ? 0 : Number(line.slice(sample.length));
}

/** Fetches `GET /api/tasks/:id` and returns its JSON body. */
export async function getTaskView(url: string, id: number): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/api/tasks/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** Task id of the fence task: far from every id the tests use. */
export const FENCE_TASK_ID = 990_001;

/**
 * Posts a new task as a fence and waits for its `task.created` event. Events are published in
 * the order callbacks are handled, so once the fence arrives, every earlier callback that made
 * an event has reached the client too. Returns the task events received before the fence.
 */
export async function eventsBeforeFence(
  running: RunningRelay,
  client: TestClient,
  fenceId = FENCE_TASK_ID,
): Promise<Frame[]> {
  const reply = await postCallback(running.url, 'updateinfo', baseTask({ ID: fenceId }));
  expect(reply.status).toBe(200);

  const fence = await client.next(
    (frame) => frame.type === 'task.created' && taskIdOf(frame) === fenceId,
  );
  const fenceIndex = client.frames.indexOf(fence);
  return client.frames.slice(0, fenceIndex).filter((frame) => frame.type.startsWith('task.'));
}

/** Returns the task id an event frame is about. */
export function taskIdOf(frame: Frame): number | undefined {
  const task = frame.task as { id?: number } | undefined;
  return task?.id;
}
