/**
 * Checks a partner manifest at load (I6 for plugins): the serialisable part against
 * `schemas/partner-manifest.schema.json` with strict ajv, then what a schema cannot say — the
 * value and metadata schemas compile strictly and forbid unknown properties, sensitive fields
 * exist, the functions are functions, and (once loaded) every required hook is present.
 */
import manifestSchema from '../../schemas/partner-manifest.schema.json' with { type: 'json' };
import { InvalidConfigurationError } from '../engine/errors.ts';
import type { AnyPartnerManifest } from './catalog.ts';
import { PluginManifestError } from './errors.ts';
import type { JsonSchema, PartnerRotatorV1 } from './partner.ts';
import { assertValid, compileSchema } from './validation.ts';

/** The hooks every rotator must implement; `preflight` is optional. */
export const REQUIRED_HOOKS = ['create', 'discard', 'set', 'test', 'promote', 'revoke'] as const;
/** Hooks a rotator may implement. */
export const OPTIONAL_HOOKS = ['preflight'] as const;

const FUNCTION_FIELDS = ['loadRotator', 'startSimulator'] as const;

function nameOf(manifest: unknown): string {
  const type = (manifest as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type ? type : '(unnamed plugin)';
}

/** The manifest without its functions: what the JSON Schema describes. */
function serialisablePart(manifest: AnyPartnerManifest): Record<string, unknown> {
  const { loadRotator: _l, startSimulator: _s, demoSecret: _d, egress, ...rest } = manifest;
  const { targets: _t, ...egressRest } = (egress ?? {}) as unknown as Record<string, unknown>;
  return { ...rest, egress: egressRest };
}

/** Every object schema (the root and nested `properties`) must say `additionalProperties: false`. */
function openObjectPath(schema: JsonSchema, path: string): string | undefined {
  const isObject = schema.type === 'object' || schema.properties !== undefined;
  if (isObject && schema.additionalProperties !== false) return path;
  for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    const open = openObjectPath(child, `${path}.properties.${key}`);
    if (open) return open;
  }
  return undefined;
}

function checkValueSchema(
  plugin: string,
  field: 'secretSchema' | 'metadataSchema',
  schema: JsonSchema,
): void {
  if (schema.type !== 'object') {
    throw new PluginManifestError(
      `Partner plugin ${plugin}: field "${field}" must describe a JSON object; set "type": "object".`,
      { field },
    );
  }
  const open = openObjectPath(schema, field);
  if (open) {
    throw new PluginManifestError(
      `Partner plugin ${plugin}: field "${open}" allows unknown properties; set "additionalProperties": false.`,
      { field: open },
    );
  }
  try {
    compileSchema(schema);
  } catch (error) {
    throw new PluginManifestError(
      `Partner plugin ${plugin}: field "${field}" does not compile with strict ajv (${(error as Error).message}); fix the schema.`,
      { field, cause: error },
    );
  }
}

/**
 * Checks a manifest; returns it unchanged.
 *
 * @throws {PluginManifestError} naming the plugin, the field and the fix.
 * @example
 * ```ts
 * const manifest = checkManifest((await import('./partners/example/manifest.ts')).default);
 * ```
 */
export function checkManifest(manifest: AnyPartnerManifest): AnyPartnerManifest {
  const plugin = nameOf(manifest);
  if (manifest === null || typeof manifest !== 'object') {
    throw new PluginManifestError(
      `Partner plugin ${plugin}: manifest.ts must default-export definePartner({ ... }).`,
      { field: 'default' },
    );
  }
  try {
    assertValid(
      manifestSchema as JsonSchema,
      serialisablePart(manifest),
      `partner plugin ${plugin} manifest`,
    );
  } catch (error) {
    if (!(error instanceof InvalidConfigurationError)) throw error;
    throw new PluginManifestError(error.message, { field: error.field, cause: error });
  }
  checkValueSchema(plugin, 'secretSchema', manifest.secretSchema);
  checkValueSchema(plugin, 'metadataSchema', manifest.metadataSchema);
  const properties = Object.keys((manifest.secretSchema.properties ?? {}) as object);
  for (const field of manifest.sensitiveFields) {
    if (!properties.includes(field)) {
      throw new PluginManifestError(
        `Partner plugin ${plugin}: field "sensitiveFields" names "${field}", which secretSchema does not define; use one of ${properties.join(', ')}.`,
        { field: 'sensitiveFields' },
      );
    }
  }
  if (typeof manifest.egress.targets !== 'function') {
    throw new PluginManifestError(
      `Partner plugin ${plugin}: field "egress.targets" must be a function (secret) => [{ field, url }]; return [] when the secret holds no URL.`,
      { field: 'egress.targets' },
    );
  }
  for (const field of FUNCTION_FIELDS) {
    if (typeof manifest[field] !== 'function') {
      throw new PluginManifestError(
        `Partner plugin ${plugin}: field "${field}" must be a function; ${field === 'startSimulator' ? 'every plugin ships a simulator (see partners/README.md)' : 'return the rotator with a dynamic import'}.`,
        { field },
      );
    }
  }
  if (manifest.demoSecret !== undefined && typeof manifest.demoSecret !== 'function') {
    throw new PluginManifestError(
      `Partner plugin ${plugin}: field "demoSecret" must be a function (seed) => { value, metadata } or be left out.`,
      { field: 'demoSecret' },
    );
  }
  return manifest;
}

/**
 * Checks a loaded rotator has every required hook (and that optional ones are functions).
 *
 * @throws {PluginManifestError} naming the plugin and the missing hook.
 */
export function checkRotatorHooks(plugin: string, rotator: PartnerRotatorV1): PartnerRotatorV1 {
  if (rotator === null || typeof rotator !== 'object') {
    throw new PluginManifestError(
      `Partner plugin ${plugin}: loadRotator() must resolve to an object with the hooks ${REQUIRED_HOOKS.join(', ')}.`,
      { field: 'loadRotator' },
    );
  }
  for (const hook of REQUIRED_HOOKS) {
    if (typeof rotator[hook] !== 'function') {
      throw new PluginManifestError(
        `Partner plugin ${plugin}: hook "${hook}" is missing; implement ${hook}(request, context) (see partners/README.md).`,
        { field: `rotator.${hook}` },
      );
    }
  }
  for (const hook of OPTIONAL_HOOKS) {
    if (rotator[hook] !== undefined && typeof rotator[hook] !== 'function') {
      throw new PluginManifestError(
        `Partner plugin ${plugin}: hook "${hook}" must be a function or be left out.`,
        { field: `rotator.${hook}` },
      );
    }
  }
  return rotator;
}
