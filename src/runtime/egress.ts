/**
 * Egress checks (I8): a plugin reaches only hosts its manifest allows, and never private,
 * loopback, link-local or metadata addresses, unless simulator mode is on. Checks run on the
 * parsed URL before any client is built, so clients with their own transport (jsforce) are
 * covered too.
 */
import { isIP } from 'node:net';
import { InvalidConfigurationError } from '../engine/errors.ts';

/**
 * Parses an IPv4 literal in any form `inet_aton` accepts (dotted, decimal `2130706433`, octal
 * `0177.0.0.1`, hex `0x7f.1`), as URL parsers and resolvers do. Node's `isIP` only knows the
 * dotted-decimal form, hence this small hand-written parser. Returns the 32-bit value or null.
 */
export function parseIpv4Literal(host: string): number | null {
  const parts = host.split('.');
  if (parts.length === 0 || parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = Number.parseInt(part.slice(2) || '0', 16);
    else if (/^0[0-7]+$/.test(part)) value = Number.parseInt(part, 8);
    else if (/^(0|[1-9][0-9]*)$/.test(part)) value = Number.parseInt(part, 10);
    else return null;
    values.push(value);
  }
  const last = values.pop() as number;
  if (values.some((v) => v > 255) || last >= 256 ** (4 - values.length)) return null;
  return values.reduce((acc, v, i) => acc + v * 256 ** (3 - i), 0) + last;
}

function isBlockedIpv4(value: number): boolean {
  const a = Math.floor(value / 2 ** 24);
  const b = Math.floor(value / 2 ** 16) % 256;
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) || // link-local, including the metadata service 169.254.169.254
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    a >= 224 // multicast and reserved
  );
}

function isBlockedIpv6(address: string): boolean {
  const lower = address.toLowerCase();
  if (lower === '::' || lower === '::1') return true;
  const mapped = /^::ffff:(.+)$/.exec(lower);
  if (mapped?.[1]) {
    const v4 = parseIpv4Literal(mapped[1]);
    if (v4 !== null) return isBlockedIpv4(v4);
    // ::ffff:7f00:1 form
    const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(mapped[1]);
    if (hex?.[1] && hex[2])
      return isBlockedIpv4(Number.parseInt(hex[1], 16) * 65536 + Number.parseInt(hex[2], 16));
  }
  return (
    /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower) || lower.startsWith('ff') || lower.startsWith('fd00:ec2')
  );
}

/** True for hosts that are private, loopback, link-local, metadata or otherwise internal. */
export function isInternalHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal')) return true;
  if (isIP(host) === 6) return isBlockedIpv6(host);
  const v4 = parseIpv4Literal(host);
  if (v4 !== null) return isBlockedIpv4(v4);
  return false;
}

/** True for loopback hosts, the only internal hosts simulator mode opens. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  const v4 = parseIpv4Literal(host);
  return v4 !== null && Math.floor(v4 / 2 ** 24) === 127;
}

/** A host rule: an exact host name, or `*.suffix` for any subdomain of suffix. */
export function hostMatches(host: string, rule: string): boolean {
  const h = host.toLowerCase();
  const r = rule.toLowerCase();
  if (r.startsWith('*.')) return h.endsWith(r.slice(1)) && h.length > r.length - 1;
  return h === r;
}

/**
 * Checks a partner URL before any request: https on an allowed host, or (simulator mode only)
 * http(s) on loopback.
 *
 * @param field - names the secret field holding the URL, for the error.
 * @throws {InvalidConfigurationError} naming the field and what is accepted.
 */
export function assertEgressAllowed(
  rawUrl: string,
  options: { field: string; allowedHosts: readonly string[]; simulatorMode: boolean; partner: string },
): URL {
  const { field, allowedHosts, simulatorMode, partner } = options;
  const accepted = `an https URL on ${allowedHosts.join(' or ')}`;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new InvalidConfigurationError(`${partner}: field "${field}" is not a URL; use ${accepted}.`, {
      field,
    });
  }
  if (url.username || url.password) {
    throw new InvalidConfigurationError(
      `${partner}: field "${field}" must not carry credentials; use ${accepted}.`,
      {
        field,
      },
    );
  }
  if (
    simulatorMode &&
    isLoopbackHost(url.hostname) &&
    (url.protocol === 'http:' || url.protocol === 'https:')
  ) {
    return url;
  }
  if (isInternalHost(url.hostname)) {
    throw new InvalidConfigurationError(
      `${partner}: field "${field}" points at a private, loopback or metadata address (${url.hostname}); use ${accepted}${
        isLoopbackHost(url.hostname) ? ', or switch simulator mode on for a local simulator' : ''
      }.`,
      { field },
    );
  }
  if (url.protocol !== 'https:') {
    throw new InvalidConfigurationError(`${partner}: field "${field}" must use https; use ${accepted}.`, {
      field,
    });
  }
  if (!allowedHosts.some((rule) => hostMatches(url.hostname, rule))) {
    throw new InvalidConfigurationError(
      `${partner}: field "${field}" host ${url.hostname} is not an allowed partner host; use ${accepted}.`,
      { field },
    );
  }
  return url;
}
