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

/**
 * Globals that reach the network or the process without an import: a rotator uses `context.http`
 * instead. Referencing one (other than as a property name or a local binding) is refused like a
 * forbidden import, and a reviewed exception names it the same way (`module: 'fetch'`).
 */
export const FORBIDDEN_GLOBALS: readonly string[] = [
  'fetch',
  'process',
  'globalThis',
  'eval',
  'XMLHttpRequest',
  'WebSocket',
  'EventSource',
];

/** One import found in a file. */
export interface ImportSite {
  file: string;
  line: number;
  /** The specifier, or undefined when it is not a string literal. */
  module: string | undefined;
  kind: 'import' | 'export-from' | 'import-equals' | 'require' | 'dynamic-import' | 'global';
}

/** True when the identifier is a reference (not a property name, declaration name or label). */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent)) && parent.name === node)
    return false;
  if (ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent)) return parent.name !== node;
  if (ts.isQualifiedName(parent)) return false;
  if (
    (ts.isVariableDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isBindingElement(parent)) &&
    parent.name === node
  ) {
    return false;
  }
  return !ts.isTypeReferenceNode(parent);
}

/**
 * A type checker over just this file, without the standard library: a name that resolves to no
 * symbol is a global, one that resolves is a local binding (a parameter named `fetch`, say).
 */
function singleFileChecker(sourceFile: ts.SourceFile): ts.TypeChecker {
  const options: ts.CompilerOptions = { noLib: true, noResolve: true, types: [], allowJs: true };
  const host = ts.createCompilerHost(options);
  host.getSourceFile = (name) => (name === sourceFile.fileName ? sourceFile : undefined);
  host.fileExists = (name) => name === sourceFile.fileName;
  return ts.createProgram({ rootNames: [sourceFile.fileName], options, host }).getTypeChecker();
}

function isGlobal(checker: ts.TypeChecker, node: ts.Identifier): boolean {
  const symbol = ts.isShorthandPropertyAssignment(node.parent)
    ? checker.getShorthandAssignmentValueSymbol(node.parent)
    : checker.getSymbolAtLocation(node);
  // `globalThis` resolves to the checker's own symbol, declared nowhere in the file.
  return !symbol?.declarations?.some((declaration) => declaration.getSourceFile() === node.getSourceFile());
}

/** Every runtime import in `source` (type-only imports are erased, so they are skipped), and every use of a {@link FORBIDDEN_GLOBALS} global. */
export function findImports(file: string, source: string): ImportSite[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const checker = singleFileChecker(sourceFile);
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
    } else if (
      ts.isIdentifier(node) &&
      FORBIDDEN_GLOBALS.includes(node.text) &&
      isReference(node) &&
      isGlobal(checker, node)
    ) {
      const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
      sites.push({ file, line, module: node.text, kind: 'global' });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return sites;
}

/** The builtin name of a specifier (`node:fs/promises` → `fs/promises`), if it is a forbidden one. */
export function forbiddenModule(specifier: string): string | undefined {
  if (FORBIDDEN_GLOBALS.includes(specifier)) return specifier;
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
      const what = site.kind === 'global' ? `uses the global "${site.module}"` : `imports "${site.module}"`;
      throw new StaticVettingError(
        `Partner plugin ${manifest.type}: ${site.file}:${site.line} ${what}, which reaches the network, the process or the file system. Use context.http for HTTP, or declare a reviewed exception in the manifest: reviewedImports: [{ module: '${site.module}', reason: '…' }].`,
        { field: site.file },
      );
    }
  }
  return sites;
}
