import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { type RunningRelay, startRelay } from '../helpers/relay.js';
import { isHeartbeat, TestClient } from '../helpers/ws-client.js';
import { closeOf, closeSocket, openSocket, readMetric, waitFor, within } from './support.js';

const INTERVAL_MS = 200;

describe('heartbeat', () => {
  let running: RunningRelay | undefined;
  let silent: WebSocket | undefined;
  let healthy: TestClient | undefined;

  afterEach(async () => {
    await closeSocket(silent);
    await healthy?.close();
    await running?.close();
    silent = undefined;
    healthy = undefined;
    running = undefined;
  });

  it('terminates a peer that never pongs', async () => {
    running = await startRelay({ heartbeatIntervalMs: INTERVAL_MS });
    silent = await openSocket(running.wsUrl, { autoPong: false });
    const closed = closeOf(silent);

    await within(once(silent, 'ping'), 'the first ping', 3 * INTERVAL_MS);
    const { code } = await within(closed, 'the relay to drop the peer', 2 * INTERVAL_MS);

    // Termination sends no close frame, so the client sees an abnormal closure.
    expect(code).toBe(1006);
    expect(await readMetric(running.url, 'relay_heartbeat_timeouts_total')).toBe(1);
    await waitFor(() => running?.relay.hub.connections === 0, 'the session to detach');
  });

  it('keeps an idle healthy peer open', async () => {
    running = await startRelay({ heartbeatIntervalMs: INTERVAL_MS });
    healthy = await TestClient.connect(running.wsUrl);

    const beats = [];
    for (let i = 0; i < 3; i += 1) beats.push(await healthy.next(isHeartbeat, 3 * INTERVAL_MS));

    for (const beat of beats) expect(typeof beat.at).toBe('number');
    const times = beats.map((beat) => beat.at as number);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(healthy.socket.readyState).toBe(healthy.socket.OPEN);
    expect(await readMetric(running.url, 'relay_heartbeat_timeouts_total')).toBe(0);
  });

  it('drops only the silent peer per tick', async () => {
    // The default interval of 25 s keeps the timer out of the way, so the test drives each tick.
    running = await startRelay();
    const heartbeat = running.relay.ws.heartbeat;
    silent = await openSocket(running.wsUrl, { autoPong: false });
    healthy = await TestClient.connect(running.wsUrl);
    const silentClosed = closeOf(silent);
    const silentPinged = once(silent, 'ping');
    const healthyPinged = once(healthy.socket, 'ping');

    heartbeat.tick();
    await silentPinged;
    await healthyPinged;
    // The automatic pong went out before this text ping, so the text pong proves the relay read it.
    healthy.send({ type: 'ping' });
    await healthy.next((frame) => frame.type === 'pong');
    heartbeat.tick();

    expect((await silentClosed).code).toBe(1006);
    await healthy.next(isHeartbeat);
    expect(healthy.frames.filter(isHeartbeat)).toHaveLength(2);
    expect(healthy.socket.readyState).toBe(healthy.socket.OPEN);
    await waitFor(() => running?.relay.hub.connections === 1, 'the silent session to detach');
  });
});
