/**
 * Offline checks of Rotor's CloudFormation/SAM templates. Each check returns a list of problems
 * (empty when the template passes), each naming where it is and what is wrong.
 *
 * No CloudFormation linter is packaged for npm or Debian, so these are written here on top of the
 * two libraries that do exist: `yaml-cfn` (the short-form tags) and `@aws-cdk/cfnspec` (the
 * published resource specification, `AWS::Serverless::*` included).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { yamlParse } from 'yaml-cfn';

type Json = unknown;
type JsonObject = Record<string, Json>;

export interface Template {
  Parameters?: Record<string, { Type: string; Default?: Json }>;
  Conditions?: JsonObject;
  Globals?: { Function?: JsonObject };
  Resources: Record<
    string,
    { Type: string; Properties?: JsonObject; Metadata?: JsonObject; Condition?: string }
  >;
  Outputs?: JsonObject;
}

interface PropertySpec {
  Required?: boolean;
  PrimitiveType?: string;
  Type?: string;
  ItemType?: string;
  PrimitiveItemType?: string;
  PrimitiveTypes?: string[];
  Types?: string[];
  InclusiveItemTypes?: string[];
  InclusivePrimitiveItemTypes?: string[];
}
interface TypeSpec {
  Properties?: Record<string, PropertySpec>;
  Attributes?: Record<string, unknown>;
  PrimitiveType?: string;
}
export interface Specification {
  ResourceTypes: Record<string, TypeSpec>;
  PropertyTypes: Record<string, TypeSpec>;
}

/** The resource specification shipped by `@aws-cdk/cfnspec` (loaded once). */
let specification: Specification | undefined;
export function loadSpecification(): Specification {
  specification ??= createRequire(import.meta.url)(
    '@aws-cdk/cfnspec/spec/specification.json',
  ) as Specification;
  return specification;
}

export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/** A sample list for a CommaDelimitedList without a default, so Fn::ForEach can be expanded. */
const SAMPLE_ACCOUNT_IDS = ['111122223333', '444455556666'];

