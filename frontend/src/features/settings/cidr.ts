/** Postback IP whitelist entries: IPv4 or IPv6 networks in CIDR notation. */

import { parseWhitelist } from "@/features/settings/whitelist-lines";

function isIPv4(address: string): boolean {
  const parts = address.split(".");
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255 && String(Number(part)) === part);
}

function isIPv6(address: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(address) || address.includes(":::") || address.split("::").length > 2) return false;
  // A lone colon may not open or close the address; only "::" can.
  if ((address.startsWith(":") && !address.startsWith("::")) || (address.endsWith(":") && !address.endsWith("::"))) return false;
  let groups = address.split(":");
  const last = groups[groups.length - 1] ?? "";
  let embeddedV4 = 0;
  if (last.includes(".")) {
    if (!isIPv4(last)) return false;
    groups = groups.slice(0, -1);
    embeddedV4 = 2;
  }
  const compressed = address.includes("::");
  const filled = groups.filter((group) => group !== "");
  if (!filled.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return false;
  const total = filled.length + embeddedV4;
  return compressed ? total < 8 : total === 8;
}

export function isCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.trim().split("/");
  if (!address || prefix === undefined || rest.length > 0 || !/^\d{1,3}$/.test(prefix)) return false;
  const bits = Number(prefix);
  if (isIPv4(address)) return bits <= 32;
  if (isIPv6(address)) return bits <= 128;
  return false;
}

/** Splits the editor's text into entries: one per line, blank lines ignored. */
export function parseCidrLines(text: string): { ips: string[]; invalid: string[] } {
  const { entries, invalid } = parseWhitelist(text, isCidr);
  return { ips: entries, invalid };
}
