import net from "node:net";

/**
 * Who a per-client limit counts (rate limits, log throttles): an IPv4 address, or an IPv6
 * client's /64 (a host is handed a whole /64 and would start afresh with every address in it).
 * No address (a request that did not come through the product's server) is one client.
 */
export function clientKey(address: string | null): string {
  if (!address) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (net.isIP(address) !== 6) return address;
  const [head = "", tail] = address.toLowerCase().split("%")[0]!.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  // A dotted IPv4 tail stands for two groups.
  const count = (groups: string[]) => groups.reduce((n, g) => n + (g.includes(".") ? 2 : 1), 0);
  const groups = [...headGroups, ...Array<string>(Math.max(0, 8 - count(headGroups) - count(tailGroups))).fill("0"), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}
