/**
 * The local STS, AWS query protocol: form-encoded `Action=…&Version=2011-06-15` POSTs answered
 * with XML, errors as `<ErrorResponse><Error><Code>`. Operations: AssumeRole, GetCallerIdentity.
 */
import {
  type IdentityDirectory,
  IdentityError,
  IdentityValidationError,
  type Principal,
} from '../identity/index.ts';

export const STS_VERSION = '2011-06-15';
const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Escapes text for an XML element. */
function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface QueryResponse {
  status: number;
  body: string;
}

function success(action: string, result: string, requestId: string): QueryResponse {
  return {
    status: 200,
    body:
      `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

/** The query protocol's error body. */
export function queryError(code: string, message: string, status: number, requestId: string): QueryResponse {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return {
    status,
    body:
      `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${xml(code)}</Code>` +
      `<Message>${xml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

function durationOf(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  if (!/^\d{1,6}$/.test(raw)) {
    throw new IdentityValidationError(
      "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must be an integer between 900 and 43200",
    );
  }
  return Number(raw);
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') {
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    throw new IdentityValidationError(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/**
 * @example
 * ```ts
 * const sts = new StsService(directory);
 * const { status, body } = sts.handle(new URLSearchParams(form), principal, requestId);
 * ```
 */
export class StsService {
  constructor(private readonly directory: IdentityDirectory) {}

  /** Answers one query-protocol request from a verified caller. Never throws. */
  handle(params: URLSearchParams, caller: Principal, requestId: string): QueryResponse {
    const action = params.get('Action') ?? '';
    try {
      if (params.get('Version') !== STS_VERSION) {
        return queryError('InvalidParameterValue', `Version must be ${STS_VERSION}.`, 400, requestId);
      }
      switch (action) {
        case 'GetCallerIdentity':
          return success(
            action,
            `<Arn>${xml(caller.arn)}</Arn><UserId>${xml(caller.userId)}</UserId><Account>${caller.accountId}</Account>`,
            requestId,
          );
        case 'AssumeRole': {
          const externalId = params.get('ExternalId');
          const result = this.directory.assumeRole(caller, {
            roleArn: required(params, 'RoleArn'),
            roleSessionName: required(params, 'RoleSessionName'),
            ...(externalId === null ? {} : { externalId }),
            durationSeconds: durationOf(params.get('DurationSeconds')),
          });
          const { credentials: c, assumedRoleUser: u } = result;
          return success(
            action,
            `<Credentials><AccessKeyId>${c.accessKeyId}</AccessKeyId><SecretAccessKey>${xml(c.secretAccessKey)}</SecretAccessKey>` +
              `<SessionToken>${xml(c.sessionToken)}</SessionToken><Expiration>${c.expiration.toISOString()}</Expiration></Credentials>` +
              `<AssumedRoleUser><AssumedRoleId>${xml(u.assumedRoleId)}</AssumedRoleId><Arn>${xml(u.arn)}</Arn></AssumedRoleUser>`,
            requestId,
          );
        }
        default:
          return queryError(
            'InvalidAction',
            `Could not find operation ${action.slice(0, 64)} for version ${STS_VERSION}`,
            400,
            requestId,
          );
      }
    } catch (error) {
      if (error instanceof IdentityError) {
        return queryError(error.queryCode, error.message, error.queryStatus, requestId);
      }
      return queryError('InternalFailure', 'An internal error occurred.', 500, requestId);
    }
  }
}
