/** The conformance probe of the Snowflake simulator: fresh users, and which keys log in. */
import type { SimulatorProbe } from '../../../src/runtime/partner.ts';
import type { SnowflakeSecret } from '../types.ts';
import type { SnowflakeSimulator } from './index.ts';

export function snowflakeProbe(simulator: SnowflakeSimulator): SimulatorProbe<SnowflakeSecret> {
  let users = 0;
  return {
    async freshSecret() {
      users += 1;
      const value = await simulator.createUser(`CONFORMANCE_USER_${users}`);
      return { value, metadata: {} };
    },
    async authenticates(value) {
      return simulator.authenticates(value);
    },
    async liveCredentials(value) {
      return simulator.liveKeys(value.account, value.user);
    },
    advanceTime(ms) {
      simulator.advanceTime(ms);
    },
  };
}
