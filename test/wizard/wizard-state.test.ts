/**
 * The create wizard's pure state functions: the checks per step and the request it sends, for
 * every catalog partner (the partner info is built from the manifest as the console API serves it).
 */
import { describe, expect, it } from 'vitest';
import { createSecretRequestSchema } from '../../src/console/create-request.ts';
import { assertValid } from '../../src/runtime/validation.ts';
import type { PartnerInfo } from '../../src/wizard/api.ts';
import {
  createRequestOf,
  initialDetails,
  initialRotation,
  rotationErrors,
  stepErrors,
  stepOfField,
  type WizardState,
} from '../../src/wizard/create/wizard-state.ts';
import { vettedPartners } from '../support/catalog-partners.ts';

/** Every partner of the vetted catalog: a new partner is covered without touching this file. */
const partnerManifests = await vettedPartners();

function partnerInfo(manifest: (typeof partnerManifests)[number]): PartnerInfo {
  return {
    type: manifest.type,
    version: manifest.version,
    title: manifest.title,
    description: manifest.description,
    docsUrl: manifest.docsUrl,
    secretSchema: manifest.secretSchema,
    metadataSchema: manifest.metadataSchema,
    sensitiveFields: [...manifest.sensitiveFields],
    maxLiveCredentials: manifest.maxLiveCredentials,
  };
}

const emptyState = (partner?: PartnerInfo): WizardState => ({
  partner,
  value: {},
  metadata: {},
  rotation: initialRotation,
  details: initialDetails,
});

describe('Function: stepErrors', () => {
  it('asks for a partner first', () => {
    // Act
    const errors = stepErrors(emptyState(), 0);

    // Assess
    expect(errors.partner).toContain('Choose the partner');
  });

  for (const manifest of partnerManifests) {
    it(`blocks the value and name steps of ${manifest.type} until the required fields are filled`, () => {
      // Prepare
      const state = emptyState(partnerInfo(manifest));
      const required = (manifest.secretSchema as { required?: string[] }).required ?? [];

      // Act
      const valueErrors = stepErrors(state, 1);
      const detailsErrors = stepErrors(state, 3);

      // Assess
      expect(Object.keys(valueErrors).sort()).toEqual([...required].sort());
      expect(detailsErrors.name).toBe('Enter a secret name.');
    });
  }
});

describe('Function: rotationErrors', () => {
  it('accepts the defaults: rotation on, every 30 days, one hour of grace, rotate immediately', () => {
    // Act
    const errors = rotationErrors(initialRotation);

    // Assess
    expect(errors).toEqual({});
    expect(initialRotation).toMatchObject({
      automatic: true,
      rotateImmediately: true,
      days: '30',
      gracePeriod: '3600',
    });
  });

  it('names each bad rotation field with what to enter', () => {
    // Act
    const errors = rotationErrors({
      ...initialRotation,
      roleArn: 'arn:aws:iam::1:user/x',
      scheduleKind: 'cron',
      cron: 'rate(1 day)',
      window: '3 hours',
      gracePeriod: '99999999',
    });

    // Assess
    expect(Object.keys(errors).sort()).toEqual(['cron', 'gracePeriod', 'roleArn', 'window']);
    expect(errors.cron).toContain('cron(0 4 ? * SUN *)');
  });
});

describe('Function: createRequestOf', () => {
  it('builds a request the console API schema accepts, with empty optional fields left out', () => {
    // Prepare
    const manifest = partnerManifests[0]!;
    const state: WizardState = {
      ...emptyState(partnerInfo(manifest)),
      value: {
        consumerKey: 'k',
        consumerSecret: 's',
        baseUri: 'https://a.my.salesforce.com',
        appId: '0xA',
        consumerId: 'c',
      },
      metadata: { apiVersion: 'v65.0', adminSecretArn: '' },
      details: { ...initialDetails, name: 'prod/x', tags: [{ key: 'team', value: 'a' }] },
    };

    // Act
    const request = createRequestOf(state);

    // Assess
    expect(() => assertValid(createSecretRequestSchema, request, 'request')).not.toThrow();
    expect(request.metadata).toEqual({ apiVersion: 'v65.0' });
    expect(request.rotation).toEqual({
      automatic: true,
      rotateImmediately: true,
      schedule: { kind: 'days', days: 30 },
      gracePeriodSeconds: 3600,
    });
    expect(request).not.toHaveProperty('description');
  });

  it('never asks to rotate immediately when automatic rotation is off', () => {
    // Act
    const request = createRequestOf({
      ...emptyState(partnerInfo(partnerManifests[0]!)),
      rotation: { ...initialRotation, automatic: false, rotateImmediately: true },
    });

    // Assess
    expect(request.rotation.rotateImmediately).toBe(false);
  });
});

describe('Function: stepOfField', () => {
  it('sends a server-side refusal back to the step that shows the field', () => {
    // Prepare
    const state = emptyState(partnerInfo(partnerManifests[0]!));

    // Act + Assess
    expect(stepOfField(state, 'name')).toBe(3);
    expect(stepOfField(state, 'baseUri')).toBe(1);
    expect(stepOfField(state, 'apiVersion')).toBe(2);
    expect(stepOfField(state, 'rotation.automatic')).toBe(2);
    expect(stepOfField(state, undefined)).toBeUndefined();
  });
});
