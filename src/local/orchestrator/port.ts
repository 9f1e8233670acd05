/**
 * How the orchestrator reaches the local Secrets Manager: in process, one operation at a time, in
 * the AWS JSON 1.1 shapes. The stack adapts whatever its service takes (identity, Region) to this.
 */
import type { SecretsManagerService } from '../secrets-manager/index.ts';

export interface SecretsManagerPort {
  /** Runs `operation`; rejects with the service's typed error (`type` is the AWS `__type`). */
  call(operation: string, input: Record<string, unknown>, region: string): Promise<Record<string, unknown>>;
}

/**
 * A port straight onto a {@link SecretsManagerService}, acting as the service itself (no caller
 * identity: the orchestrator plays Secrets Manager).
 *
 * @example
 * ```ts
 * const port = servicePort(service);
 * const described = await port.call('DescribeSecret', { SecretId: arn }, 'us-east-1');
 * ```
 */
export function servicePort(service: SecretsManagerService): SecretsManagerPort {
  return {
    call: async (operation, input, region) =>
      (await service.handle(operation, input, { region })) as Record<string, unknown>,
  };
}

/** The parts of DescribeSecret the orchestrator reads. */
export interface DescribedSecret {
  ARN: string;
  Name: string;
  Type?: string;
  RotationEnabled?: boolean;
  RotationRules?: { AutomaticallyAfterDays?: number; ScheduleExpression?: string; Duration?: string };
  ExternalSecretRotationRoleArn?: string;
  LastRotatedDate?: number;
  CreatedDate: number;
  DeletedDate?: number;
  VersionIdsToStages?: Record<string, string[]>;
}

/** The version holding `label`, from a DescribeSecret answer. */
export function versionWithLabel(described: DescribedSecret, label: string): string | undefined {
  return Object.entries(described.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes(label))?.[0];
}

export async function describe(
  port: SecretsManagerPort,
  secretId: string,
  region: string,
): Promise<DescribedSecret> {
  return (await port.call('DescribeSecret', { SecretId: secretId }, region)) as unknown as DescribedSecret;
}
