/** `rotor revoke <secret>`: revoke the rotated-out credential once its grace period is over. */
import { STSClient } from '@aws-sdk/client-sts';
import type { Command } from 'commander';
import { SecretsManagerClients } from '../../aws/roles.ts';
import { RotationEngine } from '../../engine/engine.ts';
import { RotorError } from '../../engine/errors.ts';
import {
  CliError,
  type EndpointOptions,
  isLoopbackEndpoint,
  localSimulatorUrls,
  resolveEndpoint,
  secretsManagerFor,
  withEndpointOptions,
} from '../output.ts';

export function registerRevoke(program: Command): void {
  withEndpointOptions(program.command('revoke'))
    .description('Revoke the credential under AWSPREVIOUS at the partner, if its grace period is over.')
    .argument('<secret>', 'secret name or ARN')
    .action(async (secret: string, options: EndpointOptions) => {
      const { endpoint, region } = resolveEndpoint(options);
      const engine = new RotationEngine({
        clients: new SecretsManagerClients({
          secretsManager: secretsManagerFor(endpoint, region),
          sts: new STSClient({ region }),
        }),
        // Simulators live on loopback; only the local stack's secrets point there.
        simulatorMode: isLoopbackEndpoint(endpoint),
        simulatorUrls: await localSimulatorUrls(endpoint),
      });
      try {
        const outcome = await engine.revokePrevious(secret);
        const notes = {
          revoked: 'The previous credential was revoked at the partner.',
          'already-gone': 'The previous credential was already gone at the partner.',
          'no-previous': 'The secret has no AWSPREVIOUS version: nothing to revoke.',
          'grace-period': `The grace period is not over; the previous credential stays live until ${outcome.notBefore?.toISOString()}.`,
        };
        process.stdout.write(`${notes[outcome.reason]}\n`);
      } catch (error) {
        if (error instanceof RotorError) throw new CliError(`[${error.category}] ${error.message}`);
        throw error;
      }
    });
}
