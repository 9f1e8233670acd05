/**
 * A strict parser for the only statements the simulator runs. Anything else — a second
 * statement, a comment, an unknown property, a stray quote — is a syntax error, so a rotator that
 * builds SQL sloppily fails here as it would at Snowflake.
 */
import type { SlotName } from './state.ts';

export type Statement =
  | { kind: 'describe-user'; user: string }
  | { kind: 'set-key'; user: string; slot: SlotName; spki: string; ifExists: boolean }
  | { kind: 'unset-key'; user: string; slot: SlotName; ifExists: boolean }
  | { kind: 'select-1' };

const IDENT = '("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)';
const SLOT = '(RSA_PUBLIC_KEY(?:_2)?)';
const PATTERNS: [RegExp, (m: RegExpExecArray) => Statement][] = [
  [
    new RegExp(`^DESC(?:RIBE)?\\s+USER\\s+${IDENT}$`, 'i'),
    (m) => ({ kind: 'describe-user', user: resolve(m[1]!) }),
  ],
  [
    new RegExp(`^ALTER\\s+USER\\s+(IF\\s+EXISTS\\s+)?${IDENT}\\s+SET\\s+${SLOT}\\s*=\\s*'([^'\\\\]*)'$`, 'i'),
    (m) => ({
      kind: 'set-key',
      ifExists: m[1] !== undefined,
      user: resolve(m[2]!),
      slot: m[3]!.toUpperCase() as SlotName,
      spki: m[4]!,
    }),
  ],
  [
    new RegExp(`^ALTER\\s+USER\\s+(IF\\s+EXISTS\\s+)?${IDENT}\\s+UNSET\\s+${SLOT}$`, 'i'),
    (m) => ({
      kind: 'unset-key',
      ifExists: m[1] !== undefined,
      user: resolve(m[2]!),
      slot: m[3]!.toUpperCase() as SlotName,
    }),
  ],
  [/^SELECT\s+1$/i, () => ({ kind: 'select-1' })],
];

/** An identifier as Snowflake resolves it: unquoted in upper case, quoted exactly (`""` → `"`). */
function resolve(identifier: string): string {
  return identifier.startsWith('"')
    ? identifier.slice(1, -1).replaceAll('""', '"')
    : identifier.toUpperCase();
}

/** The parsed statement, or undefined for a syntax error. One trailing `;` is accepted. */
export function parseStatement(text: string): Statement | undefined {
  const trimmed = text.trim().replace(/;\s*$/, '').trim();
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(trimmed);
    if (match) return build(match);
  }
  return undefined;
}

/** The statement's first words for the request log, without literals (key material). */
export function statementSummary(text: string): string {
  return text
    .replace(/'[^']*'/g, "'…'")
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
}
