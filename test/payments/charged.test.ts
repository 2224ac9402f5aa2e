import { afterEach, describe, expect, test } from 'vitest';
import { baseTask, postCallback, type RunningRelay, startRelay } from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';
import { eventsBeforeFence, postRaw, readMetric } from '../ingest/support.js';
import { type MockBackend, startMockBackend } from '../upstream/mock-backend.js';

let running: RunningRelay;
let backend: MockBackend | undefined;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await running?.close();
  await backend?.close();
  backend = undefined;
});

/** Returns a payment in the platform's published style: lower-case keys and a trailing comma. */
function paymentBody(fields: Record<string, unknown> = {}): string {
  const values: Record<string, unknown> = {
    id: 9001,
    owner: 1601,
    ownername: 'u1',
    agencyuserid: 3,
    createtime: 1574318124,
    rendertaskid: 67721,
    framecount: 2,
    frameindex: null,
    status: 2,
    rendertimethread: 10512,
    gross: 38,
    renderoutputfiles: [],
    type: 0,
    deleted: 0,
    framecompleted: 2,
    lightjobgross: 2,
    lightjobrendertimethread: 480,
    lightjobstatus: 2,
    camera: 'Camera01',
    action: 2,
    ...fields,
  };
  const lines = Object.entries(values).map(([key, value]) => `"${key}": ${JSON.stringify(value)},`);
  return `{${lines.join('\n')}}`;
}

const PRICE_REPLY = '{"price":45,"balance":"955"}';

async function startWithDealer(): Promise<MockBackend> {
  const dealer = await startMockBackend((request) =>
    request.url.endsWith('/paymentinfo')
      ? { status: 200, body: PRICE_REPLY }
      : { status: 200, body: '{"error_code":0,"error_msg":"成功"}' },
  );
  running = await startRelay({ upstreamUrl: dealer.url });
  return dealer;
}

describe('payment callbacks', () => {
  test('platform receives dealer price reply', async () => {
    backend = await startWithDealer();
    await postCallback(running.url, 'createinfo', baseTask());
    const client = await TestClient.connect(running.wsUrl);
    clients.push(client);
    await client.subscribe({ id: 's1', agencies: [3] });

    const reply = await postRaw(running.url, '/api/task/paymentinfo', paymentBody());

    expect(reply.status).toBe(200);
    expect(reply.text).toBe(PRICE_REPLY);
    expect(reply.body).toEqual({ price: 45, balance: '955' });
    const event = await client.next((frame) => frame.type === 'task.charged');
    expect(event.task).toMatchObject({ id: 67721, name: 'box', owner: 1601, agencyUserId: 3 });
    expect(event.charge).toEqual({
      renderTaskId: 67721,
      frameIndex: null,
      gross: 38,
      lightJobGross: 2,
      deleted: false,
    });
  });

  test('resent payment is a duplicate', async () => {
    backend = await startWithDealer();
    const client = await TestClient.connect(running.wsUrl);
    clients.push(client);
    await client.subscribe({ id: 's1' });

    const body = paymentBody({ frameindex: 3, gross: 1, deleted: 1, owner: 1700, agencyuserid: 9 });
    expect((await postRaw(running.url, '/api/task/paymentinfo', body)).text).toBe(PRICE_REPLY);
    expect((await postRaw(running.url, '/api/task/paymentinfo', body)).text).toBe(PRICE_REPLY);

    const charged = (await eventsBeforeFence(running, client)).filter(
      (frame) => frame.type === 'task.charged',
    );
    expect(charged).toHaveLength(1);
    expect(charged[0]?.task).toMatchObject({ id: 67721, owner: 1700, agencyUserId: 9 });
    expect(charged[0]?.charge).toMatchObject({ frameIndex: 3, deleted: true });
    expect(backend.received).toHaveLength(3);
  });

  test('without upstream answers 501', async () => {
    running = await startRelay();

    const reply = await postRaw(running.url, '/api/task/paymentinfo', paymentBody());

    expect(reply.status).toBe(501);
    expect(reply.body?.error_code).toBe(1);
    expect(reply.body?.code).toBe('RS_ERR_UPSTREAM_MISSING');
    expect(reply.body?.error_msg).toContain('RELAY_UPSTREAM_URL');
    expect(
      await readMetric(running.url, 'relay_events_published_total', { type: 'task.charged' }),
    ).toBe(0);
  });
});
