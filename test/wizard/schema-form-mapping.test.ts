/**
 * The schema-to-form mapping, for every partner in the catalog: a new partner is covered as soon
 * as its manifest is registered. Values come from each partner's own simulator (its demo secret),
 * so "valid" means what the engine accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/runtime/partner.ts';
import { assertValid } from '../../src/runtime/validation.ts';
import { documentFrom, fieldsFromSchema, initialValues } from '../../src/wizard/schema-form/mapping.ts';
import { fieldErrors } from '../../src/wizard/schema-form/validate.ts';
import { vettedPartners } from '../support/catalog-partners.ts';

/** Every partner of the vetted catalog: a new partner is covered without touching this file. */
const partnerManifests = await vettedPartners();

interface ObjectSchema {
  properties: Record<string, { title?: string; description?: string; pattern?: string; maxLength?: number }>;
  required?: string[];
}

const simulators = new Map<string, RunningSimulator>();

beforeAll(async () => {
  for (const manifest of partnerManifests)
    simulators.set(manifest.type, await manifest.startSimulator({ port: 0 }));
});

afterAll(async () => {
  for (const simulator of simulators.values()) await simulator.close();
});

function demoOf(type: string) {
  const manifest = partnerManifests.find((m) => m.type === type)!;
  const simulator = simulators.get(type)!;
  return manifest.demoSecret?.(simulator.seed);
}

const asStrings = (document: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(document).map(([k, v]) => [k, String(v)]));

describe('Function: fieldsFromSchema', () => {
  for (const manifest of partnerManifests) {
    const secretSchema = manifest.secretSchema as unknown as ObjectSchema;
    const metadataSchema = manifest.metadataSchema as unknown as ObjectSchema;

    it(`maps every ${manifest.type} value property to a labelled field with its required mark, description and limits`, () => {
      // Act
      const fields = fieldsFromSchema(manifest.secretSchema, { sensitiveFields: manifest.sensitiveFields });

      // Assess
      expect(fields.map((f) => f.name)).toEqual(Object.keys(secretSchema.properties));
      for (const field of fields) {
        const property = secretSchema.properties[field.name]!;
        const required = (secretSchema.required ?? []).includes(field.name);
        expect(field.label).toBe(property.title ?? field.name);
        expect(field.label.length).toBeGreaterThan(0);
        expect(field.description).toBe(property.description);
        expect(field.required).toBe(required);
        expect(field.constraintText.startsWith(required ? 'Required.' : 'Optional.')).toBe(true);
        expect(field.pattern).toBe(property.pattern);
        if (property.maxLength !== undefined)
          expect(field.constraintText).toContain(String(property.maxLength));
      }
    });

    it(`masks exactly the sensitive fields of ${manifest.type}, with no placeholder that could look like a value`, () => {
      // Act
      const fields = fieldsFromSchema(manifest.secretSchema, { sensitiveFields: manifest.sensitiveFields });

      // Assess
      expect(fields.filter((f) => f.sensitive).map((f) => f.name)).toEqual([...manifest.sensitiveFields]);
      for (const field of fields.filter((f) => f.sensitive)) expect(field.placeholder).toBeUndefined();
    });

    it(`maps the ${manifest.type} metadata schema, with a secret picker for secret-ARN fields only`, () => {
      // Act
      const fields = fieldsFromSchema(manifest.metadataSchema);

      // Assess
      expect(fields.map((f) => f.name)).toEqual(Object.keys(metadataSchema.properties));
      for (const field of fields) {
        const pattern = metadataSchema.properties[field.name]!.pattern ?? '';
        expect(field.secretPicker).toBe(pattern.includes(':secretsmanager:'));
        expect(field.required).toBe((metadataSchema.required ?? []).includes(field.name));
      }
    });
  }
});

describe('Function: fieldErrors', () => {
  for (const manifest of partnerManifests) {
    const secretSchema = manifest.secretSchema as unknown as ObjectSchema;

    it(`names every missing required ${manifest.type} field with its label and what to enter`, () => {
      // Prepare
      const fields = fieldsFromSchema(manifest.secretSchema, { sensitiveFields: manifest.sensitiveFields });

      // Act
      const errors = fieldErrors(manifest.secretSchema, fields, documentFrom(fields, initialValues(fields)));

      // Assess
      for (const name of secretSchema.required ?? []) {
        const field = fields.find((f) => f.name === name)!;
        expect(errors[name]).toMatch(
          new RegExp(`^Enter ${field.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`),
        );
      }
    });

    it(`accepts the ${manifest.type} demo secret, as the engine's own validation does`, () => {
      // Prepare
      const demo = demoOf(manifest.type);
      if (!demo) throw new Error(`${manifest.type} has no demoSecret; add one to its manifest.`);
      const valueFields = fieldsFromSchema(manifest.secretSchema, {
        sensitiveFields: manifest.sensitiveFields,
      });
      const metadataFields = fieldsFromSchema(manifest.metadataSchema);

      // Act
      const value = documentFrom(valueFields, asStrings(demo.value));
      const metadata = documentFrom(metadataFields, demo.metadata);

      // Assess
      expect(fieldErrors(manifest.secretSchema, valueFields, value)).toEqual({});
      expect(fieldErrors(manifest.metadataSchema, metadataFields, metadata)).toEqual({});
      expect(() => assertValid(manifest.secretSchema, value, 'value')).not.toThrow();
      expect(() => assertValid(manifest.metadataSchema, metadata, 'metadata')).not.toThrow();
    });

    it(`reports a format error on each patterned ${manifest.type} field given text its pattern rejects`, () => {
      // Prepare
      const demo = demoOf(manifest.type)!;
      const fields = fieldsFromSchema(manifest.secretSchema, { sensitiveFields: manifest.sensitiveFields });
      const bad = 'not valid! \u00a0<>';
      const patterned = fields.filter((f) => f.pattern && !new RegExp(f.pattern, 'u').test(bad));
      expect(patterned.length).toBeGreaterThan(0);

      for (const field of patterned) {
        // Act
        const errors = fieldErrors(
          manifest.secretSchema,
          fields,
          documentFrom(fields, { ...asStrings(demo.value), [field.name]: bad }),
        );

        // Assess
        expect(Object.keys(errors)).toEqual([field.name]);
        expect(errors[field.name]).toContain(field.label);
        expect(errors[field.name]).not.toContain(bad);
      }
    });
  }
});

describe('Function: documentFrom', () => {
  it('leaves empty fields out, so an untouched optional field is "not given"', () => {
    // Prepare
    const fields = fieldsFromSchema({
      properties: { a: { type: 'string' }, b: { type: 'string' }, n: { type: 'integer' } },
      required: ['a'],
    });

    // Act
    const document = documentFrom(fields, { a: 'x', b: '', n: '42' });

    // Assess
    expect(document).toEqual({ a: 'x', n: 42 });
  });
});
