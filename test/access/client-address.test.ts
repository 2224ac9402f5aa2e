/**
 * The client address behind the access checks, read through a small Hono app: the socket's
 * peer, or the last X-Forwarded-For entry when the operator's proxy is trusted.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/access/client-address.js';
import type { RelayEnv } from '../../src/http/env.js';

/** Returns the address the relay would use for a request with these headers and this peer. */
async function addressOf(
  trustProxy: boolean,
  headers: Record<string, string>,
  remoteAddress?: string,
): Promise<string> {
  const app = new Hono<RelayEnv>();
  app.get('/', (c) => c.text(clientAddress(c, trustProxy)));

  // Only the socket's peer address is read from Node's bindings.
  const bindings =
    remoteAddress === undefined ? undefined : { incoming: { socket: { remoteAddress } } };
  const response = await app.request(
    '/',
    { headers },
    bindings as RelayEnv['Bindings'] | undefined,
  );
  return response.text();
}

describe('clientAddress', () => {
  it('returns the socket peer', async () => {
    expect(await addressOf(false, {}, '192.0.2.10')).toBe('192.0.2.10');
  });

  it('ignores X-Forwarded-For by default', async () => {
    const address = await addressOf(false, { 'X-Forwarded-For': '10.1.2.3' }, '192.0.2.10');

    expect(address).toBe('192.0.2.10');
  });

  it('reads X-Forwarded-For behind a proxy', async () => {
    const address = await addressOf(true, { 'X-Forwarded-For': '10.1.2.3' }, '192.0.2.10');

    expect(address).toBe('10.1.2.3');
  });

  it('takes the last forwarded entry', async () => {
    const headers = { 'X-Forwarded-For': '198.51.100.1, 10.1.2.3 ,  10.9.9.9 ' };

    expect(await addressOf(true, headers, '192.0.2.10')).toBe('10.9.9.9');
  });

  it('falls back on an empty header', async () => {
    const address = await addressOf(true, { 'X-Forwarded-For': ' , ' }, '192.0.2.10');

    expect(address).toBe('192.0.2.10');
  });

  it('returns unknown without a socket', async () => {
    expect(await addressOf(false, {})).toBe('unknown');
  });
});
