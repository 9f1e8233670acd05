/** The conformance probe of the Salesforce simulator: fresh apps, and what authenticates. */
import type { SimulatorProbe } from '../../../src/runtime/partner.ts';
import type { SalesforceSecret } from '../types.ts';
import type { SalesforceSimulator } from './index.ts';

export function salesforceProbe(simulator: SalesforceSimulator): SimulatorProbe<SalesforceSecret> {
  let apps = 0;
  return {
    async freshSecret() {
      apps += 1;
      const app = simulator.addApp(`ConformanceApp${apps}`);
      return {
        value: { ...app, baseUri: simulator.baseUrl },
        metadata: { apiVersion: simulator.seed.apiVersion },
      };
    },
    async authenticates(value) {
      return simulator.authenticates(value.consumerKey, value.consumerSecret);
    },
    async liveCredentials(value) {
      return simulator.liveCredentials(value.appId).length;
    },
    advanceTime(ms) {
      simulator.advanceTime(ms);
    },
  };
}
