import { describe, expect, it } from 'vitest';
import { decide, type PolicyDocument, wildcardMatch } from '../../src/local/identity/index.ts';

const ROLE: PolicyDocument = {
  Statement: [
    {
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:Describe*'],
      Resource: '*',
      Condition: { StringEquals: { 'secretsmanager:resource/Type': 'SalesforceClientSecret' } },
    },
    { Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' },
  ],
};
const ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:app-AbCdEf';

describe('Function: wildcardMatch', () => {
  it('matches * and ? and nothing else specially', () => {
    // Assess
    expect(wildcardMatch('arn:aws:iam::*:role/Rotor?', 'arn:aws:iam::123456789012:role/Rotor1')).toBe(true);
    expect(wildcardMatch('secret:app.*', 'secret:appX1')).toBe(false);
    expect(wildcardMatch('secretsmanager:get*', 'secretsmanager:GetSecretValue', true)).toBe(true);
  });
});

describe('Function: decide', () => {
  it('allows an action only when its conditions hold', () => {
    // Act
    const typed = decide([ROLE], 'secretsmanager:GetSecretValue', ARN, {
      'secretsmanager:resource/Type': 'SalesforceClientSecret',
    });
    const untyped = decide([ROLE], 'secretsmanager:GetSecretValue', ARN, {});
    const otherType = decide([ROLE], 'secretsmanager:DescribeSecret', ARN, {
      'secretsmanager:resource/Type': 'SnowflakeKeyPair',
    });
    const unconditioned = decide([ROLE], 'secretsmanager:GetRandomPassword', '*', {});

    // Assess
    expect([typed, untyped, otherType, unconditioned]).toEqual([
      'allow',
      'implicit-deny',
      'implicit-deny',
      'allow',
    ]);
  });

  it('lets an explicit Deny win over any Allow', () => {
    // Prepare
    const deny: PolicyDocument = { Statement: { Effect: 'Deny', Action: 'secretsmanager:*', Resource: ARN } };

    // Act
    const decision = decide([ROLE, deny], 'secretsmanager:GetSecretValue', ARN, {
      'secretsmanager:resource/Type': 'SalesforceClientSecret',
    });

    // Assess
    expect(decision).toBe('deny');
  });

  it('matches trust-policy principals by account, root ARN or exact ARN, with the ExternalId condition', () => {
    // Prepare
    const trust: PolicyDocument = {
      Statement: {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:root' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'ext-1' } },
      },
    };
    const rotor = { accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/rotor' };
    const stranger = { accountId: '999999999999', arn: 'arn:aws:iam::999999999999:user/x' };

    // Act
    const right = decide([trust], 'sts:AssumeRole', 'role', { 'sts:ExternalId': 'ext-1' }, rotor);
    const wrongId = decide([trust], 'sts:AssumeRole', 'role', { 'sts:ExternalId': 'ext-2' }, rotor);
    const noId = decide([trust], 'sts:AssumeRole', 'role', {}, rotor);
    const wrongAccount = decide([trust], 'sts:AssumeRole', 'role', { 'sts:ExternalId': 'ext-1' }, stranger);

    // Assess
    expect([right, wrongId, noId, wrongAccount]).toEqual([
      'allow',
      'implicit-deny',
      'implicit-deny',
      'implicit-deny',
    ]);
  });
});
