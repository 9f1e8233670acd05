/**
 * The generic bench (`bench.ts`) on the Salesforce simulator, typed so that Salesforce suites reach
 * the simulated org itself: its seed apps (`sim.seed`), extra apps, faults, request log and every
 * live credential.
 */
import manifest from '../../partners/salesforce/manifest.ts';
import { SalesforceSimulator } from '../../partners/salesforce/simulator/index.ts';
import type { SalesforceSecret } from '../../partners/salesforce/types.ts';
import { type Bench, type BenchOptions, type BenchSecret, startBench } from './bench.ts';

export type SalesforceBench = Bench<SalesforceSimulator, SalesforceSecret>;

/** A bench on a new Salesforce simulator; `options` as for {@link startBench}. */
export function startSalesforceBench(
  options: Omit<BenchOptions<SalesforceSimulator>, 'startSimulator'> = {},
): Promise<SalesforceBench> {
  return startBench<SalesforceSimulator, SalesforceSecret>(manifest, {
    ...options,
    startSimulator: () => SalesforceSimulator.start(),
  });
}

/**
 * A secret for the org's seed app (the demo secret `rotor simulate` prints), or for `value`, with
 * the seed's `apiVersion` as metadata unless `metadata` is given. Tests that must not share the
 * seed app's staged slot use `bench.createSecret()` (a fresh app) instead.
 */
export function createSalesforceSecret(
  bench: SalesforceBench,
  options: { value?: Record<string, string>; metadata?: Record<string, string>; name?: string } = {},
): Promise<BenchSecret<SalesforceSecret>> {
  const demo = manifest.demoSecret!(bench.sim.seed);
  return bench.createSecret({
    value: options.value ?? demo.value,
    metadata: options.metadata ?? demo.metadata,
    name: options.name,
  });
}

/**
 * Everything a re-run must not change: labels on versions, and every credential live in the org
 * (which ones, not only how many, so that a swapped credential shows).
 */
export async function orgSnapshot(bench: SalesforceBench, arn: string) {
  return {
    stages: await bench.stages(arn),
    versions: await bench.versionLabels(arn),
    live: bench.sim
      .liveCredentials()
      .map((c) => `${c.appId}:${c.kind}:${c.key}`)
      .sort(),
  };
}
