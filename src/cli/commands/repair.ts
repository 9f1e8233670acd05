/**
 * `rotor repair [<secret>] [--apply]`: finds stuck rotations (AWSPENDING on another version than
 * AWSCURRENT for longer than a threshold) and shows the safe fix; with `--apply`, makes it. The fix
 * never touches the credential under AWSCURRENT.
 */
import { STSClient } from '@aws-sdk/client-sts';
import type { Command } from 'commander';
import { SecretsManagerClients } from '../../aws/roles.ts';
import { RotationEngine } from '../../engine/engine.ts';
import { DEFAULT_STUCK_AFTER_SECONDS, type RepairResult, RotationRepair } from '../../engine/repair.ts';
import { DEFAULT_ACCOUNT_ID } from '../../local/stack.ts';
import {
  CliError,
  type EndpointOptions,
  isLoopbackEndpoint,
  localSimulatorUrls,
  resolveEndpoint,
  secretsManagerFor,
  withEndpointOptions,
} from '../output.ts';

const OUTCOMES: Record<RepairResult['outcome'], string> = {
  finished: 'finished: the pending credential tested good at the source and is now AWSCURRENT',
  discarded: 'discarded at the source; AWSPENDING cleared',
  'label-cleared': 'AWSPENDING cleared',
  revoked: 'orphan credential revoked at the source',
  'retry-later': 'not changed: the source or AWS is unavailable or throttling; run repair again later',
  'needs-operator': 'not changed: needs an operator',
};

function parseSeconds(raw: string): number {
  if (!/^[0-9]{1,8}$/.test(raw)) throw new CliError('--older-than must be a whole number of seconds.');
  return Number(raw);
}

export function registerRepair(program: Command): void {
  withEndpointOptions(program.command('repair'))
    .description(
      'Find stuck rotations and show the safe fix; --apply makes it (AWSCURRENT is never touched).',
    )
    .argument('[secret]', 'secret name or ARN (default: every secret of the account)')
    .option('--apply', 'apply the fixes (default: only show them)', false)
    .option(
      '--older-than <seconds>',
      'a pending rotation older than this is stuck',
      parseSeconds,
      DEFAULT_STUCK_AFTER_SECONDS,
    )
    .action(
      async (
        secret: string | undefined,
        options: EndpointOptions & { apply: boolean; olderThan: number },
      ) => {
        const { endpoint, region } = resolveEndpoint(options);
        const secretsManager = secretsManagerFor(endpoint, region);
        // Simulators live on loopback; only the local stack's secrets point there. The local stack
        // serves one account and (for now) no STS, so its account id is not looked up.
        const local = isLoopbackEndpoint(endpoint);
        const clients = new SecretsManagerClients({
          secretsManager,
          sts: new STSClient({ region }),
          engineAccountId: local ? DEFAULT_ACCOUNT_ID : undefined,
        });
        const engine = new RotationEngine({
          clients,
          simulatorMode: local,
          simulatorUrls: await localSimulatorUrls(endpoint),
        });
        const repair = new RotationRepair({
          engine,
          clients,
          secretsManager,
          stuckAfterSeconds: options.olderThan,
        });
        const findings = await repair.find(secret);
        if (findings.length === 0) {
          process.stdout.write(
            `No stuck rotations or orphan credentials${secret ? ` for ${secret}` : ''}.\n`,
          );
          return;
        }
        for (const f of findings) {
          process.stdout.write(
            f.orphan
              ? `ORPHAN ${f.name} credential ${f.orphan.id}\n  fix: ${f.fix}\n`
              : `STUCK ${f.name} version ${f.versionId} (${f.kind}, pending for ${f.ageSeconds} s)\n  fix: ${f.fix}\n`,
          );
        }
        if (!options.apply) {
          process.stdout.write('Run again with --apply to make these fixes.\n');
          return;
        }
        const results = await repair.applyAll(findings);
        for (const r of results) {
          const reason = r.reason ? ` [${r.reason.category}] ${r.reason.message}` : '';
          process.stdout.write(`${r.finding.name}: ${OUTCOMES[r.outcome]}${reason}\n`);
        }
        const unresolved = results.filter(
          (r) => r.outcome === 'retry-later' || r.outcome === 'needs-operator',
        );
        if (unresolved.length > 0) throw new CliError(`${unresolved.length} stuck rotation(s) not repaired.`);
      },
    );
}
