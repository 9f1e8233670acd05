#!/usr/bin/env node
/**
 * Bundles every Lambda handler of template.yaml with esbuild. The esbuild settings are the
 * template's own `Metadata.BuildProperties` (one source of truth with `sam build`), plus code
 * splitting: each partner's rotator (and its CommonJS dependencies such as jsforce) becomes a chunk
 * that the handler `import()`s only when a secret of that partner is rotated.
 *
 * Output mirrors `.aws-sam/build`: `dist/<LogicalId>/<handler module>.mjs`, source maps, `chunks/`.
 *
 *   node scripts/build.mjs [--outdir dist]
 */
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { yamlParse } from 'yaml-cfn';
import manifestSchema from '../schemas/partner-manifest.schema.json' with { type: 'json' };
import rotationEventSchema from '../schemas/rotation-event.schema.json' with { type: 'json' };
// TypeScript sources: run this script with `node --import tsx` (as `npm run build` does).
import { PartnerCatalog } from '../src/runtime/catalog.ts';
import { CATALOG_SCHEMA } from '../src/runtime/catalog-file.ts';
import { precompiledValidatorsSource } from '../src/runtime/schema-precompile.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** SAM's `BuildProperties` as esbuild options (the keys SAM documents for `BuildMethod: esbuild`). */
export function esbuildOptionsFrom(properties) {
  const pairs = (list) =>
    Object.fromEntries(
      (list ?? []).map((item) => [item.slice(0, item.indexOf('=')), item.slice(item.indexOf('=') + 1)]),
    );
  return {
    entryPoints: properties.EntryPoints,
    format: properties.Format ?? 'cjs',
    target: properties.Target,
    platform: properties.Platform ?? 'node',
    minify: properties.Minify ?? false,
    sourcemap: properties.Sourcemap ?? false,
    outExtension: pairs(properties.OutExtension),
    banner: pairs(properties.Banner),
    external: properties.External ?? [],
    // SAM takes MainFields as a comma-separated string.
    ...(properties.MainFields ? { mainFields: String(properties.MainFields).split(',') } : {}),
  };
}

/** The template's esbuild-built functions: logical id, handler, build properties. */
export async function bundledFunctions(templatePath = join(root, 'template.yaml')) {
  const template = yamlParse(await readFile(templatePath, 'utf8'));
  return Object.entries(template.Resources ?? {})
    .filter(
      ([, resource]) =>
        resource?.Type === 'AWS::Serverless::Function' && resource.Metadata?.BuildMethod === 'esbuild',
    )
    .map(([logicalId, resource]) => ({
      logicalId,
      handler: resource.Properties.Handler,
      properties: resource.Metadata.BuildProperties,
    }));
}

/**
 * Verifies the signed catalog and every vetted plugin's files now, then embeds the catalog in the
 * bundle: `src/runtime/bundled-catalog.ts` becomes the catalog document plus one static `import()`
 * per vetted manifest, so each partner is a lazily loaded chunk and the bundle needs no
 * `partners/` folder at run time.
 */
export function vettedCatalogPlugin() {
  return {
    name: 'rotor-vetted-catalog',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /[\\/]src[\\/]runtime[\\/]bundled-catalog\.ts$/ }, () => {
        const catalog = new PartnerCatalog();
        const entries = catalog.entries();
        for (const entry of entries) {
          const status = catalog.verify(entry.type);
          if (!status.ok) {
            throw new Error(
              `Refusing to bundle ${entry.type}: ${status.file} was ${status.change} after vetting; re-vet with \`npx rotor partner vet ${entry.path}\`.`,
            );
          }
        }
        const loaders = entries
          .map(
            (e) =>
              `  ${JSON.stringify(e.type)}: () => import(${JSON.stringify(join(root, e.path, 'manifest.ts'))}),`,
          )
          .join('\n');
        return {
          loader: 'ts',
          resolveDir: root,
          contents: `import document from ${JSON.stringify(join(root, 'partners', 'catalog.json'))};\nexport const bundledCatalog = {\n  document,\n  loaders: {\n${loaders}\n  },\n};\n`,
        };
      });
    },
  };
}

/**
 * Compiles the schemas a rotation validates with — the event's, the catalog's, the plugin
 * manifest's and each vetted partner's secret and metadata schemas — into ajv standalone code that
 * replaces `src/runtime/precompiled-validators.ts`, and leaves ajv's compiler out of the bundle.
 */
export function precompiledSchemasPlugin() {
  return {
    name: 'rotor-precompiled-schemas',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /[\\/]src[\\/]runtime[\\/]precompiled-validators\.ts$/ }, async () => {
        const partners = await new PartnerCatalog().loadAll();
        const schemas = [
          rotationEventSchema,
          CATALOG_SCHEMA,
          manifestSchema,
          ...partners.flatMap((manifest) => [manifest.secretSchema, manifest.metadataSchema]),
        ];
        return { loader: 'js', resolveDir: root, contents: precompiledValidatorsSource(schemas) };
      });
      // Every schema is compiled above, so the bundle carries no compiler: one it meets anyway is
      // a build defect, refused (fail closed) rather than compiled on a cold start.
      pluginBuild.onLoad({ filter: /[\\/]src[\\/]runtime[\\/]schema-compiler\.ts$/ }, () => ({
        loader: 'js',
        contents: `export function compileAtRunTime(schema) {
  throw new Error('Schema ' + (schema.$id ?? JSON.stringify(schema).slice(0, 80)) + ' was not compiled when this bundle was built; add it to precompiledSchemasPlugin in scripts/build.mjs.');
}`,
      }));
    },
  };
}

