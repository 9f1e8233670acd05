/** `rotor partner list`: the catalog — type, version, title, and whether its files still match. */
import type { Command } from 'commander';
import { InvalidConfigurationError } from '../../engine/errors.ts';
import { PartnerCatalog } from '../../runtime/catalog.ts';
import { localPluginDirs, REPO_ROOT } from '../../runtime/plugin-files.ts';
import { CliError } from '../output.ts';

export interface PartnerListRow {
  type: string;
  version: string;
  title: string;
  path: string;
  status: string;
}

export function registerPartnerList(partner: Command): void {
  partner
    .command('list')
    .description('Show the vetted catalog: type, version, title, folder and digest status.')
    .option('--json', 'print JSON instead of a table')
    .action((options: { json?: boolean }) => {
      let rows: PartnerListRow[];
      try {
        const catalog = new PartnerCatalog();
        rows = catalog.entries().map((entry) => {
          const status = catalog.verify(entry.type);
          return {
            type: entry.type,
            version: entry.version,
            title: entry.title,
            path: entry.path,
            status: status.ok ? 'vetted, digest ok' : `TAMPERED: ${status.file} ${status.change}`,
          };
        });
        const vettedPaths = new Set(rows.map((r) => r.path));
        for (const path of localPluginDirs(REPO_ROOT).filter((p) => !vettedPaths.has(p))) {
          rows.push({ type: '?', version: '?', title: '?', path, status: 'UNVETTED (not in the catalog)' });
        }
      } catch (error) {
        if (error instanceof InvalidConfigurationError) throw new CliError(error.message);
        throw error;
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const header: PartnerListRow = {
        type: 'TYPE',
        version: 'VERSION',
        title: 'TITLE',
        path: 'FOLDER',
        status: 'STATUS',
      };
      const keys = Object.keys(header) as (keyof PartnerListRow)[];
      const widths = keys.map((k) => Math.max(...[header, ...rows].map((r) => r[k].length)));
      for (const row of [header, ...rows]) {
        process.stdout.write(
          `${keys
            .map((k, i) => row[k].padEnd(widths[i] ?? 0))
            .join('  ')
            .trimEnd()}\n`,
        );
      }
    });
}
