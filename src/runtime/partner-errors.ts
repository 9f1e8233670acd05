/**
 * Helpers every partner plugin's error classifier needs, so each `errors.ts` holds only what its
 * partner says: which socket failures mean "could not be reached", and how much partner text may
 * ride along in a Rotor error.
 */

/** Socket-level failures (Node and undici codes): the partner could not be reached; retry later. */
const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

/**
 * Whether `code` (an error's `code`, `errno` or its cause's `code`) is a socket-level failure.
 *
 * @example
 * ```ts
 * if (isNetworkErrorCode(error.code ?? error.cause?.code)) return new PartnerUnavailableError('…');
 * ```
 */
export function isNetworkErrorCode(code: string | undefined): boolean {
  return code !== undefined && NETWORK_ERROR_CODES.has(code);
}

/**
 * Partner text cut to its first line and 160 characters: enough to act on, too short to carry a
 * page of echoed input (which may hold a secret the redactor does not know).
 *
 * @example
 * ```ts
 * `Salesforce POST staged failed: ${briefPartnerText(error.message)}`
 * ```
 */
export function briefPartnerText(text: string | undefined): string {
  if (!text) return '';
  const line = text.split('\n')[0]?.trim() ?? '';
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}
