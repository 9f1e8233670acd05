/** The `rotor:consumer-ttl` engine setting: read from metadata or tags, checked against the grace period. */
import { describe, expect, it } from 'vitest';
import {
  CONSUMER_TTL_KEY,
  effectiveGracePeriod,
  GRACE_PERIOD_KEY,
  resolvePartnerConfig,
} from '../../src/aws/resolver.ts';
import { InvalidConfigurationError } from '../../src/engine/errors.ts';

const ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:app-AbCdEf';

describe('Function: resolvePartnerConfig (consumer TTL)', () => {
  it('reads the consumer TTL from metadata and keeps it out of the partner metadata', () => {
    // Act
    const config = resolvePartnerConfig({
      $metadata: {},
      ARN,
      Type: 'SalesforceClientSecret',
      ExternalSecretRotationMetadata: [
        { Key: 'apiVersion', Value: 'v65.0' },
        { Key: CONSUMER_TTL_KEY, Value: '300' },
      ],
    });

    // Assess
    expect(config.consumerTtlSeconds).toBe(300);
    expect(config.metadata).toEqual({ apiVersion: 'v65.0' });
  });

  it('reads the consumer TTL from the rotor:consumer-ttl tag on real AWS', () => {
    // Act
    const config = resolvePartnerConfig({
      $metadata: {},
      ARN,
      Tags: [
        { Key: 'rotor:type', Value: 'SalesforceClientSecret' },
        { Key: CONSUMER_TTL_KEY, Value: '900' },
      ],
    });

    // Assess
    expect(config.consumerTtlSeconds).toBe(900);
  });

  it('refuses a TTL that is not a whole number of seconds, naming the field', () => {
    // Act
    const act = () =>
      resolvePartnerConfig({
        $metadata: {},
        ARN,
        Type: 'SalesforceClientSecret',
        ExternalSecretRotationMetadata: [{ Key: CONSUMER_TTL_KEY, Value: '5m' }],
      });

    // Assess
    expect(act).toThrow(InvalidConfigurationError);
    expect(act).toThrow(/rotor:consumer-ttl/);
  });
});

describe('Function: effectiveGracePeriod', () => {
  const config = (grace: number | undefined, ttl: number | undefined) => ({
    type: 'SalesforceClientSecret',
    metadata: {},
    gracePeriodSeconds: grace,
    consumerTtlSeconds: ttl,
    source: 'fields' as const,
  });

  it('accepts a grace period equal to the consumer TTL', () => {
    // Act & Assess
    expect(effectiveGracePeriod(config(300, 300), 3600)).toBe(300);
  });

  it('uses the default grace period when the secret sets none', () => {
    // Act & Assess
    expect(effectiveGracePeriod(config(undefined, 300), 3600)).toBe(3600);
  });

  it('refuses a grace period one second shorter than the consumer TTL, naming both settings', () => {
    // Act
    const act = () => effectiveGracePeriod(config(299, 300), 3600);

    // Assess
    expect(act).toThrow(InvalidConfigurationError);
    expect(act).toThrow(
      new RegExp(`${GRACE_PERIOD_KEY} \\(299 s\\) is shorter than ${CONSUMER_TTL_KEY} \\(300 s\\)`),
    );
  });
});
