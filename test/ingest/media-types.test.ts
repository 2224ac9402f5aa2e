import { afterEach, describe, expect, it } from 'vitest';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { postRaw, taskJson } from './support.js';

const OK = { error_code: 0, error_msg: '成功' };
const ROUTE = '/api/task/updateinfo';

describe('callback media types', () => {
  let running: RunningRelay | undefined;

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it.each([
    'application/json; charset=UTF-8',
    'Application/JSON',
    'application/json; charset="utf-8"',
  ])('accepts JSON labelled %s', async (contentType) => {
    running = await startRelay();

    const reply = await postCallback(running.url, 'updateinfo', baseTask(), {
      headers: { 'Content-Type': contentType },
    });

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(OK);
    expect(running.relay.store.cache.get(67721)?.task.name).toBe('box');
  });

  it.each(['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded'])(
    'reads JSON labelled %s',
    async (contentType) => {
      running = await startRelay();

      const reply = await postRaw(running.url, ROUTE, taskJson(), { 'Content-Type': contentType });

      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(OK);
      expect(running.relay.store.cache.get(67721)).toBeDefined();
    },
  );

  it('reads JSON without Content-Type', async () => {
    running = await startRelay();

    const reply = await postRaw(running.url, ROUTE, Buffer.from(taskJson()));

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(OK);
    expect(running.relay.store.cache.get(67721)).toBeDefined();
  });

  it('reads JSON from fetch without Content-Type', async () => {
    running = await startRelay();
    const headers = new Headers({ 'Content-Type': 'application/json' });
    headers.delete('Content-Type');

    // A Uint8Array body makes fetch send no Content-Type of its own.
    const response = await fetch(`${running.url}${ROUTE}`, {
      method: 'POST',
      headers,
      body: new Uint8Array(Buffer.from(taskJson())),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(OK);
  });

  it('reads a non-UTF-8 charset', async () => {
    running = await startRelay();
    const body = Buffer.from(taskJson({ Name: 'caf\u00e9' }), 'latin1');

    const reply = await postRaw(running.url, ROUTE, body, {
      'Content-Type': 'application/json; charset=ISO-8859-1',
    });

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(67721)?.task.name).toBe('caf\u00e9');
  });

  it('rejects an unknown charset', async () => {
    running = await startRelay();

    const reply = await postRaw(running.url, ROUTE, taskJson(), {
      'Content-Type': 'application/json; charset=x-no-such-charset',
    });

    expect(reply.status).toBe(415);
    expect(reply.body?.code).toBe('RS_ERR_BODY_CHARSET_UNSUPPORTED');
  });

  it('drops a leading byte order mark', async () => {
    running = await startRelay();
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(taskJson())]);

    const reply = await postRaw(running.url, ROUTE, body, { 'Content-Type': 'application/json' });

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(OK);
  });

  it('rejects an empty body naming ID', async () => {
    running = await startRelay();

    const reply = await postRaw(running.url, ROUTE, '', { 'Content-Type': 'application/json' });

    expect(reply.status).toBe(400);
    expect(reply.body?.error_code).toBe(1);
    expect(reply.body?.code).toBe('RS_ERR_BODY_EMPTY');
    expect(reply.body?.error_msg).toContain('ID');
  });

  it('rejects a whitespace-only body', async () => {
    running = await startRelay();

    const reply = await postRaw(running.url, ROUTE, ' \r\n\t ', {});

    expect(reply.status).toBe(400);
    expect(reply.body?.code).toBe('RS_ERR_BODY_EMPTY');
  });

  it('writes Chinese first, English in brackets', async () => {
    running = await startRelay();

    const reply = await postRaw(running.url, ROUTE, '', {});

    expect(reply.body?.error_msg).toMatch(/^失败: .+ \(.+\)$/);
    expect(reply.body?.error_msg).toContain('(empty body, missing field ID');
  });
});
