/**
 * The console API as the browser sees it. Types mirror `src/console/` (imported as types only, so
 * no server code reaches the bundle).
 */
import type { CreateSecretRequest } from '../console/create-request.ts';
import type { SecretDetails, SecretSummary } from '../console/secrets-api.ts';
import type { PreflightReport } from '../engine/preflight.ts';

export type { CreateSecretRequest, PreflightReport, SecretDetails, SecretSummary };

export interface PartnerInfo {
  type: string;
  version: string;
  title: string;
  description: string;
  docsUrl: string;
  secretSchema: object;
  metadataSchema: object;
  sensitiveFields: string[];
  maxLiveCredentials: number;
}

export interface ConsoleConfig {
  mode: 'local' | 'aws';
  region: string;
  accountId: string | undefined;
  configStyle: 'fields' | 'tags';
  liveProgress: boolean;
  testRotations: boolean;
}

export interface RoleTemplate {
  roleName: string;
  trustPolicy: object;
  permissionsPolicy: object;
  commands: string[];
}

/** An API refusal: its message says what to fix; `field` names the field when there is one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field: string | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function call<T>(path: string, init?: { method: string; body: unknown }): Promise<T> {
  const response = await fetch(`api/${path}`, {
    method: init?.method ?? 'GET',
    headers: init ? { 'content-type': 'application/json' } : undefined,
    body: init ? JSON.stringify(init.body) : undefined,
  });
  const body = (await response.json().catch(() => ({}))) as { message?: string; field?: string };
  if (!response.ok) {
    throw new ApiError(
      body.message ?? `The console answered ${response.status}.`,
      response.status,
      body.field,
    );
  }
  return body as T;
}

const id = encodeURIComponent;

export const api = {
  config: () => call<ConsoleConfig>('config'),
  partners: () => call<PartnerInfo[]>('partners'),
  roleTemplate: (type: string) => call<RoleTemplate>(`partners/${id(type)}/role-template`),
  secrets: (type?: string) => call<SecretSummary[]>(type ? `secrets?type=${id(type)}` : 'secrets'),
  secret: (secretId: string) => call<SecretDetails>(`secrets/${id(secretId)}`),
  roles: () => call<string[]>('roles'),
  create: (request: CreateSecretRequest) =>
    call<{ arn: string; name: string; versionId?: string }>('secrets', { method: 'POST', body: request }),
  rotate: (secretId: string, test: boolean) =>
    call<{ arn: string; versionId?: string }>(`secrets/${id(secretId)}/rotate`, {
      method: 'POST',
      body: { test },
    }),
  preflight: (body: { type: string; value: unknown; metadata: Record<string, string>; roleArn?: string }) =>
    call<PreflightReport>('preflight', { method: 'POST', body }),
};
