/** `rotor partner test <dir>`: the plugin's own tests, then the shared conformance suite against it. */
import { isAbsolute, join } from 'node:path';
import type { Command } from 'commander';
import { runConformance, runPluginTests } from '../../kit/run-tests.ts';
import { REPO_ROOT } from '../../runtime/plugin-files.ts';
import { CliError } from '../output.ts';

export function registerPartnerTest(partner: Command): void {
  partner
    .command('test')
    .description("Run a plugin's tests and the shared conformance suite against it and its simulator.")
    .argument('<dir>', 'plugin folder, e.g. partners/acme-api-key')
    .action(async (dir: string) => {
      const pluginDir = isAbsolute(dir) ? dir : join(process.cwd(), dir);
      const own = await runPluginTests(REPO_ROOT, pluginDir);
      if (own !== 0) throw new CliError(`The plugin's own tests failed (exit ${own}).`, own);
      const conformance = await runConformance(REPO_ROOT, pluginDir);
      if (conformance !== 0)
        throw new CliError(`The conformance suite failed (exit ${conformance}).`, conformance);
      process.stdout.write(`${dir}: plugin tests and conformance suite passed.\n`);
    });
}
