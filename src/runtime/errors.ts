/**
 * Typed errors of the plugin runtime: manifest checks, the vetted catalog, static vetting and the
 * egress-checked HTTP client. Every one is an {@link InvalidConfigurationError} (nothing was changed,
 * the fix is in configuration or plugin code), names the plugin, the field or file, and the fix.
 */
import { type ErrorContext, InvalidConfigurationError } from '../engine/errors.ts';

type Options = { cause?: unknown; context?: ErrorContext; field?: string };

/** A manifest (or a rotator's hooks) does not follow the plugin contract. */
export class PluginManifestError extends InvalidConfigurationError {}

/** The catalog file is missing, malformed, or its signature does not verify. */
export class CatalogSignatureError extends InvalidConfigurationError {}

/** A plugin's files no longer match the digest its catalog entry pins. */
export class PluginTamperedError extends InvalidConfigurationError {
  /** Repository-relative path of the first file that changed, appeared or disappeared. */
  readonly file: string;

  constructor(message: string, file: string, options?: Options) {
    super(message, { ...options, field: options?.field ?? file });
    this.file = file;
  }
}

/** Plugin source imports a network, process or file-system module without a reviewed exception. */
export class StaticVettingError extends InvalidConfigurationError {}

/** The runtime's HTTP client refused a request: host not allowed, private address, or bad redirect. */
export class EgressRefusedError extends InvalidConfigurationError {}
