/**
 * Invariant checks I1–I5 against the store and the partner's simulator, partner-agnostic: the
 * probe says which credentials authenticate and how many are live. A check never throws for a
 * broken invariant; it records a violation, so a matrix run reports all of them at once.
 */
import { AWSCURRENT, AWSPENDING, AWSPREVIOUS } from '../../src/aws/secret-store.ts';
import type { RotationEngine } from '../../src/engine/engine.ts';
import type { Bench, BenchSecret } from '../support/bench.ts';

function holderOf(stages: Record<string, string[]>, label: string): string | undefined {
  return Object.keys(stages).find((id) => stages[id]?.includes(label));
}

export class InvariantChecker {
  readonly violations: string[] = [];
  #currentVersion: string | undefined;

  constructor(
    private readonly bench: Bench,
    private readonly secret: BenchSecret,
    private readonly caseName: string,
  ) {}

  #violate(point: string, text: string): void {
    this.violations.push(`${this.caseName} @ ${point}: ${text}`);
  }

  /** I1, I2, I4 (bound) and I5 (the credential AWSCURRENT just left still works) at this instant. */
  async check(point: string): Promise<void> {
    const { bench, secret } = this;
    const stages = await bench.stages(secret.arn);
    const currentVersion = holderOf(stages, AWSCURRENT);
    const current = await bench.findValue(secret.arn, AWSCURRENT);
    if (!current || !(await bench.authenticates(current))) {
      this.#violate(point, 'I1: the AWSCURRENT value does not authenticate at the source');
      return;
    }
    if (this.#currentVersion !== undefined && currentVersion !== this.#currentVersion) {
      // I2 is I1 at the moment of the move; I5: the rotated-out credential keeps working.
      const previous = await bench.findValue(secret.arn, AWSPREVIOUS);
      if (!previous || !(await bench.authenticates(previous))) {
        this.#violate(
          point,
          'I5: the credential AWSCURRENT left no longer authenticates (revoked too early)',
        );
      }
    }
    this.#currentVersion = currentVersion;
    const live = await bench.liveCredentials(current);
    if (live > bench.manifest.maxLiveCredentials) {
      this.#violate(point, `I4: ${live} live credentials, more than ${bench.manifest.maxLiveCredentials}`);
    }
  }

  /**
   * The end of a case: the rotation is idle (no AWSPENDING on another version), and once the
   * previous credential is revoked past its grace period exactly one credential is live (I4: no
   * orphan) and it is AWSCURRENT's (I1, I5).
   */
  async completed(engine: RotationEngine, point: string): Promise<void> {
    const { bench, secret } = this;
    const stages = await bench.stages(secret.arn);
    const pending = holderOf(stages, AWSPENDING);
    if (pending !== undefined && pending !== holderOf(stages, AWSCURRENT)) {
      this.#violate(point, 'the rotation is still pending after the re-drive');
    }
    await this.check(point);
    try {
      await engine.revokePrevious(secret.arn);
    } catch (error) {
      this.#violate(point, `revocation failed: ${(error as Error).message}`);
    }
    const current = await bench.findValue(secret.arn, AWSCURRENT);
    if (!current || !(await bench.authenticates(current))) {
      this.#violate(`${point}, after revocation`, 'I1/I5: the AWSCURRENT value does not authenticate');
      return;
    }
    const live = await bench.liveCredentials(current);
    if (live !== 1) this.#violate(`${point}, after revocation`, `I4: ${live} live credentials, orphan left`);
  }
}
