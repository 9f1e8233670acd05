/**
 * Both templates, checked offline: resource properties against the published specification,
 * references, IAM actions, runtimes, and the handlers against a fresh build. The broken fixture
 * proves each check catches what it claims to.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHandlers } from '../../scripts/build.mjs';
import {
  checkHandlers,
  checkIamActions,
  checkReferences,
  checkResourceProperties,
  checkRuntimes,
  expandForEach,
  loadTemplate,
} from './checks.ts';

const root = join(import.meta.dirname, '..', '..');
const rotor = loadTemplate(join(root, 'template.yaml'));
const customerRole = loadTemplate(join(root, 'customer-role.yaml'));
const broken = loadTemplate(join(import.meta.dirname, 'fixtures', 'broken-template.yaml'));
let buildDir: string;

beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'rotor-template-build-'));
  await buildHandlers({ outDir: buildDir });
});
afterAll(async () => {
  await rm(buildDir, { recursive: true, force: true });
});

describe('Function: checkResourceProperties', () => {
  it.each([
    ['template.yaml', rotor],
    ['customer-role.yaml', customerRole],
  ])('finds no property problem in %s', (_, template) => {
    // Act
    const problems = checkResourceProperties(template);

    // Assess
    expect(problems).toEqual([]);
  });

  it('catches unknown types and properties, wrong types and missing required properties', () => {
    // Act
    const problems = checkResourceProperties(broken);

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        'Fn.Colour: unknown property',
        'Fn.Timeout: expected Integer, got [60]',
        'Permission.Principal: required property missing',
        'Strange: unknown resource type AWS::Nothing::Here',
      ]),
    );
  });
});

describe('Function: checkReferences', () => {
  it.each([
    ['template.yaml', rotor],
    ['customer-role.yaml', customerRole],
  ])('resolves every Ref, GetAtt, Sub and condition in %s', (_, template) => {
    // Act
    const problems = checkReferences(template);

    // Assess
    expect(problems).toEqual([]);
  });

  it('catches dangling Ref, GetAtt (resource and attribute) and Sub variables', () => {
    // Act
    const problems = checkReferences(broken).join('\n');

    // Assess
    expect(problems).toContain('Ref to unknown Nowhere');
    expect(problems).toContain('GetAtt of unknown resource Ghost');
    expect(problems).toContain('Topic (AWS::SNS::Topic) has no attribute NoSuchAttribute');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation ${} syntax, not a JS template.
    expect(problems).toContain('Sub variable ${Nobody} is undefined');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation ${} syntax, not a JS template.
    expect(problems).not.toContain('${Known}');
    expect(problems).not.toContain('AWS::Region');
  });
});

describe('Function: checkIamActions', () => {
  it.each([
    ['template.yaml', rotor],
    ['customer-role.yaml', customerRole],
  ])('finds no wildcard action in %s', (_, template) => {
    // Act
    const problems = checkIamActions(template);

    // Assess
    expect(problems).toEqual([]);
  });

  it('catches * and service:* actions', () => {
    // Act
    const problems = checkIamActions(broken).join('\n');

    // Assess
    expect(problems).toContain('grants the wildcard action *');
    expect(problems).toContain('grants the wildcard action secretsmanager:*');
    expect(problems).not.toContain('s3:GetObject');
  });
});

describe('Function: checkRuntimes', () => {
  it('accepts the Rotor functions on nodejs22.x', () => {
    // Act
    const problems = checkRuntimes(rotor);

    // Assess
    expect(problems).toEqual([]);
    expect(Object.values(rotor.Resources).filter((r) => r.Type === 'AWS::Serverless::Function')).toHaveLength(
      2,
    );
  });

  it('catches a deprecated runtime inherited from Globals', () => {
    // Act
    const problems = checkRuntimes(broken);

    // Assess
    expect(problems).toEqual(['Fn: runtime "nodejs18.x" is not one of nodejs22.x']);
  });
});

describe('Function: checkHandlers', () => {
  it('finds every handler of template.yaml in the build output', () => {
    // Act
    const problems = checkHandlers(rotor, buildDir);

    // Assess
    expect(problems).toEqual([]);
  });

  it('catches a handler the build did not produce', () => {
    // Act
    const problems = checkHandlers(broken, buildDir);

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Fn: handler file .*missing\.js is not in the build output$/);
  });
});

describe('Function: expandForEach', () => {
  it('makes one invoke permission and one assume-role policy per allowed account', () => {
    // Act
    const resources = expandForEach(rotor).Resources;

    // Assess
    const permissions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Permission');
    expect(permissions.map(([id]) => id)).toEqual([
      'SecretsManagerInvoke111122223333',
      'SecretsManagerInvoke444455556666',
    ]);
    expect(permissions[0]?.[1].Properties).toMatchObject({
      Principal: 'secretsmanager.amazonaws.com',
      SourceAccount: '111122223333',
    });
    const assume = resources.AssumeCustomerRole444455556666?.Properties as {
      PolicyDocument: { Statement: unknown[] };
    };
    expect(assume.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation ${} syntax, not a JS template.
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::444455556666:role/${CustomerRoleName}' },
      },
    ]);
  });
});
