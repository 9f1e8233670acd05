/** `rotor simulate <Type>`: one partner's simulator in the foreground, its org printed as JSON. */
import type { Command } from 'commander';
import { InvalidConfigurationError } from '../../engine/errors.ts';
import { PartnerCatalog } from '../../runtime/catalog.ts';
import { CliError } from '../output.ts';

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      "Run a partner's simulator on loopback and print its base URL and seeded credentials as JSON.",
    )
    .argument('<type>', 'partner type, e.g. SalesforceClientSecret')
    .option('--port <port>', 'port to listen on (default: any free port)', (v) => Number(v), 0)
    .action(async (type: string, options: { port: number }) => {
      if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
        throw new CliError('Invalid --port; use 0–65535.');
      }
      let simulator: Awaited<ReturnType<Awaited<ReturnType<PartnerCatalog['resolve']>>['startSimulator']>>;
      try {
        simulator = await (await new PartnerCatalog().resolve(type)).startSimulator({ port: options.port });
      } catch (error) {
        if (error instanceof InvalidConfigurationError) throw new CliError(error.message);
        throw error;
      }
      process.stdout.write(
        `${JSON.stringify({ type, baseUrl: simulator.baseUrl, seed: simulator.seed }, null, 2)}\n`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await simulator.close();
    });
}
