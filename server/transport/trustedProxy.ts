/**
 * Who the learner is when the app sits behind a proxy (an ingress, a school's reverse proxy).
 * The socket's peer is then the proxy, and every learner would share its one address. Only a
 * peer the operator listed in TRUST_PROXY may say who it forwards for (X-Forwarded-For, or the
 * standard Forwarded header): anyone else could write any address there. The forwarded hops are
 * read from the right, skipping those that are trusted proxies themselves; the first untrusted
 * one is the learner, because each proxy appends what it saw and only trusted ones are honest.
 */
import ipaddr from "ipaddr.js";

/** The proxies whose forwarding headers are believed; empty: none (the headers are ignored). */
export type TrustedProxies = {
  readonly ranges: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
  /** As the operator wrote it, for the start line. */
  readonly text: string;
};

export const NO_TRUSTED_PROXIES: TrustedProxies = { ranges: [], text: "" };

/** A bad entry throws an Error naming it, so the start stops instead of trusting too much. */
export function parseTrustedProxies(raw: string | undefined): TrustedProxies {
  const entries = (raw ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const ranges = entries.map((entry): [ipaddr.IPv4 | ipaddr.IPv6, number] => {
    if (entry.includes("/")) {
      try {
        return ipaddr.parseCIDR(entry);
      } catch {
        throw new Error(`"${entry}" is not an address or CIDR range`);
      }
    }
    if (!ipaddr.isValid(entry)) throw new Error(`"${entry}" is not an address or CIDR range`);
    const address = ipaddr.parse(entry);
    return [address, address.kind() === "ipv4" ? 32 : 128];
  });
  return { ranges, text: entries.join(",") };
}

export function isTrustedProxy(address: string | undefined, trusted: TrustedProxies): boolean {
  if (trusted.ranges.length === 0) return false;
  const parsed = parseAddress(address);
  if (!parsed) return false;
  return trusted.ranges.some(([range, bits]) => {
    if (parsed.kind() !== range.kind()) return false;
    return parsed.match(range, bits);
  });
}

/**
 * The learner's address: the peer itself unless it is a trusted proxy; then the rightmost
 * forwarded hop that is not a trusted proxy. A hop that is not an address ("unknown", an
 * obfuscated name) stops the walk at the last address known, the proxy that wrote it.
 */
export function learnerAddress(
  peer: string | undefined,
  headers: { forwarded?: string | string[]; "x-forwarded-for"?: string | string[] },
  trusted: TrustedProxies,
): string | undefined {
  if (!isTrustedProxy(peer, trusted)) return peer;
  const hops = forwardedHops(headers);
  let learner = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseAddress(hops[i]);
    if (!hop) return learner;
    learner = hop.toString();
    if (!isTrustedProxy(learner, trusted)) return learner;
  }
  return learner;
}

/** The `for=` of each Forwarded element when that header is there, else X-Forwarded-For's list. */
function forwardedHops(headers: {
  forwarded?: string | string[];
  "x-forwarded-for"?: string | string[];
}): string[] {
  const forwarded = joined(headers.forwarded);
  if (forwarded) {
    return forwarded.split(",").flatMap((element) => {
      const pair = element
        .split(";")
        .map((p) => p.trim())
        .find((p) => p.toLowerCase().startsWith("for="));
      return pair === undefined ? [] : [forwardedNode(pair.slice(4))];
    });
  }
  return joined(headers["x-forwarded-for"])
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
}

/** RFC 7239 node: `"[2001:db8::1]:4711"`, `192.0.2.43:80`, `_hidden`, `unknown`. */
function forwardedNode(value: string): string {
  const unquoted = value.trim().replace(/^"(.*)"$/, "$1");
  const bracketed = /^\[([^\]]+)\]/.exec(unquoted);
  if (bracketed?.[1]) return bracketed[1];
  return unquoted.replace(/:\d+$/, "");
}

function joined(header: string | string[] | undefined): string {
  return Array.isArray(header) ? header.join(",") : (header ?? "");
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.5) is the IPv4 address it carries. */
function parseAddress(text: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!text || !ipaddr.isValid(text)) return undefined;
  return ipaddr.process(text);
}
