/**
 * The narrow logger the engine and plugins write to. The handler backs it with Powertools Logger;
 * tests back it with a recorder. Attributes must never hold secret values: callers pass ids,
 * steps, categories and hashes only.
 */
export type LogAttributes = Record<string, string | number | boolean | undefined>;

export interface RotationLogger {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
}

/** A logger that drops everything, for library callers that do not care. */
export const silentLogger: RotationLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
