/** Postback domain whitelist entries: host names, each allowing its subdomains too. */

const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** A domain as the server keeps it: trimmed, lower case, without a trailing dot. */
export function normalizeDomain(value: string): string {
  return value.trim().toLowerCase().replace(/\.+$/, "");
}

/** Whether the server takes `value` as a domain name (after normalizing it); "example.com", not a URL or an address. */
export function isDomainName(value: string): boolean {
  return DOMAIN_NAME.test(normalizeDomain(value));
}
