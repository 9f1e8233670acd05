/** The local Secrets Manager service used in-process (no HTTP), its options and its helpers. */
import { describe, expect, it, vi } from 'vitest';
import {
  InvalidParameterError,
  type RotationRequest,
  regionFromAuthorization,
  SECRETS_COLLECTION,
  SecretsManagerService,
  type SecretsManagerServiceOptions,
  SerializationError,
  UnknownOperationError,
} from '../../src/local/secrets-manager/index.ts';
import { paginate } from '../../src/local/secrets-manager/pagination.ts';
import { LocalStorage } from '../../src/local/storage/index.ts';

const REGION = { region: 'us-east-1' };
const START = new Date('2026-05-10T12:00:00.000Z');
const HOUR_MS = 3_600_000;

type Output = Record<string, unknown>;

function setUp(options: Omit<SecretsManagerServiceOptions, 'now'> = {}) {
  let now = START;
  const service = new SecretsManagerService({ ...options, now: () => now });
  const call = async (operation: string, input: unknown) =>
    (await service.handle(operation, input, REGION)) as Output;
  return {
    service,
    call,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

describe('Class: SecretsManagerService', () => {
  describe('Method: handle', () => {
    it('returns wire-level JSON: epoch-second numbers and base64 binaries', async () => {
      // Prepare
      const { call } = setUp();
      await call('CreateSecret', { Name: 'bin', SecretBinary: Buffer.from([1, 2, 3]).toString('base64') });

      // Act
      const value = await call('GetSecretValue', { SecretId: 'bin' });

      // Assess
      expect(value.SecretBinary).toBe('AQID');
      expect(value.CreatedDate).toBe(START.getTime() / 1000);
    });

    it('throws UnknownOperationError for an unknown or prototype-named operation', async () => {
      // Prepare
      const { service } = setUp();

      // Act
      const unknown = service.handle('StealSecrets', {}, REGION);
      const prototypeKey = service.handle('constructor', {}, REGION);

      // Assess
      await expect(unknown).rejects.toBeInstanceOf(UnknownOperationError);
      await expect(prototypeKey).rejects.toMatchObject({
        type: 'UnknownOperationException',
        statusCode: 400,
      });
    });

    it('throws SerializationError for an input that is not an object', async () => {
      // Prepare
      const { service } = setUp();

      // Act
      const call = service.handle('ListSecrets', 'nope', REGION);

      // Assess
      await expect(call).rejects.toBeInstanceOf(SerializationError);
    });

    it('throws InvalidParameterError for a malformed Region', async () => {
      // Prepare
      const { service } = setUp();

      // Act
      const call = service.handle('ListSecrets', {}, { region: 'us east/1' });

      // Assess
      await expect(call).rejects.toBeInstanceOf(InvalidParameterError);
    });

    it('puts the configured account id in ARNs', async () => {
      // Prepare
      const { call } = setUp({ accountId: '123456789012' });

      // Act
      const created = await call('CreateSecret', { Name: 'acct' });

      // Assess
      expect(created.ARN).toMatch(
        /^arn:aws:secretsmanager:us-east-1:123456789012:secret:acct-[A-Za-z0-9]{6}$/,
      );
    });

    it('serialises errors as the AWS JSON 1.1 body', async () => {
      // Prepare
      const { service } = setUp();

      // Act
      const error = await service
        .handle('DescribeSecret', { SecretId: 'missing' }, REGION)
        .catch((caught) => caught);

      // Assess
      expect(JSON.parse(JSON.stringify(error))).toEqual({
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
    });
  });

  describe('Option: onRotationRequested', () => {
    it('runs after the AWSPENDING version exists, and its failures are ignored', async () => {
      // Prepare
      const seen: { request: RotationRequest; stages: unknown }[] = [];
      let service!: SecretsManagerService;
      service = new SecretsManagerService({
        onRotationRequested: async (request) => {
          const described = (await service.handle(
            'DescribeSecret',
            { SecretId: request.secretArn },
            REGION,
          )) as Output;
          seen.push({ request, stages: described.VersionIdsToStages });
          throw new Error('ignored');
        },
      });
      await service.handle('CreateSecret', { Name: 'hooked', SecretString: 'v' }, REGION);

      // Act
      const rotated = (await service.handle(
        'RotateSecret',
        { SecretId: 'hooked', RotationLambdaARN: 'arn:aws:lambda:us-east-1:000000000000:function:f' },
        REGION,
      )) as Output;
      await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 1_000, interval: 2 });

      // Assess
      expect(seen[0]?.request).toMatchObject({
        versionId: rotated.VersionId,
        rotateImmediately: true,
        region: 'us-east-1',
      });
      expect(Object.values(seen[0]?.stages as Record<string, string[]>)).toContainEqual(['AWSPENDING']);
    });

    it('ignores a hook that throws synchronously', async () => {
      // Prepare
      const hook = vi.fn(() => {
        throw new Error('sync failure');
      });
      const service = new SecretsManagerService({ onRotationRequested: hook });
      await service.handle(
        'CreateSecret',
        { Name: 's', SecretString: 'v', Type: 'BigIDClientSecret' },
        REGION,
      );

      // Act
      const rotated = await service.handle('RotateSecret', { SecretId: 's' }, REGION);
      await vi.waitFor(() => expect(hook).toHaveBeenCalledTimes(1), { timeout: 1_000, interval: 2 });

      // Assess
      expect(rotated).toHaveProperty('VersionId');
    });
  });

  describe('Options for behaviour AWS does not document', () => {
    it('keeps AWSPENDING on a manual write when abandonRotationOnManualWrite is false', async () => {
      // Prepare
      const { call } = setUp({ abandonRotationOnManualWrite: false });
      await call('CreateSecret', { Name: 'keep', SecretString: 'v' });
      const rotated = await call('RotateSecret', { SecretId: 'keep', RotationLambdaARN: 'arn:aws:lambda:x' });

      // Act
      await call('PutSecretValue', { SecretId: 'keep', SecretString: 'manual' });
      const described = await call('DescribeSecret', { SecretId: 'keep' });

      // Assess
      expect((described.VersionIdsToStages as Record<string, string[]>)[rotated.VersionId as string]).toEqual(
        ['AWSPENDING'],
      );
    });

    it('lets AWSCURRENT be removed when allowCurrentLabelRemoval is true', async () => {
      // Prepare
      const { call } = setUp({ allowCurrentLabelRemoval: true });
      const created = await call('CreateSecret', { Name: 'bare', SecretString: 'v' });

      // Act
      await call('UpdateSecretVersionStage', {
        SecretId: 'bare',
        VersionStage: 'AWSCURRENT',
        RemoveFromVersionId: created.VersionId,
      });
      const versions = await call('ListSecretVersionIds', { SecretId: 'bare' });

      // Assess
      expect(versions.Versions).toEqual([]);
    });

    it('lets Type change when allowTypeChange is true', async () => {
      // Prepare
      const { call } = setUp({ allowTypeChange: true });
      await call('CreateSecret', { Name: 'typed', Type: 'A' });

      // Act
      await call('UpdateSecret', { SecretId: 'typed', Type: 'B' });
      const described = await call('DescribeSecret', { SecretId: 'typed' });

      // Assess
      expect(described.Type).toBe('B');
    });

    it('applies maxVersions and deprecatedVersionMinAgeMs', async () => {
      // Prepare
      const { call, advance } = setUp({ maxVersions: 3, deprecatedVersionMinAgeMs: HOUR_MS });
      const first = await call('CreateSecret', { Name: 'cap', SecretString: '1' });
      await call('PutSecretValue', { SecretId: 'cap', SecretString: '2' });
      await call('PutSecretValue', { SecretId: 'cap', SecretString: '3' });

      // Act
      const blocked = await call('PutSecretValue', { SecretId: 'cap', SecretString: '4' }).catch(
        (error) => error,
      );
      advance(HOUR_MS);
      await call('PutSecretValue', { SecretId: 'cap', SecretString: '4' });
      const versions = await call('ListSecretVersionIds', { SecretId: 'cap', IncludeDeprecated: true });

      // Assess
      expect(blocked).toMatchObject({ type: 'LimitExceededException' });
      expect((versions.Versions as Output[]).map((version) => version.VersionId)).not.toContain(
        first.VersionId,
      );
    });

    it('refuses invalid options at construction', () => {
      // Act & Assess
      expect(() => new SecretsManagerService({ accountId: 'abc' })).toThrow(TypeError);
      expect(() => new SecretsManagerService({ defaultRegion: 'Not A Region' })).toThrow(TypeError);
      expect(() => new SecretsManagerService({ maxVersions: 0 })).toThrow(TypeError);
    });
  });
});

describe('Function: regionFromAuthorization', () => {
  it('reads the Region from the SigV4 credential scope', () => {
    // Act
    const region = regionFromAuthorization(
      'AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-north-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=ab',
    );

    // Assess
    expect(region).toBe('eu-north-1');
  });

  it('returns undefined without a header or for another service', () => {
    // Act & Assess
    expect(regionFromAuthorization(undefined)).toBeUndefined();
    expect(
      regionFromAuthorization('AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-north-1/s3/aws4_request'),
    ).toBeUndefined();
  });
});

describe('Function: paginate', () => {
  it('pages through items with tokens bound to their scope', () => {
    // Prepare
    const items = [1, 2, 3, 4, 5];

    // Act
    const first = paginate(items, 2, undefined, 'scope-a');
    const second = paginate(items, 2, first.nextToken, 'scope-a');
    const last = paginate(items, 2, second.nextToken, 'scope-a');

    // Assess
    expect([first.items, second.items, last.items]).toEqual([[1, 2], [3, 4], [5]]);
    expect(last.nextToken).toBeUndefined();
    expect(() => paginate(items, 2, first.nextToken, 'scope-b')).toThrow(
      expect.objectContaining({ type: 'InvalidNextTokenException' }),
    );
    expect(() => paginate(items, 2, '%%%', 'scope-a')).toThrow(
      expect.objectContaining({ type: 'InvalidNextTokenException' }),
    );
  });
});

describe('Class: SecretsManagerService (one request, one atomic change)', () => {
  it('leaves no trace of a request that fails half-way', async () => {
    // Prepare: the replica Region list names the primary's own Region, which fails after the secret was added
    const { call } = setUp();

    // Act
    const failure = await call('CreateSecret', {
      Name: 'half',
      SecretString: 'x',
      AddReplicaRegions: [{ Region: 'eu-west-1' }, { Region: 'us-east-1' }],
    }).catch((error: unknown) => error);
    const listed = await call('ListSecrets', {});
    const west = (await new SecretsManagerService().handle(
      'ListSecrets',
      {},
      { region: 'eu-west-1' },
    )) as Output;

    // Assess
    expect(failure).toBeInstanceOf(InvalidParameterError);
    expect(listed.SecretList).toEqual([]);
    expect(west.SecretList).toEqual([]);
  });

  it('persists every committed request and reloads it in a new service', async () => {
    // Prepare
    const storage = LocalStorage.open();
    const persistence = {
      collection: storage.collection<never>(SECRETS_COLLECTION, { encrypted: true }),
      transaction: <T>(work: () => T) => storage.transaction(work),
    };
    const first = new SecretsManagerService({}, { persistence });
    await first.handle(
      'CreateSecret',
      { Name: 'kept', SecretString: 'v1', Tags: [{ Key: 't', Value: '1' }] },
      REGION,
    );
    await first.handle('PutSecretValue', { SecretId: 'kept', SecretString: 'v2' }, REGION);
    await first
      .handle(
        'PutSecretValue',
        { SecretId: 'kept', SecretString: 'v3', VersionStages: ['AWSCURRENT'], ClientRequestToken: 'short' },
        REGION,
      )
      .catch(() => undefined);

    // Act
    const second = new SecretsManagerService({}, { persistence });
    const value = (await second.handle('GetSecretValue', { SecretId: 'kept' }, REGION)) as Output;
    const described = (await second.handle('DescribeSecret', { SecretId: 'kept' }, REGION)) as Output;
    storage.close();

    // Assess
    expect(value.SecretString).toBe('v2');
    expect(described.Tags).toEqual([{ Key: 't', Value: '1' }]);
    expect(
      Object.values(described.VersionIdsToStages as object)
        .flat()
        .sort(),
    ).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
  });

  it('changes nothing it would have to persist when it only reads (reads are not compared with the store)', async () => {
    // Prepare: a secret with versions, labels, tags, rotation and a replica; reads on a later day
    const storage = LocalStorage.open();
    const persistence = {
      collection: storage.collection<never>(SECRETS_COLLECTION, { encrypted: true }),
      transaction: <T>(work: () => T) => storage.transaction(work),
    };
    let now = START;
    const first = new SecretsManagerService({ now: () => now }, { persistence });
    const call = (service: SecretsManagerService, operation: string, input: unknown) =>
      service.handle(operation, input, REGION) as Promise<Output>;
    await call(first, 'CreateSecret', {
      Name: 'full',
      SecretString: 'v1',
      Tags: [{ Key: 't', Value: '1' }],
      AddReplicaRegions: [{ Region: 'eu-west-1' }],
    });
    await call(first, 'PutSecretValue', { SecretId: 'full', SecretString: 'v2' });
    await call(first, 'RotateSecret', {
      SecretId: 'full',
      RotationLambdaARN: 'arn:aws:lambda:us-east-1:000000000000:function:rotor-rotation',
      RotationRules: { AutomaticallyAfterDays: 7 },
    });
    now = new Date(START.getTime() + 48 * HOUR_MS);

    // Act
    await call(first, 'DescribeSecret', { SecretId: 'full' });
    await call(first, 'ListSecretVersionIds', { SecretId: 'full', IncludeDeprecated: true });
    await call(first, 'ListSecrets', {});
    await call(first, 'GetRandomPassword', {});
    const reloaded = new SecretsManagerService({ now: () => now }, { persistence });
    const views = async (service: SecretsManagerService) => [
      await call(service, 'DescribeSecret', { SecretId: 'full' }),
      await call(service, 'ListSecretVersionIds', { SecretId: 'full', IncludeDeprecated: true }),
    ];
    const [inMemory, stored] = [await views(first), await views(reloaded)];
    storage.close();

    // Assess
    expect(stored).toEqual(inMemory);
  });
});
