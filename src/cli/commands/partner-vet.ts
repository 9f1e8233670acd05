/** `rotor partner vet <dir>`: conformance + static checks, then the plugin's signed catalog entry. */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Command } from 'commander';
import { InvalidConfigurationError } from '../../engine/errors.ts';
import { runConformance } from '../../kit/run-tests.ts';
import { vetPlugin } from '../../kit/vet.ts';
import { CATALOG_FILE } from '../../runtime/catalog-file.ts';
import { REPO_ROOT } from '../../runtime/plugin-files.ts';
import { CliError } from '../output.ts';

export function registerPartnerVet(partner: Command): void {
  partner
    .command('vet')
    .description(
      `Vet a plugin (manifest, hooks, static import checks, conformance) and write its signed entry in ${CATALOG_FILE}.`,
    )
    .argument('<dir>', 'plugin folder inside this repository, e.g. partners/acme-api-key')
    .option(
      '--signing-key <file>',
      'ed25519 private key (PEM) to sign the catalog with (default: ROTOR_CATALOG_SIGNING_KEY, else the development key)',
    )
    .action(async (dir: string, options: { signingKey?: string }) => {
      const keyFile = options.signingKey ?? process.env.ROTOR_CATALOG_SIGNING_KEY;
      try {
        const { entry, devKey } = await vetPlugin({
          dir: isAbsolute(dir) ? dir : join(process.cwd(), dir),
          signingKeyPem: keyFile ? readFileSync(keyFile, 'utf8') : undefined,
          runConformance: (pluginDir) => runConformance(REPO_ROOT, pluginDir),
        });
        process.stdout.write(
          `Vetted ${entry.type}@${entry.version} (${entry.digest}) into ${CATALOG_FILE}.\n`,
        );
        if (devKey) {
          process.stderr.write(
            'Note: signed with the DEVELOPMENT key. Production catalogs are signed with an offline key; operators pin its public half with ROTOR_CATALOG_PUBLIC_KEY.\n',
          );
        }
      } catch (error) {
        if (error instanceof InvalidConfigurationError) throw new CliError(error.message);
        throw error;
      }
    });
}
