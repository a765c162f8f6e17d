import ipaddr from "ipaddr.js";

/**
 * How many of something (connections, labs, VMs) each remote address holds, against a cap per
 * address: one client cannot take a classroom's share. `take` answers whether one more fits and
 * counts it; `give` returns it. Addresses are counted as the socket reports them, so an IPv4
 * client reached over an IPv6 socket ("::ffff:10.0.0.5") and over IPv4 ("10.0.0.5") are one.
 */
export class AddressQuota {
  private readonly held = new Map<string, number>();

  constructor(readonly perAddress: number) {}

  take(address: string): boolean {
    const key = addressKey(address);
    const count = this.held.get(key) ?? 0;
    if (count >= this.perAddress) return false;
    this.held.set(key, count + 1);
    return true;
  }

  give(address: string): void {
    const key = addressKey(address);
    const count = this.held.get(key) ?? 0;
    if (count <= 1) this.held.delete(key);
    else this.held.set(key, count - 1);
  }

  count(address: string): number {
    return this.held.get(addressKey(address)) ?? 0;
  }

  /** Addresses holding anything: the map never keeps an entry at zero. */
  get addresses(): number {
    return this.held.size;
  }
}

/**
 * The socket's remote address as one key: IPv4-mapped IPv6 folded to IPv4, unknown as "?", and
 * other IPv6 addresses by their /64, the block one subscriber is given (RFC 6177): an address of
 * its own per tab is free to a client that has one.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return "?";
  if (address.startsWith("::ffff:") && address.includes(".")) return address.slice(7);
  return address.includes(":") ? ipv6Prefix64(address) : address;
}

/**
 * An IPv6 address's /64 (a zone index, "%eth0", dropped): one home or classroom gets a whole /64
 * and a device picks any address in it (privacy extensions rotate them), so counting single IPv6
 * addresses would give one learner many shares.
 */
function ipv6Prefix64(address: string): string {
  const plain = address.split("%")[0]!;
  if (!ipaddr.IPv6.isValid(plain)) return plain;
  return `${ipaddr.IPv6.parse(plain)
    .parts.slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}
