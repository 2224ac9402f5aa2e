/**
 * Address allow-lists: IPv4 and IPv6 CIDRs, bare addresses, IPv4-mapped IPv6 peers and the
 * entries the parser must reject.
 */
import { describe, expect, it } from 'vitest';
import { parseAllowList } from '../../src/access/cidr.js';

describe('parseAllowList', () => {
  it('matches an IPv4 CIDR', () => {
    const list = parseAllowList('10.0.0.0/8');

    expect(list.allows('10.0.0.1')).toBe(true);
    expect(list.allows('10.255.255.255')).toBe(true);
    expect(list.allows('11.0.0.1')).toBe(false);
    expect(list.allows('9.255.255.255')).toBe(false);
  });

  it('matches an IPv6 CIDR', () => {
    const list = parseAllowList('2001:db8::/32');

    expect(list.allows('2001:db8::1')).toBe(true);
    expect(list.allows('2001:db8:ffff::1')).toBe(true);
    expect(list.allows('2001:db9::1')).toBe(false);
  });

  it('treats a bare address as one host', () => {
    const list = parseAllowList('203.0.113.7, ::1');

    expect(list.allows('203.0.113.7')).toBe(true);
    expect(list.allows('203.0.113.8')).toBe(false);
    expect(list.allows('::1')).toBe(true);
    expect(list.allows('::2')).toBe(false);
  });

  it('matches IPv4-mapped IPv6 peers', () => {
    const list = parseAllowList('127.0.0.0/8');

    expect(list.allows('::ffff:127.0.0.1')).toBe(true);
    expect(list.allows('::FFFF:127.1.2.3')).toBe(true);
    expect(list.allows('::ffff:10.0.0.1')).toBe(false);
  });

  it('matches hex-form mapped peers', () => {
    const list = parseAllowList('127.0.0.0/8');

    expect(list.allows('::ffff:7f00:1')).toBe(true);
  });

  it('keeps IPv4 and IPv6 rules apart', () => {
    const list = parseAllowList('10.0.0.0/8');

    expect(list.allows('::1')).toBe(false);
    expect(list.allows('2001:db8::1')).toBe(false);
  });

  it('accepts /0 and /32 prefixes', () => {
    const all = parseAllowList('0.0.0.0/0');
    const one = parseAllowList('192.0.2.1/32');

    expect(all.allows('198.51.100.9')).toBe(true);
    expect(one.allows('192.0.2.1')).toBe(true);
    expect(one.allows('192.0.2.2')).toBe(false);
  });

  it('ignores blanks between entries', () => {
    const list = parseAllowList(' 10.0.0.0/8 ,, 192.0.2.1 ,');

    expect(list.allows('10.1.1.1')).toBe(true);
    expect(list.allows('192.0.2.1')).toBe(true);
  });

  it('rejects what is not an address', () => {
    const list = parseAllowList('0.0.0.0/0');

    expect(list.allows('unknown')).toBe(false);
    expect(list.allows('')).toBe(false);
    expect(list.allows('10.0.0.1, 10.0.0.2')).toBe(false);
  });

  it.each([
    'nope',
    '10.0.0.0/33',
    '2001:db8::/129',
    '10.0.0.0/-1',
    '10.0.0.0/',
    '10.0.0.0/8x',
    '10.0.0.0/ 8',
    '300.0.0.1',
    '10.0.0',
    'example.com/8',
  ])('throws on %j', (entry) => {
    expect(() => parseAllowList(entry)).toThrow(TypeError);
  });

  it('names the invalid entry', () => {
    expect(() => parseAllowList('10.0.0.0/8, 10.0.0.0/33')).toThrow('"10.0.0.0/33"');
  });

  it('throws on a second prefix', () => {
    expect(() => parseAllowList('10.0.0.0/8/16')).toThrow(TypeError);
  });
});
