/**
 * The SQL API: `POST /api/v2/statements` (with `requestId` idempotency) and
 * `GET /api/v2/statements/{handle}`, each authenticated by a verified key-pair JWT.
 */
import { randomUUID } from 'node:crypto';
import type { SnowflakeSimulatorBehaviour } from './behaviour.ts';
import { json, notFound, type Reply, type SimRequest, sqlError } from './http.ts';
import { verifyKeyPairJwt } from './jwt-verify.ts';
import type { Handled } from './server.ts';
import { type AccountState, parseSlotKey, type SimUser, SLOT_NAMES, type SlotName } from './state.ts';
import { parseStatement, type Statement, statementSummary } from './statements.ts';

export interface SqlApiContext {
  state: AccountState;
  behaviour: SnowflakeSimulatorBehaviour;
  now: Date;
  /** Answers by `<user>:<requestId>`, for resubmissions. */
  answered: Map<string, Reply>;
  /** Finished statements by handle, for `GET /api/v2/statements/{handle}`. */
  handles: Map<string, { owner: SimUser; reply: Reply }>;
}

const STATEMENTS_PATH = '/api/v2/statements';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUCCESS_MESSAGE = 'Statement executed successfully.';

export function handleSqlApi(context: SqlApiContext, request: SimRequest): Handled {
  const path = request.url.pathname;
  const handleMatch = /^\/api\/v2\/statements\/([A-Za-z0-9-]+)$/.exec(path);
  if (path !== STATEMENTS_PATH && !handleMatch) return { reply: notFound() };
  const allowed = handleMatch ? 'GET' : 'POST';
  if (request.method !== allowed) {
    return {
      reply: sqlError(405, '000405', '0A000', `Method ${request.method} is not allowed; use ${allowed}.`),
    };
  }
  // Not confirmed: the status and body Snowflake gives a request without User-Agent.
  if (context.behaviour.requireUserAgent && !request.headers['user-agent']) {
    return { reply: sqlError(400, '390400', '08000', 'The User-Agent header is required.') };
  }
  const auth = authenticate(context, request);
  if ('failure' in auth)
    return { reply: unauthorized(context.behaviour), log: { authFailure: auth.failure } };
  return handleMatch
    ? getStatement(context, auth.user, handleMatch[1]!)
    : postStatement(context, auth.user, request);
}

function authenticate(context: SqlApiContext, request: SimRequest): { user: SimUser } | { failure: string } {
  const header = request.headers.authorization;
  const bearer = header && /^Bearer ([^\s]+)$/.exec(header);
  if (!bearer) return { failure: 'no Bearer token' };
  const tokenType = request.headers['x-snowflake-authorization-token-type'];
  if (context.behaviour.requireTokenTypeHeader && tokenType !== 'KEYPAIR_JWT') {
    return { failure: 'X-Snowflake-Authorization-Token-Type is not KEYPAIR_JWT' };
  }
  const verdict = verifyKeyPairJwt(bearer[1]!, context.state, context.now, context.behaviour);
  return verdict.ok ? { user: verdict.user } : { failure: verdict.reason };
}

/** Not confirmed: Snowflake's 401 body; JSON `{code, message}` by default. */
function unauthorized(behaviour: SnowflakeSimulatorBehaviour): Reply {
  return behaviour.unauthorizedBody === 'json'
    ? json(401, { code: '390144', message: 'JWT token is invalid.' })
    : { kind: 'text', status: 401, contentType: 'text/plain', text: '' };
}

function getStatement(context: SqlApiContext, user: SimUser, handle: string): Handled {
  const found = context.handles.get(handle);
  if (!found || found.owner !== user) {
    return { reply: sqlError(404, '000709', '02000', `Statement ${handle} not found.`) };
  }
  return { reply: found.reply };
}