/**
 * node-fetch 2 (under jsforce) requires `whatwg-url` only for a fallback it never takes on Node:
 * it uses `require('url').URL || whatwgUrl.URL`. That package's Unicode tables (`tr46`) would be
 * almost half of the Salesforce chunk, parsed and evaluated on every cold start of a Salesforce
 * rotation; Node's own WHATWG `URL` stands in for it.
 */
export function builtinUrlForNodeFetchPlugin() {
  return {
    name: 'rotor-builtin-url-for-node-fetch',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^whatwg-url$/ }, (args) =>
        /[\\/]node_modules[\\/]node-fetch[\\/]/.test(args.importer)
          ? { path: 'whatwg-url', namespace: 'rotor-builtin-url' }
          : undefined,
      );
      pluginBuild.onLoad({ filter: /.*/, namespace: 'rotor-builtin-url' }, () => ({
        loader: 'js',
        contents: "module.exports = { URL: require('node:url').URL };",
      }));
    },
  };
}

/**
 * Builds every function into `<outDir>/<LogicalId>/`.
 *
 * @returns per function, its output files and their sizes in bytes.
 */
export async function buildHandlers({ outDir = join(root, 'dist'), templatePath } = {}) {
  const results = [];
  for (const fn of await bundledFunctions(templatePath)) {
    const outdir = join(outDir, fn.logicalId);
    await rm(outdir, { recursive: true, force: true });
    const options = esbuildOptionsFrom(fn.properties);
    const result = await build({
      ...options,
      entryPoints: options.entryPoints.map((entry) => join(root, entry)),
      absWorkingDir: root,
      bundle: true,
      // Partner rotators are dynamic import()s in their manifests: with splitting each is a chunk.
      splitting: options.format === 'esm',
      outdir,
      entryNames: '[name]',
      chunkNames: 'chunks/[name]-[hash]',
      // Rotor's error classes take their `name` from the class; keep it through minification.
      keepNames: true,
      plugins: [vettedCatalogPlugin(), precompiledSchemasPlugin(), builtinUrlForNodeFetchPlugin()],
      metafile: true,
      legalComments: 'linked',
      logLevel: 'warning',
    });
    const outputs = result.metafile.outputs;
    const files = Object.entries(outputs)
      .map(([file, output]) => ({ file: relative(outdir, resolve(root, file)), bytes: output.bytes }))
      .sort((a, b) => b.bytes - a.bytes);
    // What Node loads at a cold start: the entry and its static imports; import()s come later.
    // With splitting, every import()ed module is an entry point too: pick the handler's own.
    const handlerEntries = new Set(options.entryPoints.map((entry) => join(root, entry)));
    const entry = Object.keys(outputs).find(
      (file) => outputs[file].entryPoint && handlerEntries.has(resolve(root, outputs[file].entryPoint)),
    );
    const atStart = new Set();
    const visit = (file) => {
      if (atStart.has(file)) return;
      atStart.add(file);
      for (const imported of outputs[file]?.imports ?? [])
        if (imported.kind === 'import-statement') visit(imported.path);
    };
    if (entry) visit(entry);
    const loadedAtStart = [...atStart].map((file) => relative(outdir, resolve(root, file)));
    // The npm packages whose code a cold start loads (what is worth keeping out of it).
    const packagesAtStart = [
      ...new Set(
        [...atStart].flatMap((file) =>
          Object.keys(outputs[file]?.inputs ?? {}).flatMap(
            (input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? [],
          ),
        ),
      ),
    ].sort();
    results.push({
      logicalId: fn.logicalId,
      handler: fn.handler,
      outdir,
      files,
      loadedAtStart,
      packagesAtStart,
    });
  }
  return results;
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--outdir');
  const outDir = at > 0 ? resolve(process.argv[at + 1]) : undefined;
  for (const { logicalId, handler, outdir, files, loadedAtStart } of await buildHandlers({ outDir })) {
    const code = files.filter((f) => !f.file.endsWith('.map') && !f.file.endsWith('.txt'));
    const sum = (list) => list.reduce((total, f) => total + f.bytes, 0);
    const atStart = code.filter((f) => loadedAtStart.includes(f.file));
    console.log(
      `${logicalId} (${handler}) → ${relative(root, outdir)}: ${kib(sum(atStart))} loaded at cold start, ${kib(sum(code))} of code in ${code.length} files`,
    );
    for (const f of code) {
      const when = loadedAtStart.includes(f.file) ? 'at start' : 'on import()';
      console.log(`  ${f.file.padEnd(40)} ${kib(f.bytes).padStart(12)}  ${when}`);
    }
  }
}
