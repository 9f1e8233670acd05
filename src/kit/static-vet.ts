/**
 * Static vetting of plugin source (I8): a rotator may not import network, process or file-system
 * modules directly — it reaches the network through `context.http` only — unless its manifest
 * declares a reviewed exception. Parsed with the TypeScript compiler API, so `import`, `export …
 * from`, `import x = require()`, `require()` and dynamic `import()` are all seen, and a module
 * specifier that is not a string literal is refused (it cannot be vetted).
 *
 * Scope: the rotator side — every source file of the plugin folder except tests and the
 * `simulator/` folder. Simulators are test tooling that runs only on loopback in simulator mode and
 * legitimately serves HTTP with `node:http`; they are pinned by digest like every other file but
 * not held to this rule.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { StaticVettingError } from '../runtime/errors.ts';
import type { ReviewedImport } from '../runtime/partner.ts';
import { pluginFiles } from '../runtime/plugin-files.ts';

/** Builtins a rotator may not import directly (with or without `node:`). */
export const FORBIDDEN_MODULES: readonly string[] = [
  'child_process',
  'cluster',
  'dgram',
  'dns',
  'dns/promises',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'inspector',
  'inspector/promises',
  'module',
  'net',
  'process',
  'readline',
  'repl',
  'tls',
  'v8',
  'vm',
  'wasi',
  'worker_threads',
];

/** One import found in a file. */
export interface ImportSite {
  file: string;
  line: number;
  /** The specifier, or undefined when it is not a string literal. */
  module: string | undefined;
  kind: 'import' | 'export-from' | 'import-equals' | 'require' | 'dynamic-import';
}

/** Every runtime import in `source` (type-only imports are erased, so they are skipped). */
export function findImports(file: string, source: string): ImportSite[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const sites: ImportSite[] = [];
  const site = (node: ts.Node, specifier: ts.Expression | undefined, kind: ImportSite['kind']) => {
    const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
    const module = specifier && ts.isStringLiteralLike(specifier) ? specifier.text : undefined;
    sites.push({ file, line, module, kind });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      site(node, node.moduleSpecifier, 'import');
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      site(node, node.moduleSpecifier, 'export-from');
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      !node.isTypeOnly
    ) {
      site(node, node.moduleReference.expression, 'import-equals');
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword)
        site(node, node.arguments[0], 'dynamic-import');
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') {
        site(node, node.arguments[0], 'require');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return sites;
}

/** The builtin name of a specifier (`node:fs/promises` → `fs/promises`), if it is a forbidden one. */
export function forbiddenModule(specifier: string): string | undefined {
  const bare = specifier.startsWith('node:') ? specifier.slice('node:'.length) : specifier;
  return FORBIDDEN_MODULES.includes(bare) ? bare : undefined;
}

function isReviewed(specifier: string, reviewed: readonly ReviewedImport[]): boolean {
  const bare = forbiddenModule(specifier);
  return reviewed.some((r) => r.module === specifier || forbiddenModule(r.module) === bare);
}

/** The rotator-side source files of a plugin (what static vetting reads). */
export function rotatorSourceFiles(rootDir: string, pluginDir: string, type: string): string[] {
  return pluginFiles(rootDir, pluginDir, type).filter(
    (file) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(file) && !file.startsWith(`${pluginDir}/simulator/`),
  );
}

/** The repository path a relative import reaches when that is outside what the digest pins or Rotor's `src/`. */
function outsidePlugin(
  rootDir: string,
  pluginDir: string,
  type: string,
  site: ImportSite,
): string | undefined {
  const target = relative(rootDir, resolve(rootDir, dirname(site.file), site.module ?? ''))
    .split(sep)
    .join('/');
  const allowed =
    target.startsWith(`${pluginDir}/`) || target.startsWith('src/') || target.startsWith(`schemas/${type}.`);
  return allowed ? undefined : target;
}

/**
 * Vets a plugin's rotator-side source.
 *
 * @throws {StaticVettingError} naming the plugin, file, line and module, and the fix.
 * @example
 * ```ts
 * vetPluginSource(REPO_ROOT, 'partners/salesforce', manifest);
 * ```
 */
export function vetPluginSource(
  rootDir: string,
  pluginDir: string,
  manifest: { type: string; reviewedImports?: readonly ReviewedImport[] },
): ImportSite[] {
  const reviewed = manifest.reviewedImports ?? [];
  const sites = rotatorSourceFiles(rootDir, pluginDir, manifest.type).flatMap((file) =>
    findImports(file, readFileSync(join(rootDir, file), 'utf8')),
  );
  for (const site of sites) {
    if (site.module === undefined) {
      throw new StaticVettingError(
        `Partner plugin ${manifest.type}: ${site.file}:${site.line} has a ${site.kind} whose module is not a string literal; it cannot be vetted. Import modules by name.`,
        { field: site.file },
      );
    }
    const outside = site.module.startsWith('.')
      ? outsidePlugin(rootDir, pluginDir, manifest.type, site)
      : undefined;
    if (outside) {
      throw new StaticVettingError(
        `Partner plugin ${manifest.type}: ${site.file}:${site.line} imports ${outside}, outside the plugin. A plugin may import its own folder, its schemas (schemas/${manifest.type}.*) and Rotor's src/ only.`,
        { field: site.file },
      );
    }
    if (forbiddenModule(site.module) && !isReviewed(site.module, reviewed)) {
      throw new StaticVettingError(
        `Partner plugin ${manifest.type}: ${site.file}:${site.line} imports "${site.module}", a network, process or file-system module. Use context.http for HTTP, or declare a reviewed exception in the manifest: reviewedImports: [{ module: '${site.module}', reason: '…' }].`,
        { field: site.file },
      );
    }
  }
  return sites;
}
