import { afterEach, describe, expect, it } from 'vitest';
import {
  DOCUMENTED_EXAMPLE,
  postCallback,
  type RunningRelay,
  startRelay,
} from '../helpers/relay.js';
import { TestClient } from '../helpers/ws-client.js';

describe('first run', () => {
  let running: RunningRelay | undefined;
  let client: TestClient | undefined;

  afterEach(async () => {
    await client?.close();
    await running?.close();
  });

  it('delivers the documented example to an agency subscriber', async () => {
    running = await startRelay();
    client = await TestClient.connect(running.wsUrl);
    const subscribed = await client.subscribe({ id: 's1', agencies: [3] });
    expect(subscribed.type).toBe('subscribed');
    expect(subscribed.recovered).toBe(false);
    expect(subscribed.tasks).toEqual([]);

    const reply = await postCallback(running.url, 'updateinfo', DOCUMENTED_EXAMPLE);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ error_code: 0, error_msg: '成功' });

    const event = await client.next((frame) => frame.type === 'task.created');
    expect(event.seq).toBe(1);
    expect(event.task).toEqual({
      id: 67721,
      name: 'PrimerFrame_Box_modeling',
      owner: 1601,
      ownerName: 'test2',
      agencyUserId: 3,
      status: 2,
      statusName: 'done',
    });
    expect(event.outputFilesAdded).toHaveLength(3);
    expect((event.changes as Record<string, unknown>).lightJobRenderTimeThread).toBe(480);
  });
});
