import { afterEach, describe, expect, it } from 'vitest';
import { postCallback } from '../../src/simulate/post-callback.js';
import {
  FAILURE_REPLY,
  type RecordingServer,
  type ReplyPlan,
  startRecordingServer,
} from './recording-server.js';

const servers: RecordingServer[] = [];

async function serve(plan?: ReplyPlan): Promise<RecordingServer> {
  const server = await startRecordingServer(plan);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('post-callback', () => {
  it('succeeds on error_code 0', async () => {
    const server = await serve();
    const outcome = await postCallback(`${server.url}/api/task/updateinfo`, '{"id":1}', 5000);

    expect(outcome).toEqual({ ok: true, httpStatus: 200 });
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/task/updateinfo',
      contentType: 'application/json',
      raw: '{"id":1}',
    });
  });

  it('fails on HTTP 500', async () => {
    const server = await serve(() => FAILURE_REPLY);
    const outcome = await postCallback(`${server.url}/api/task/updateinfo`, '{}', 5000);

    expect(outcome).toEqual({
      ok: false,
      httpStatus: 500,
      reason: 'HTTP 500, error_code 1, error_msg "失败"',
      aborted: false,
    });
  });

  it('fails on error_code 1 with 200', async () => {
    const server = await serve(() => ({ status: 200, body: '{"error_code":1,"error_msg":"x"}' }));
    const outcome = await postCallback(`${server.url}/api/task/updateinfo`, '{}', 5000);

    expect(outcome.ok).toBe(false);
  });

  it('fails on a reply that is not JSON', async () => {
    const server = await serve(() => ({ status: 200, body: 'OK' }));
    const outcome = await postCallback(`${server.url}/api/task/updateinfo`, '{}', 5000);

    expect(outcome).toEqual({
      ok: false,
      httpStatus: 200,
      reason: 'HTTP 200, reply is not the expected JSON: OK',
      aborted: false,
    });
  });

  it('reports a refused connection', async () => {
    const server = await startRecordingServer();
    const url = server.url;
    await server.close();
    const outcome = await postCallback(`${url}/api/task/updateinfo`, '{}', 5000);

    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.reason).toMatch(
      /^request failed: fetch failed: .*ECONNREFUSED/,
    );
  });

  it('times out an unanswered request', async () => {
    const server = await serve(() => undefined);
    const outcome = await postCallback(`${server.url}/api/task/updateinfo`, '{}', 100);

    expect(outcome).toEqual({ ok: false, reason: 'timed out after 100 ms', aborted: false });
  });

  it('reports abort by the signal', async () => {
    const server = await serve(() => undefined);
    const controller = new AbortController();
    const pending = postCallback(
      `${server.url}/api/task/updateinfo`,
      '{}',
      60_000,
      controller.signal,
    );
    await server.waitForRequests(1);
    controller.abort();

    expect(await pending).toEqual({ ok: false, reason: 'aborted', aborted: true });
  });
});
