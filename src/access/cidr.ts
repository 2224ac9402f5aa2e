/**
 * Address allow-lists from comma-separated CIDRs, IPv4 and IPv6, on Node's BlockList.
 */
import { BlockList, isIP } from 'node:net';

/** A parsed allow-list. */
export interface AddressAllowList {
  allows(address: string): boolean;
}

/**
 * Parses `10.0.0.0/8, 2001:db8::/32, 203.0.113.7`. A bare address counts as a single host.
 *
 * @throws TypeError naming the entry that is not an address or a CIDR
 */
export function parseAllowList(text: string): AddressAllowList {
  const list = new BlockList();

  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    // Split at the first slash only, so a second prefix such as `10.0.0.0/8/16` is rejected.
    const slash = entry.indexOf('/');
    const address = slash === -1 ? entry : entry.slice(0, slash);
    const prefixText = slash === -1 ? undefined : entry.slice(slash + 1);
    const family = isIP(address);
    if (family === 0)
      throw new TypeError(
        `invalid CIDR ${JSON.stringify(entry)}: expected an IPv4 or IPv6 address, optionally with /prefix`,
      );

    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefixText === undefined) {
      list.addAddress(address, type);
      continue;
    }

    const prefix = Number(prefixText);
    const maxPrefix = family === 4 ? 32 : 128;
    if (!/^\d+$/.test(prefixText) || prefix > maxPrefix) {
      throw new TypeError(
        `invalid CIDR ${JSON.stringify(entry)}: expected a prefix from 0 to ${maxPrefix}`,
      );
    }
    list.addSubnet(address, prefix, type);
  }

  return { allows: (address) => matches(list, address) };
}

function matches(list: BlockList, address: string): boolean {
  // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined) return list.check(mapped, 'ipv4') || list.check(address, 'ipv6');

  const family = isIP(address);
  if (family === 0) return false;
  return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
