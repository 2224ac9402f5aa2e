import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import { baseTask, type RunningRelay, startRelay } from '../helpers/relay.js';
import type { TestClient } from '../helpers/ws-client.js';
import { postRaw, readMetric, taskJson } from '../ingest/support.js';
import { closedPortUrl, type MockBackend, startMockBackend } from './mock-backend.js';

let running: RunningRelay;
let backend: MockBackend | undefined;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await running?.close();
  await backend?.close();
  backend = undefined;
});

const DEALER_REPLY = '{"error_code":0,"error_msg":"成功","dealer":true}';
const upstreamOutcome = (outcome: string) =>
  readMetric(running.url, 'relay_upstream_requests_total', { outcome });

describe('upstream passthrough', () => {
  test('forwards path, query and bytes', async () => {
    backend = await startMockBackend(() => ({ status: 200, body: DEALER_REPLY }));
    running = await startRelay({ upstreamUrl: backend.url, ingestToken: 'ingest-secret' });
    const body = `${taskJson()}\n`;

    const reply = await postRaw(
      running.url,
      '/t/ingest-secret/api/task/updateinfo?dealer=7&token=other',
      body,
      { 'Content-Type': 'text/plain; charset=utf-8', Authorization: 'Bearer x' },
    );

    expect(reply.status).toBe(200);
    expect(reply.text).toBe(DEALER_REPLY);
    const request = await backend.nextRequest();
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/api/task/updateinfo?dealer=7');
    expect(request.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body.equals(Buffer.from(body))).toBe(true);
    expect((await fetch(`${running.url}/api/tasks/67721`)).status).toBe(200);
    expect(await upstreamOutcome('ok')).toBe(1);
  });

  test('gzip body forwarded still compressed', async () => {
    backend = await startMockBackend(() => ({ status: 200, body: DEALER_REPLY }));
    running = await startRelay({ upstreamUrl: backend.url });
    const compressed = gzipSync(Buffer.from(taskJson()));

    const reply = await postRaw(running.url, '/api/frame/updateinfo', compressed, {
      'Content-Type': 'application/json',
      'Content-Encoding': 'gzip',
    });

    expect(reply.status).toBe(200);
    const request = await backend.nextRequest();
    expect(request.url).toBe('/api/frame/updateinfo');
    expect(request.headers['content-encoding']).toBe('gzip');
    expect(request.body.equals(compressed)).toBe(true);
    expect((await fetch(`${running.url}/api/tasks/67721`)).status).toBe(200);
  });

  test('local rejection keeps backend reply', async () => {
    backend = await startMockBackend(() => ({ status: 200, body: DEALER_REPLY }));
    running = await startRelay({ upstreamUrl: backend.url });

    const reply = await postRaw(running.url, '/api/task/updateinfo', '{"Owner": 1,}');

    expect(reply.status).toBe(200);
    expect(reply.text).toBe(DEALER_REPLY);
    expect((await backend.nextRequest()).body.toString()).toBe('{"Owner": 1,}');
    expect(
      await readMetric(running.url, 'relay_callback_rejections_total', {
        code: 'RS_ERR_FIELD_MISSING',
      }),
    ).toBe(1);
  });

  test('backend status passes through', async () => {
    backend = await startMockBackend(() => ({ status: 400, body: '{"error_code":1}' }));
    running = await startRelay({ upstreamUrl: backend.url });

    const reply = await postRaw(running.url, '/api/task/createinfo', taskJson());

    expect(reply.status).toBe(400);
    expect(reply.text).toBe('{"error_code":1}');
  });

  test('failed access check is not forwarded', async () => {
    backend = await startMockBackend(() => ({ status: 200, body: DEALER_REPLY }));
    running = await startRelay({ upstreamUrl: backend.url, ingestToken: 'ingest-secret' });

    const reply = await postRaw(running.url, '/api/task/updateinfo', taskJson());

    expect(reply.status).toBe(401);
    expect(reply.body?.code).toBe('RS_ERR_INGEST_TOKEN_MISSING');
    expect(backend.received).toHaveLength(0);
  });
});

describe('upstream failures', () => {
  test('slow backend answers 504', async () => {
    backend = await startMockBackend(() => 'hang');
    running = await startRelay({ upstreamUrl: backend.url, upstreamTimeoutMs: 200 });

    const reply = await postRaw(running.url, '/api/task/updateinfo', taskJson());

    expect(reply.status).toBe(504);
    expect(reply.body?.error_code).toBe(1);
    expect(reply.body?.code).toBe('RS_ERR_UPSTREAM_TIMEOUT');
    expect(reply.body?.error_msg).toContain('RELAY_UPSTREAM_URL');
    expect(await upstreamOutcome('timeout')).toBe(1);
    const logged = running.logs.find((line) => line.msg === 'forward to the upstream failed');
    expect(logged).toMatchObject({ path: '/api/task/updateinfo', taskId: 67721 });
  });

  test('failing backend answers 502', async () => {
    backend = await startMockBackend(() => ({ status: 500, body: 'boom' }));
    running = await startRelay({ upstreamUrl: backend.url });

    const reply = await postRaw(running.url, '/api/task/updateinfo', taskJson());

    expect(reply.status).toBe(502);
    expect(reply.body?.error_code).toBe(1);
    expect(reply.body?.code).toBe('RS_ERR_UPSTREAM_FAILED');
    expect(reply.body?.error_msg).toContain('HTTP 500');
    expect(await upstreamOutcome('backend_error')).toBe(1);
  });

  test('down backend answers 502', async () => {
    running = await startRelay({ upstreamUrl: await closedPortUrl() });

    const reply = await postRaw(running.url, '/api/task/updateinfo', taskJson());

    expect(reply.status).toBe(502);
    expect(reply.body?.error_code).toBe(1);
    expect(reply.body?.error_msg).toContain('RELAY_UPSTREAM_URL');
    expect(reply.body?.error_msg).toContain('ECONNREFUSED');
    expect(await upstreamOutcome('failed')).toBe(1);
    // The relay still applied what it could read.
    expect((await fetch(`${running.url}/api/tasks/${baseTask().ID}`)).status).toBe(200);
  });
});