function postStatement(context: SqlApiContext, user: SimUser, request: SimRequest): Handled {
  if (!String(request.headers['content-type'] ?? '').includes('application/json')) {
    return { reply: sqlError(415, '000415', '0A000', 'Content-Type must be application/json.') };
  }
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    return { reply: sqlError(400, '390142', '08000', 'The request body is not valid JSON.') };
  }
  const text = (body as { statement?: unknown } | null)?.statement;
  if (typeof text !== 'string' || text.length === 0) {
    return { reply: sqlError(400, '390142', '08000', 'The request body has no statement.') };
  }
  const log = { statement: statementSummary(text) };
  const requestId = request.url.searchParams.get('requestId');
  if (requestId !== null && !UUID.test(requestId)) {
    return { reply: sqlError(400, '390143', '08000', 'requestId must be a UUID.'), log };
  }
  const key = requestId === null ? undefined : `${user.account}.${user.name}:${requestId}`;
  const earlier = key === undefined ? undefined : context.answered.get(key);
  if (earlier) {
    const retry = request.url.searchParams.get('retry') === 'true';
    if (context.behaviour.duplicateRequestId === 'require-retry-flag' && !retry) {
      return {
        reply: sqlError(
          422,
          '000709',
          '22000',
          `Request ${requestId} was already submitted; set retry=true to resubmit it.`,
        ),
        log,
      };
    }
    return { reply: earlier, log };
  }

  const handle = randomUUID();
  const statement = parseStatement(text);
  const reply = statement
    ? execute(context, user, statement, handle)
    : sqlError(
        422,
        '001003',
        '42000',
        'SQL compilation error:\nsyntax error line 1 at position 0 unexpected statement.',
        handle,
      );
  context.handles.set(handle, { owner: user, reply });
  if (key !== undefined) context.answered.set(key, reply);
  if (context.behaviour.respondAsync && reply.kind === 'json' && reply.status === 200) {
    return {
      reply: json(202, {
        code: '333334',
        message:
          'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.',
        statementHandle: handle,
        statementStatusUrl: `${STATEMENTS_PATH}/${handle}`,
      }),
      log,
    };
  }
  return { reply, log };
}

function resultSet(handle: string, columns: string[], data: (string | null)[][]): Reply {
  return json(200, {
    resultSetMetaData: {
      numRows: data.length,
      format: 'jsonv2',
      partitionInfo: [{ rowCount: data.length, uncompressedSize: JSON.stringify(data).length }],
      rowType: columns.map((name) => ({ name, type: 'text', nullable: true })),
    },
    data,
    code: '090001',
    statementStatusUrl: `${STATEMENTS_PATH}/${handle}?requestId=${randomUUID()}`,
    sqlState: '00000',
    statementHandle: handle,
    message: SUCCESS_MESSAGE,
    createdOn: Date.now(),
  });
}

function execute(context: SqlApiContext, caller: SimUser, statement: Statement, handle: string): Reply {
  if (statement.kind === 'select-1') return resultSet(handle, ['1'], [['1']]);
  const target = context.state.find(caller.account, statement.user);
  const visible = target && (target === caller || caller.admin);
  if (!target || !visible) {
    if (statement.kind !== 'describe-user' && statement.ifExists && !target) {
      return resultSet(handle, ['status'], [[SUCCESS_MESSAGE]]);
    }
    return sqlError(
      422,
      '002003',
      '02000',
      `SQL compilation error:\nUser '${statement.user}' does not exist or not authorized.`,
      handle,
    );
  }
  if (statement.kind === 'describe-user') return describe(context, target, handle);
  const mayAlter =
    caller.admin || (target === caller && (caller.canAlterSelf || context.behaviour.selfAlterWithoutGrant));
  if (!mayAlter) {
    return sqlError(
      422,
      '003001',
      '42501',
      `SQL access control error:\nInsufficient privileges to operate on user '${target.name}'.`,
      handle,
    );
  }
  if (statement.kind === 'unset-key') {
    delete target.slots[statement.slot];
    return resultSet(handle, ['status'], [[SUCCESS_MESSAGE]]);
  }
  const key = parseSlotKey(statement.spki);
  // Not confirmed: Snowflake's exact code and text for a rejected public key.
  if (!key) {
    return sqlError(
      422,
      '001420',
      '22023',
      "New public key rejected by current policy. Reason: 'Invalid public key'.",
      handle,
    );
  }
  const other: SlotName = statement.slot === 'RSA_PUBLIC_KEY' ? 'RSA_PUBLIC_KEY_2' : 'RSA_PUBLIC_KEY';
  if (context.behaviour.rejectDuplicateKey && target.slots[other]?.fingerprint === key.fingerprint) {
    return sqlError(
      422,
      '001420',
      '22023',
      'New public key rejected by current policy. Reason: the key is already set for the user.',
      handle,
    );
  }
  target.slots[statement.slot] = key;
  return resultSet(handle, ['status'], [[SUCCESS_MESSAGE]]);
}

function describe(context: SqlApiContext, user: SimUser, handle: string): Reply {
  const rows: (string | null)[][] = [
    ['NAME', user.name, 'null', 'Name'],
    ['LOGIN_NAME', user.name.toUpperCase(), 'null', 'Login name of the user'],
    ['DISABLED', 'false', 'false', 'Whether the user is disabled'],
  ];
  for (const slot of SLOT_NAMES) {
    const key = user.slots[slot];
    rows.push([slot, key ? key.spki : 'null', 'null', 'RSA public key of the user']);
    rows.push([`${slot}_FP`, key ? key.fingerprint : 'null', 'null', 'Fingerprint of the RSA public key']);
  }
  const columns = ['property', 'value', 'default', 'description'].map((name) =>
    context.behaviour.describeColumnCase === 'upper' ? name.toUpperCase() : name,
  );
  return resultSet(handle, columns, rows);
}
