/** The `rotor` command. */
import { Command } from 'commander';
import { registerConsole } from './commands/console.ts';
import { registerEvents } from './commands/events.ts';
import { registerLocal } from './commands/local.ts';
import { registerPartner } from './commands/partner.ts';
import { registerPreflight } from './commands/preflight.ts';
import { registerRepair } from './commands/repair.ts';
import { registerRevoke } from './commands/revoke.ts';
import { registerRotate } from './commands/rotate.ts';
import { registerSimulate } from './commands/simulate.ts';
import { CliError } from './output.ts';

const program = new Command('rotor')
  .description('Rotor: rotate partner credentials at the source first, then in AWS Secrets Manager.')
  .showHelpAfterError()
  .option(
    '--allow-unvetted',
    'also load partner plugins that are not in the signed catalog, or whose files changed (ROTOR_ALLOW_UNVETTED=1)',
  )
  .hook('preAction', (command) => {
    if (command.opts<{ allowUnvetted?: boolean }>().allowUnvetted) process.env.ROTOR_ALLOW_UNVETTED = '1';
    const flag = process.env.ROTOR_ALLOW_UNVETTED;
    if (flag === '1' || flag?.toLowerCase() === 'true') {
      process.stderr.write(
        '\n!!! WARNING: UNVETTED partner plugins are allowed. Plugin code that was not reviewed, or that changed\n' +
          '!!! after vetting, may run with access to your secrets. Never do this in production.\n\n',
      );
    }
  });

registerLocal(program);
registerSimulate(program);
registerRotate(program);
registerRevoke(program);
registerPartner(program);
registerEvents(program);
registerConsole(program);
registerRepair(program);
registerPreflight(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`rotor: ${message}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : 1;
}
