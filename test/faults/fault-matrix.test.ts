/**
 * The fault matrix (I1–I5 under faults): for every catalog partner, every outbound call k of a
 * clean rotation (Secrets Manager through the SDK middleware, the partner through the fault
 * proxy) and every fault kind, run the rotation, then re-drive it as Secrets Manager or an
 * operator would, checking the invariants after every step invocation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RotationEngine } from '../../src/engine/engine.ts';
import { ROTATION_STEPS, type RotationStep } from '../../src/engine/event.ts';
import { RotationRepair } from '../../src/engine/repair.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { type BenchSecret, type FaultBench, NO_GRACE, startBench } from '../support/bench.ts';
import { vettedPartners } from '../support/catalog-partners.ts';
import { FAULT_KINDS, type FaultKind } from '../support/faults/fault-plan.ts';
import { InvariantChecker } from './invariants.ts';

/** How the failed rotation is driven on after the fault. */
const REDRIVES = ['retry-step', 'retry-rotation', 'abandon'] as const;
type Redrive = (typeof REDRIVES)[number];
/** Cases run side by side, each lane with its own fault plan, proxy and engine client. */
const LANES = 4;

function stepEvent(secret: BenchSecret, token: string, step: RotationStep) {
  return { Step: step, SecretId: secret.arn, ClientRequestToken: token };
}

/** Runs steps in order, one invocation each, checking after each; stops at the first failure. */
async function runSteps(
  bench: FaultBench,
  engine: RotationEngine,
  checker: InvariantChecker,
  secret: BenchSecret,
  token: string,
  steps: readonly RotationStep[],
  phase: string,
): Promise<RotationStep | undefined> {
  for (const step of steps) {
    bench.plan.beginInvocation();
    let failed = false;
    try {
      await engine.run(stepEvent(secret, token, step));
    } catch {
      failed = true;
    }
    await checker.check(`${phase} ${step}${failed ? ' (failed)' : ''}`);
    if (failed) return step;
  }
  return undefined;
}

/** Counts the outbound calls of a clean rotation: the matrix's k runs over them. */
async function cleanRotationCalls(bench: FaultBench): Promise<number> {
  const secret = await bench.createSecret({ metadata: NO_GRACE });
  const token = await bench.startRotation(secret);
  const engine = bench.newEngine();
  bench.plan.reset();
  for (const step of ROTATION_STEPS) {
    bench.plan.beginInvocation();
    await engine.run(stepEvent(secret, token, step));
  }
  return bench.plan.calls;
}

async function runCase(
  bench: FaultBench,
  k: number,
  kind: FaultKind,
  redrive: Redrive,
): Promise<{ violations: string[]; stepFailed: boolean }> {
  const secret = await bench.createSecret({ metadata: NO_GRACE });
  const checker = new InvariantChecker(bench, secret, `${bench.manifest.type} k=${k} ${kind} ${redrive}`);
  await checker.check('start');
  const token = await bench.startRotation(secret);

  bench.plan.arm(k, kind);
  const failedStep = await runSteps(
    bench,
    bench.newEngine(),
    checker,
    secret,
    token,
    ROTATION_STEPS,
    'faulted',
  );
  bench.plan.reset();

  // The re-drive runs in a new container, with no fault.
  const engine = bench.newEngine();
  const failures: string[] = [];
  const remaining = failedStep ? ROTATION_STEPS.slice(ROTATION_STEPS.indexOf(failedStep)) : [];
  if (redrive === 'retry-step' || redrive === 'retry-rotation') {
    const steps = redrive === 'retry-step' ? remaining : ROTATION_STEPS;
    const failed = await runSteps(bench, engine, checker, secret, token, steps, redrive);
    if (failed)
      failures.push(`${bench.manifest.type} k=${k} ${kind} ${redrive}: re-drive failed at ${failed}`);
  } else {
    // Give up: repair finishes or discards the stuck rotation, then a later rotation runs.
    const repair = new RotationRepair({
      engine,
      clients: bench.clients,
      secretsManager: bench.sm,
      stuckAfterSeconds: 0,
    });
    const results = await repair.applyAll(await repair.find(secret.arn));
    for (const result of results.filter((r) => r.outcome === 'retry-later' || r.outcome === 'needs-operator'))
      failures.push(`${bench.manifest.type} k=${k} ${kind} abandon: repair ${result.outcome}`);
    await checker.check('after repair');
    const next = await bench.startRotation(secret);
    const failed = await runSteps(bench, engine, checker, secret, next, ROTATION_STEPS, 'new rotation');
    if (failed)
      failures.push(`${bench.manifest.type} k=${k} ${kind} abandon: new rotation failed at ${failed}`);
  }
  await checker.completed(engine, 'completed');
  return { violations: [...checker.violations, ...failures], stepFailed: failedStep !== undefined };
}

for (const manifest of await vettedPartners()) {
  describe(`Fault matrix: ${manifest.type}`, () => {
    let bench: FaultBench;
    beforeAll(async () => {
      bench = await startBench(manifest, { faults: true, logger: silentLogger });
    });
    afterAll(async () => {
      await bench.close();
    });

    it('keeps I1–I5 for a fault at every call of a rotation, of every kind, under every re-drive', async () => {
      // Prepare
      const calls = await cleanRotationCalls(bench);

      // Act: independent cases (a fresh app each) run side by side, one bench lane each.
      const queue: [number, FaultKind, Redrive][] = [];
      for (let k = 1; k <= calls; k += 1)
        for (const kind of FAULT_KINDS) for (const redrive of REDRIVES) queue.push([k, kind, redrive]);
      const cases = queue.length;
      const violations: string[] = [];
      let failedRuns = 0;
      const lanes = [bench, ...(await Promise.all(Array.from({ length: LANES - 1 }, () => bench.fork())))];
      await Promise.all(
        lanes.map(async (lane) => {
          for (let next = queue.shift(); next; next = queue.shift()) {
            const outcome = await runCase(lane, ...next);
            violations.push(...outcome.violations);
            if (outcome.stepFailed) failedRuns += 1;
          }
        }),
      );
      await Promise.all(lanes.slice(1).map((lane) => lane.close()));

      // Assess
      console.log(
        `fault matrix ${manifest.type}: ${cases} cases (${calls} calls x ${FAULT_KINDS.length} fault kinds x ${REDRIVES.length} re-drives), ${failedRuns} with a failed step, ${violations.length} violations`,
      );
      // The faults bite: most cases fail a step (the rest are absorbed by a client's own retry).
      expect(failedRuns).toBeGreaterThan(cases / 2);
      expect(calls).toBeGreaterThan(0);
      expect(cases).toBe(calls * FAULT_KINDS.length * REDRIVES.length);
      expect(violations).toEqual([]);
    }, 600_000); // hundreds of rotations; a partner that mints RSA keys spends seconds of CPU on each batch
  });
}
