/** The `rotor` command. */
import { Command } from 'commander';
import { registerLocal } from './commands/local.ts';
import { registerRepair } from './commands/repair.ts';
import { registerRevoke } from './commands/revoke.ts';
import { registerRotate } from './commands/rotate.ts';
import { registerSimulate } from './commands/simulate.ts';
import { CliError } from './output.ts';

const program = new Command('rotor')
  .description('Rotor: rotate partner credentials at the source first, then in AWS Secrets Manager.')
  .showHelpAfterError();

registerLocal(program);
registerSimulate(program);
registerRotate(program);
registerRevoke(program);
registerRepair(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`rotor: ${message}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : 1;
}
