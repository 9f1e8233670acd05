/** Types of scripts/build.mjs, for the tests that build the bundle programmatically. */
export interface BuiltFunction {
  logicalId: string;
  handler: string;
  outdir: string;
  files: { file: string; bytes: number }[];
  /** Output files Node loads at a cold start: the entry and its static imports (relative to outdir). */
  loadedAtStart: string[];
  /** npm packages with code in those files, e.g. `@aws-sdk/client-secrets-manager`. */
  packagesAtStart: string[];
}
export function buildHandlers(options?: { outDir?: string; templatePath?: string }): Promise<BuiltFunction[]>;
export function bundledFunctions(
  templatePath?: string,
): Promise<{ logicalId: string; handler: string; properties: Record<string, unknown> }[]>;
export function esbuildOptionsFrom(properties: Record<string, unknown>): Record<string, unknown>;
