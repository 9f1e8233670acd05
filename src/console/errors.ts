/** Errors of the console API. Each maps onto an HTTP status and names the field to fix. */

/** A request the console refuses: bad input (400), a conflict (409) or a failed AWS call (502). */
export class ConsoleRequestError extends Error {
  readonly status: number;
  readonly field: string | undefined;

  constructor(status: number, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConsoleRequestError';
    this.status = status;
    this.field = options?.field;
  }
}

/** The wizard bundle could not be built or found. */
export class WizardBuildError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WizardBuildError';
  }
}