/** Parses a template file with its CloudFormation short-form tags. */
export function loadTemplate(path: string): Template {
  return yamlParse(readFileSync(path, 'utf8')) as Template;
}

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ Ref: … }` or `{ 'Fn::…': … }`: its type is only known after deployment. */
function isIntrinsic(value: Json): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0] as string).startsWith('Fn::'));
}

/** Replaces a ForEach identifier by a value, as `AWS::LanguageExtensions` does. */
function substitute(node: Json, identifier: string, value: string): Json {
  if (typeof node === 'string')
    return node.replaceAll(`\${${identifier}}`, value).replaceAll(`&{${identifier}}`, value);
  if (Array.isArray(node)) return node.map((item) => substitute(item, identifier, value));
  if (!isObject(node)) return node;
  if (Object.keys(node).length === 1 && node.Ref === identifier) return value;
  return Object.fromEntries(
    Object.entries(node).map(([key, child]) => [
      substitute(key, identifier, value) as string,
      substitute(child, identifier, value),
    ]),
  );
}

/**
 * Expands every `Fn::ForEach::<name>: [identifier, collection, fragment]` in Resources, with the
 * collection's parameter default (or a sample list of account ids).
 */
export function expandForEach(template: Template): Template {
  const resources: Template['Resources'] = {};
  for (const [key, value] of Object.entries(template.Resources ?? {})) {
    if (!key.startsWith('Fn::ForEach::')) {
      resources[key] = value;
      continue;
    }
    const [identifier, collection, fragment] = value as unknown as [string, Json, JsonObject];
    const parameter =
      isObject(collection) && typeof collection.Ref === 'string'
        ? template.Parameters?.[collection.Ref]
        : undefined;
    const items = Array.isArray(collection)
      ? (collection as string[])
      : typeof parameter?.Default === 'string'
        ? parameter.Default.split(',')
        : SAMPLE_ACCOUNT_IDS;
    for (const item of items) {
      for (const [logicalId, body] of Object.entries(substitute(fragment, identifier, item) as JsonObject)) {
        resources[logicalId] = body as Template['Resources'][string];
      }
    }
  }
  return { ...template, Resources: resources };
}

function primitiveMatches(primitive: string, value: Json): boolean {
  if (isIntrinsic(value)) return true;
  switch (primitive) {
    case 'String':
    case 'Timestamp':
      return typeof value === 'string' || typeof value === 'number';
    case 'Integer':
    case 'Long':
      return Number.isInteger(typeof value === 'string' ? Number(value) : value) && value !== '';
    case 'Double':
      return (
        typeof value === 'number' ||
        (typeof value === 'string' && value !== '' && !Number.isNaN(Number(value)))
      );
    case 'Boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    case 'Json':
      return isObject(value) || typeof value === 'string';
    default:
      return false;
  }
}

function typeSpecOf(spec: Specification, resourceType: string, name: string): TypeSpec | undefined {
  return spec.PropertyTypes[`${resourceType}.${name}`] ?? spec.PropertyTypes[name];
}

/** Problems of one value against one property specification. */
function checkValue(
  spec: Specification,
  resourceType: string,
  property: PropertySpec,
  value: Json,
  path: string,
): string[] {
  if (isIntrinsic(value)) return [];
  if (property.PrimitiveTypes || property.Types) {
    // SAM's "one of" properties: any alternative that fits is fine.
    const fits =
      (property.PrimitiveTypes ?? []).some((primitive) => primitiveMatches(primitive, value)) ||
      (property.Types ?? []).some(
        (type) => checkObject(spec, resourceType, type, value, path).length === 0,
      ) ||
      (Array.isArray(value) &&
        (property.InclusivePrimitiveItemTypes || property.InclusiveItemTypes) !== undefined &&
        value.every(
          (item) =>
            (property.InclusivePrimitiveItemTypes ?? []).some((primitive) =>
              primitiveMatches(primitive, item),
            ) ||
            (property.InclusiveItemTypes ?? []).some(
              (type) => checkObject(spec, resourceType, type, item, path).length === 0,
            ),
        ));
    return fits
      ? []
      : [
          `${path}: does not match any of ${[...(property.PrimitiveTypes ?? []), ...(property.Types ?? [])].join(', ')}`,
        ];
  }
  if (property.PrimitiveType) {
    return primitiveMatches(property.PrimitiveType, value)
      ? []
      : [`${path}: expected ${property.PrimitiveType}, got ${JSON.stringify(value)}`];
  }
  if (property.Type === 'List') {
    if (!Array.isArray(value)) return [`${path}: expected a list`];
    return value.flatMap((item, index) => checkItem(spec, resourceType, property, item, `${path}[${index}]`));
  }
  if (property.Type === 'Map') {
    if (!isObject(value)) return [`${path}: expected a map`];
    return Object.entries(value).flatMap(([key, item]) =>
      checkItem(spec, resourceType, property, item, `${path}.${key}`),
    );
  }
  if (property.Type) return checkObject(spec, resourceType, property.Type, value, path);
  return [];
}

function checkItem(
  spec: Specification,
  resourceType: string,
  property: PropertySpec,
  item: Json,
  path: string,
): string[] {
  if (property.PrimitiveItemType) {
    return primitiveMatches(property.PrimitiveItemType, item)
      ? []
      : [`${path}: expected ${property.PrimitiveItemType}, got ${JSON.stringify(item)}`];
  }
  if (property.ItemType) return checkObject(spec, resourceType, property.ItemType, item, path);
  return [];
}

/** Problems of an object against a property type (unknown keys, missing required keys, types). */
function checkObject(
  spec: Specification,
  resourceType: string,
  typeName: string,
  value: Json,
  path: string,
): string[] {
  const type = typeSpecOf(spec, resourceType, typeName);
  if (!type) return [`${path}: the specification has no property type ${typeName}`];
  if (type.PrimitiveType)
    return primitiveMatches(type.PrimitiveType, value) ? [] : [`${path}: expected ${type.PrimitiveType}`];
  return checkProperties(spec, resourceType, type.Properties ?? {}, value, path, true);
}

function checkProperties(
  spec: Specification,
  resourceType: string,
  properties: Record<string, PropertySpec>,
  value: Json,
  path: string,
  requireRequired: boolean,
): string[] {
  if (isIntrinsic(value)) return [];
  if (!isObject(value)) return [`${path}: expected an object`];
  const problems: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const property = properties[key];
    if (!property) problems.push(`${path}.${key}: unknown property`);
    else problems.push(...checkValue(spec, resourceType, property, child, `${path}.${key}`));
  }
  if (requireRequired) {
    for (const [key, property] of Object.entries(properties)) {
      if (property.Required && !(key in value)) problems.push(`${path}.${key}: required property missing`);
    }
  }
  return problems;
}

/**
 * Every resource's properties against the specification: unknown types and properties, wrong
 * primitive/list/map types, missing required properties. SAM `Globals.Function` is checked as
 * `AWS::Serverless::Function` properties (without required ones).
 */
export function checkResourceProperties(template: Template, spec = loadSpecification()): string[] {
  const problems: string[] = [];
  for (const [logicalId, resource] of Object.entries(expandForEach(template).Resources)) {
    const type = spec.ResourceTypes[resource.Type];
    if (!type) {
      problems.push(`${logicalId}: unknown resource type ${resource.Type}`);
      continue;
    }
    problems.push(
      ...checkProperties(
        spec,
        resource.Type,
        type.Properties ?? {},
        resource.Properties ?? {},
        logicalId,
        true,
      ),
    );
  }
  const globals = template.Globals?.Function;
  if (globals) {
    const fn = spec.ResourceTypes['AWS::Serverless::Function'] as TypeSpec;
    problems.push(
      ...checkProperties(
        spec,
        'AWS::Serverless::Function',
        fn.Properties ?? {},
        globals,
        'Globals.Function',
        false,
      ),
    );
  }
  return problems;
}

/** SAM resources have no attributes in the spec; `!GetAtt` reaches the resource SAM generates. */
const SAM_GENERATED: Record<string, string> = {
  'AWS::Serverless::Function': 'AWS::Lambda::Function',
  'AWS::Serverless::Api': 'AWS::ApiGateway::RestApi',
  'AWS::Serverless::StateMachine': 'AWS::StepFunctions::StateMachine',
  'AWS::Serverless::SimpleTable': 'AWS::DynamoDB::Table',
};

function attributesOf(spec: Specification, resourceType: string): Set<string> {
  const type = spec.ResourceTypes[SAM_GENERATED[resourceType] ?? resourceType];
  return new Set(Object.keys(type?.Attributes ?? {}));
}

/** `${Name}` and `${Name.Attribute}` in a Fn::Sub string (`${!Literal}` excluded). */
function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].map((match) => (match[1] as string).trim());
}

/**
 * Every `Ref`, `Fn::GetAtt` and `Fn::Sub` target exists (a parameter, a resource with that
 * attribute, a pseudo-parameter, a Sub variable), and every condition used is declared.
 */
export function checkReferences(template: Template, spec = loadSpecification()): string[] {
  const expanded = expandForEach(template);
  const parameters = new Set(Object.keys(expanded.Parameters ?? {}));
  const resources = expanded.Resources;
  const conditions = new Set(Object.keys(expanded.Conditions ?? {}));
  const problems: string[] = [];
  const refExists = (name: string) =>
    parameters.has(name) || name in resources || PSEUDO_PARAMETERS.has(name);
  const getAtt = (name: string, attribute: string, path: string) => {
    const resource = resources[name];
    if (!resource) problems.push(`${path}: GetAtt of unknown resource ${name}`);
    else if (!attributesOf(spec, resource.Type).has(attribute))
      problems.push(`${path}: ${name} (${resource.Type}) has no attribute ${attribute}`);
  };

  const walk = (node: Json, path: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        walk(item, `${path}[${index}]`);
      });
      return;
    }
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const at = `${path}.${key}`;
      if (key === 'Ref' && typeof value === 'string') {
        if (!refExists(value)) problems.push(`${at}: Ref to unknown ${value}`);
      } else if (key === 'Fn::GetAtt') {
        const [name, attribute] = (typeof value === 'string' ? value.split('.') : value) as [string, string];
        getAtt(name, attribute, at);
      } else if (key === 'Fn::Sub') {
        const [text, variables] = (typeof value === 'string' ? [value, {}] : value) as [string, JsonObject];
        const subLocals = new Set(Object.keys(variables ?? {}));
        for (const variable of subVariables(text)) {
          const [name, attribute] = variable.split('.') as [string, string | undefined];
          if (attribute !== undefined && !subLocals.has(variable)) getAtt(name, attribute, at);
          else if (!subLocals.has(name) && !refExists(name))
            problems.push(`${at}: Sub variable \${${variable}} is undefined`);
        }
        walk(variables, at);
        continue;
      } else if (key === 'Fn::If' || key === 'Condition') {
        const name = key === 'Fn::If' ? (value as Json[])[0] : value;
        if (typeof name === 'string' && !conditions.has(name))
          problems.push(`${at}: unknown condition ${name}`);
      }
      walk(value, at);
    }
  };
  walk(expanded.Resources, 'Resources');
  walk(expanded.Outputs ?? {}, 'Outputs');
  walk(expanded.Globals ?? {}, 'Globals');
  walk(expanded.Conditions ?? {}, 'Conditions');
  return problems;
}

/** Every IAM policy statement in the template: role policies, trust policies, resource policies. */
function statementsOf(node: Json, path: string, found: { path: string; statement: JsonObject }[] = []) {
  if (Array.isArray(node)) {
    node.forEach((item, index) => {
      statementsOf(item, `${path}[${index}]`, found);
    });
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Statement') {
        const list = Array.isArray(value) ? value : [value];
        list.forEach((statement, index) => {
          // A conditional statement (!If [cond, statement, !Ref AWS::NoValue]) is checked in each branch.
          const branches =
            isObject(statement) && Array.isArray(statement['Fn::If'])
              ? (statement['Fn::If'] as Json[]).slice(1)
              : [statement];
          for (const branch of branches)
            if (isObject(branch) && branch.Effect)
              found.push({ path: `${path}.Statement[${index}]`, statement: branch });
        });
      } else statementsOf(value, `${path}.${key}`, found);
    }
  }
  return found;
}

/** No statement allows `*` or `service:*` as an action, nor uses `NotAction` with Allow. */
export function checkIamActions(template: Template): string[] {
  const problems: string[] = [];
  for (const { path, statement } of statementsOf(expandForEach(template).Resources, 'Resources')) {
    if (statement.Effect !== 'Allow') continue;
    if ('NotAction' in statement) problems.push(`${path}: Allow with NotAction grants every other action`);
    const actions = statement.Action;
    for (const action of Array.isArray(actions) ? actions : [actions]) {
      if (typeof action === 'string' && (action === '*' || /^[a-z0-9-]+:\*$/i.test(action))) {
        problems.push(`${path}: grants the wildcard action ${action}`);
      }
    }
  }
  return problems;
}

/** Runtimes a Rotor function may use. */
export const SUPPORTED_RUNTIMES = new Set(['nodejs22.x']);

/** Every function's runtime (its own or from Globals) is a supported one. */
export function checkRuntimes(template: Template): string[] {
  const problems: string[] = [];
  const global = template.Globals?.Function?.Runtime;
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::Serverless::Function' && resource.Type !== 'AWS::Lambda::Function') continue;
    const runtime =
      resource.Properties?.Runtime ?? (resource.Type === 'AWS::Serverless::Function' ? global : undefined);
    if (typeof runtime !== 'string' || !SUPPORTED_RUNTIMES.has(runtime)) {
      problems.push(
        `${logicalId}: runtime ${JSON.stringify(runtime)} is not one of ${[...SUPPORTED_RUNTIMES].join(', ')}`,
      );
    }
  }
  return problems;
}

/**
 * Every SAM function's `Handler` (`module.export`) exists in the build output, laid out as
 * `sam build` does: `<buildDir>/<LogicalId>/<module><OutExtension>`, exporting `<export>`.
 */
export function checkHandlers(template: Template, buildDir: string): string[] {
  const problems: string[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::Serverless::Function') continue;
    const handler = resource.Properties?.Handler;
    if (typeof handler !== 'string' || !handler.includes('.')) {
      problems.push(`${logicalId}: Handler must be "<module>.<export>"`);
      continue;
    }
    const dot = handler.lastIndexOf('.');
    const [module, exported] = [handler.slice(0, dot), handler.slice(dot + 1)];
    const properties = (resource.Metadata?.BuildProperties ?? {}) as { OutExtension?: string[] };
    const extension = properties.OutExtension?.find((pair) => pair.startsWith('.js='))?.slice(4) ?? '.js';
    const file = join(buildDir, logicalId, `${module}${extension}`);
    if (!existsSync(file)) {
      problems.push(`${logicalId}: handler file ${file} is not in the build output`);
      continue;
    }
    // esbuild writes ESM exports as `export{a as handler}` (minified) or `export { a as handler }`.
    const exports = /export\s*\{([^}]*)\}/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
    const names = exports.split(',').map((part) =>
      part
        .trim()
        .split(/\s+as\s+/)
        .pop(),
    );
    if (!names.includes(exported)) problems.push(`${logicalId}: ${file} does not export ${exported}`);
  }
  return problems;
}
