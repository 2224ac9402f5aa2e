import { afterEach, describe, expect, it } from 'vitest';
import {
  baseTask,
  DOCUMENTED_EXAMPLE,
  postCallback,
  type RunningRelay,
  startRelay,
} from '../helpers/relay.js';

const OK = { error_code: 0, error_msg: '成功' };

/** The four required fields as raw JSON text, for bodies that JSON.stringify cannot write. */
const REQUIRED = '"Owner":1601,"AgencyUserID":3,"Status":1';

/** Array nesting that JSON.parse reads but a recursive JSON.stringify cannot write back. */
const DEEP_NESTING = 100_000;

describe('callback field reading', () => {
  let running: RunningRelay | undefined;

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it.each([
    ['ID as a number', `{"ID":9007199254740993,${REQUIRED}}`, 'ID', '9007199254740993'],
    ['ID as a string', `{"ID":"9007199254740993",${REQUIRED}}`, 'ID', '9007199254740993'],
    ['ID of 2^53', `{"ID":9007199254740992,${REQUIRED}}`, 'ID', '9007199254740992'],
    [
      'Owner as a number',
      '{"ID":67721,"Owner":15793596808644609,"AgencyUserID":3,"Status":1}',
      'Owner',
      '15793596808644609',
    ],
    [
      'a negative Owner',
      '{"ID":67721,"Owner":-9007199254740993,"AgencyUserID":3,"Status":1}',
      'Owner',
      '-9007199254740993',
    ],
    [
      'a file size',
      `{"ID":67721,${REQUIRED},"RenderOutputFiles":[{"name":"a","size":12345678901234567}]}`,
      'RenderOutputFiles[0].size',
      '12345678901234567',
    ],
  ])('rejects an unsafe integer: %s', async (_case, body, field, value) => {
    running = await startRelay();

    const reply = await postCallback(running.url, 'updateinfo', body);

    expect(reply.status).toBe(400);
    expect(reply.body.error_code).toBe(1);
    expect(reply.body.code).toBe('RS_ERR_FIELD_UNSAFE_INTEGER');
    expect(reply.body.error_msg).toContain(`field ${field} value ${value} `);
    expect(reply.body.error_msg).toContain(`字段 ${field} 的值 ${value} `);
    expect(running.relay.store.cache.size).toBe(0);
  });

  it('keeps the largest safe ID exactly', async () => {
    running = await startRelay();

    const reply = await postCallback(
      running.url,
      'updateinfo',
      `{"ID":9007199254740991,${REQUIRED}}`,
    );

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(9_007_199_254_740_991)?.task.id).toBe(
      9_007_199_254_740_991,
    );
    const response = await fetch(`${running.url}/api/tasks/9007199254740991`);
    expect(await response.text()).toContain('"id":9007199254740991,');
  });

  it('reads the documented example', async () => {
    running = await startRelay();

    const reply = await postCallback(running.url, 'updateinfo', DOCUMENTED_EXAMPLE);

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(OK);
    const task = running.relay.store.cache.get(67721)?.task;
    expect(task?.renderOutputFiles).toHaveLength(3);
    expect(task?.renderOutputFiles[0]?.isdir).toBe(false);
    expect(task?.lightJobRenderTimeThread).toBe(480);
    expect(task?.completedTime).toBe(1574318325);
  });

  it('leaves string contents unrewritten', async () => {
    running = await startRelay();

    const reply = await postCallback(
      running.url,
      'updateinfo',
      '{"ID":1,"Owner":1,"AgencyUserID":1,"Status":1,"Name":"False,}",}',
    );

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(1)?.task.name).toBe('False,}');
  });

  it('reads None as an absent value', async () => {
    running = await startRelay();

    const reply = await postCallback(
      running.url,
      'updateinfo',
      `{"ID":67721,${REQUIRED},"Action":None,"Camera":None,}`,
    );

    expect(reply.status).toBe(200);
    const task = running.relay.store.cache.get(67721)?.task;
    expect(task?.action).toBeNull();
    expect(task?.camera).toBe('');
  });

  it('reads numbers sent as strings', async () => {
    running = await startRelay();

    const reply = await postCallback(
      running.url,
      'updateinfo',
      baseTask({ ID: '67721', Status: '2', FrameCount: ' 10 ' }),
    );

    expect(reply.status).toBe(200);
    const task = running.relay.store.cache.get(67721)?.task;
    expect(task?.id).toBe(67721);
    expect(task?.status).toBe(2);
    expect(task?.frameCount).toBe(10);
  });

  it.each([
    ['0', false],
    ['1', true],
    ['"true"', true],
    ['"false"', false],
    ['true', true],
    ['false', false],
    ['True', true],
    ['False', false],
  ])('reads isdir %s', async (raw, expected) => {
    running = await startRelay();
    const body = `{"ID":67721,${REQUIRED},"RenderOutputFiles":[{"name":"d","isdir":${raw}}]}`;

    const reply = await postCallback(running.url, 'updateinfo', body);

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(67721)?.task.renderOutputFiles[0]?.isdir).toBe(expected);
  });

  it.each([
    ['Status "abc"', baseTask({ Status: 'abc' }), 'RS_ERR_FIELD_INVALID', 'Status'],
    ['Status 1.5', baseTask({ Status: 1.5 }), 'RS_ERR_FIELD_INVALID', 'Status'],
    ['Name as an object', baseTask({ Name: { a: 1 } }), 'RS_ERR_FIELD_INVALID', 'Name'],
    ['no Owner', baseTask({ Owner: undefined }), 'RS_ERR_FIELD_MISSING', 'Owner'],
    ['Owner null', baseTask({ Owner: null }), 'RS_ERR_FIELD_MISSING', 'Owner'],
    ['no ID', baseTask({ ID: undefined }), 'RS_ERR_FIELD_MISSING', 'ID'],
    [
      'file size "x"',
      baseTask({ RenderOutputFiles: [{ name: 'a', size: 'x' }] }),
      'RS_ERR_FIELD_INVALID',
      'RenderOutputFiles[0].size',
    ],
    [
      'third file isdir "yes"',
      baseTask({ RenderOutputFiles: [{}, {}, { isdir: 'yes' }] }),
      'RS_ERR_FIELD_INVALID',
      'RenderOutputFiles[2].isdir',
    ],
    [
      'files as a string',
      baseTask({ RenderOutputFiles: 'a.tga' }),
      'RS_ERR_FIELD_INVALID',
      'RenderOutputFiles',
    ],
    [
      'a file as a number',
      baseTask({ RenderOutputFiles: [{ name: 'a' }, 7] }),
      'RS_ERR_FIELD_INVALID',
      'RenderOutputFiles[1]',
    ],
    [
      'a 5000-character Name',
      baseTask({ Name: 'n'.repeat(5000) }),
      'RS_ERR_FIELD_TOO_LONG',
      'Name',
    ],
  ])('rejects %s naming the field', async (_case, body, code, field) => {
    running = await startRelay();

    const reply = await postCallback(running.url, 'updateinfo', body);

    expect(reply.status).toBe(400);
    expect(reply.body.error_code).toBe(1);
    expect(reply.body.code).toBe(code);
    expect(reply.body.error_msg).toContain(`字段 ${field} `);
    expect(reply.body.error_msg).toMatch(new RegExp(`field ${escapeRegExp(field)}[ :)]`));
    expect(running.relay.store.cache.size).toBe(0);
  });

  it.each([
    ['an array', '[{"ID":1}]', 'RS_ERR_BODY_NOT_OBJECT'],
    ['a number', '67721', 'RS_ERR_BODY_NOT_OBJECT'],
    ['null', 'null', 'RS_ERR_BODY_NOT_OBJECT'],
    ['cut-off JSON', '{"ID":1,', 'RS_ERR_BODY_INVALID_JSON'],
    ['garbage', '{"ID":1, garbage', 'RS_ERR_BODY_INVALID_JSON'],
    ['form data', 'ID=1&Owner=2', 'RS_ERR_BODY_INVALID_JSON'],
  ])('rejects a body of %s', async (_case, body, code) => {
    running = await startRelay();

    const reply = await postCallback(running.url, 'updateinfo', body);

    expect(reply.status).toBe(400);
    expect(reply.body.error_code).toBe(1);
    expect(reply.body.code).toBe(code);
  });

  it('drops a deeply nested unknown key', async () => {
    running = await startRelay();
    const deep = `${'['.repeat(DEEP_NESTING)}${']'.repeat(DEEP_NESTING)}`;

    const reply = await postCallback(
      running.url,
      'updateinfo',
      `{"ID":67721,${REQUIRED},"Nested":${deep}}`,
    );

    expect(reply.status).toBe(200);
    expect(running.relay.store.cache.get(67721)?.task.extra).toEqual({});
  });

  it.each([
    ['Status', (deep: string) => `{"ID":67721,"Owner":1601,"AgencyUserID":3,"Status":${deep}}`],
    [
      'RenderOutputFiles[0].name',
      (deep: string) => `{"ID":67721,${REQUIRED},"RenderOutputFiles":[{"name":${deep}}]}`,
    ],
  ])('rejects deep nesting in %s', async (field, build) => {
    running = await startRelay();
    const deep = `${'['.repeat(DEEP_NESTING)}${']'.repeat(DEEP_NESTING)}`;

    const reply = await postCallback(running.url, 'updateinfo', build(deep));

    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('RS_ERR_FIELD_INVALID');
    expect(reply.body.error_msg).toContain(`invalid field ${field}:`);
    expect(reply.body.error_msg).toContain('received a deeply nested array');
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
