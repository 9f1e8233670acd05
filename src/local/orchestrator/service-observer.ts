/**
 * Watches a {@link SecretsManagerService} from the outside, as Secrets Manager's own event
 * machinery would: after every write it compares the secret's staging labels before and after and
 * reports the moves to the orchestrator (label events, manual writes, abandonment), and it adds
 * `NextRotationDate` to DescribeSecret and ListSecrets answers. Wrapping `handle` keeps the
 * service's files untouched; every caller (HTTP listener, handler, orchestrator) goes through it.
 */
import type { SecretsManagerService } from '../secrets-manager/index.ts';
import type { LabelChange } from './label-changes.ts';
import type { DescribedSecret } from './port.ts';

/** Writes that can move labels. */
const LABEL_WRITES: ReadonlySet<string> = new Set([
  'CreateSecret',
  'PutSecretValue',
  'UpdateSecret',
  'UpdateSecretVersionStage',
  'RotateSecret',
]);

export interface ServiceObserver {
  onLabelsChanged(change: LabelChange): Promise<void>;
  nextRotationDate(described: DescribedSecret): Promise<Date | undefined>;
}

type Handle = SecretsManagerService['handle'];

function labelsOf(described: DescribedSecret | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [versionId, stages] of Object.entries(described?.VersionIdsToStages ?? {})) {
    for (const stage of stages) labels[stage] = versionId;
  }
  return labels;
}

/**
 * Installs the observer on `service` (once) and returns a function that removes it.
 *
 * @example
 * ```ts
 * const detach = observeService(service, orchestrator);
 * ```
 */
export function observeService(service: SecretsManagerService, observer: ServiceObserver): () => void {
  const original: Handle = service.handle.bind(service);
  // Writes run one at a time so each before/after pair sees only its own write.
  let queue: Promise<unknown> = Promise.resolve();

  const describeQuietly = async (secretId: unknown, ctx: Parameters<Handle>[2]) => {
    if (typeof secretId !== 'string') return undefined;
    try {
      return (await original('DescribeSecret', { SecretId: secretId }, ctx)) as DescribedSecret;
    } catch {
      return undefined;
    }
  };

  const withNextRotationDate = async (described: DescribedSecret): Promise<DescribedSecret> => {
    const next = await observer.nextRotationDate(described);
    return next === undefined
      ? described
      : ({ ...described, NextRotationDate: next.getTime() / 1000 } as DescribedSecret);
  };

  const observedWrite = async (operation: string, input: unknown, ctx: Parameters<Handle>[2]) => {
    const fields = (input ?? {}) as { SecretId?: unknown; Name?: unknown };
    const before = await describeQuietly(fields.SecretId ?? fields.Name, ctx);
    const output = (await original(operation, input, ctx)) as { ARN?: string };
    const after = await describeQuietly(output.ARN ?? before?.ARN, ctx);
    if (after !== undefined) {
      void observer
        .onLabelsChanged({
          secretArn: after.ARN,
          name: after.Name,
          region: ctx.region,
          before: labelsOf(before),
          after: labelsOf(after),
        })
        .catch(() => undefined);
    }
    return output;
  };

  const handle: Handle = async (operation, input, ctx) => {
    if (LABEL_WRITES.has(operation)) {
      const result = queue.then(() => observedWrite(operation, input, ctx));
      queue = result.catch(() => undefined);
      return result;
    }
    const output = await original(operation, input, ctx);
    if (operation === 'DescribeSecret') return withNextRotationDate(output as DescribedSecret);
    if (operation === 'ListSecrets') {
      const list = output as { SecretList?: DescribedSecret[] };
      if (list.SecretList) {
        return { ...list, SecretList: await Promise.all(list.SecretList.map(withNextRotationDate)) };
      }
    }
    return output;
  };
  service.handle = handle;
  return () => {
    service.handle = original;
  };
}
