/** `rotor partner new <Type>`: scaffold a plugin folder that lints and passes its tests. */
import type { Command } from 'commander';
import { InvalidConfigurationError } from '../../engine/errors.ts';
import { kebabCase, scaffoldPartner } from '../../kit/scaffold.ts';
import { CliError } from '../output.ts';

export function registerPartnerNew(partner: Command): void {
  partner
    .command('new')
    .description('Scaffold a partner plugin: manifest, schemas, rotator, simulator, README and tests.')
    .argument('<type>', 'the new partner Type in PascalCase, e.g. AcmeApiKey')
    .option('--dir <dir>', 'plugin folder (default: partners/<kebab-case type>)')
    .option('--schemas-dir <dir>', 'where the two schemas go (default: schemas)')
    .action((type: string, options: { dir?: string; schemasDir?: string }) => {
      try {
        const { dir, files } = scaffoldPartner({ type, dir: options.dir, schemasDir: options.schemasDir });
        process.stdout.write(
          `Scaffolded ${type} in ${dir}:\n${files.map((f) => `  ${f}`).join('\n')}\n\nNext: npx rotor partner test ${options.dir ?? `partners/${kebabCase(type)}`}\n`,
        );
      } catch (error) {
        if (error instanceof InvalidConfigurationError) throw new CliError(error.message);
        throw error;
      }
    });
}
