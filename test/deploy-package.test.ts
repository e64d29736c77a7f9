// Packages the service with osls (serverless-esbuild, serverless-iam-roles-per-
// function, serverless-step-functions) once, offline and with no AWS
// credentials, into a temp directory, and checks the CloudFormation template it
// would deploy: the table's protection, one least-privilege role per declared
// function holding exactly what its declared access implies, one schedule per
// workflow, SES scoped to the identity, SSM scoped to the hash-key parameter,
// one state machine per declared workflow with its own role, and the
// timeouts/retries of their Tasks; the HTTP API: every API route behind the
// Cognito JWT authorizer, the web pages' routes (and only they) to the web function
// without it, access logs without tokens or query strings, throttling, the user
// pool and its groups, the manifest-signing key; the exports bucket audit packages are
// handed over from (private, encrypted, expiring), which only the functions that hand
// packages over may put to and get from, its objects only. Also opens each
// function's zip and loads its bundle, so a broken esbuild setup fails here.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { readServerlessConfig } from '../lib/adapters/dynamodb/table-definition.ts';
import { readDefinition, taskFunctions } from '../lib/adapters/local/workflow-runner.ts';
import { ROLES } from '../lib/domain/vocabulary.ts';
import {
  allFunctions,
  API_ROUTES,
  DOORS,
  FAILED_RUN_METRIC,
  stateMachineNames,
  WEB_ROUTES,
  WORKFLOWS as DECLARED_WORKFLOWS,
  type Access,
  type FunctionKey,
  type WorkflowName,
} from '../lib/workflows/declarations.ts';

const run = promisify(execFile);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVERLESS_BIN = path.join(ROOT, 'node_modules', '.bin', 'serverless');
// Node 24 (the Lambda runtime's major): this process's node when vitest runs on
// it (npx/npm run), else the project's node package (a bare node_modules/.bin/vitest
// starts under whatever `node` is first on PATH).
const NODE =
  Number(process.versions.node.split('.')[0]) >= 24 || !existsSync(path.join(ROOT, 'node_modules', '.bin', 'node'))
    ? process.execPath
    : path.join(ROOT, 'node_modules', '.bin', 'node');
const SERVICE = 'compliance';
const STAGE = 'test';
const REGION = 'ap-east-1';

type Json = any;
type Resource = { Type: string; Properties?: Json; DeletionPolicy?: string; DependsOn?: string | string[] };
type Statement = { Effect: string; Action?: string | string[]; NotAction?: unknown; Resource?: unknown; NotResource?: unknown };

// Every function and workflow comes from the one declaration the template is generated from.
const DECLARED = allFunctions();
const FUNCTIONS = [...DECLARED.keys()];
const HANDLERS = Object.fromEntries([...DECLARED].map(([key, fn]) => [key, fn.handler])) as Record<FunctionKey, string>;

// The SSM parameter holding the key for keyed hashes of scan findings (params.hashKeyParameter).
const HASH_KEY_PARAMETER = `/${SERVICE}/${STAGE}/hash-key`;
const HASH_KEY_PARAMETER_ARN = `arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter${HASH_KEY_PARAMETER}`;
// The default scanTables / scanBuckets params: the table and bucket that sources of
// kind dynamodb and s3 may read name nothing until an operator sets them.
const SCAN_TABLES_ARN = 'arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/none';
const SCAN_BUCKET_ARN = 'arn:<AWS::Partition>:s3:::none-<AWS::AccountId>-compliance-scan';
// SES has no endpoint in the stack's default region (ap-east-1): the identity is the sesRegion param's.
const SES_IDENTITY_ARN = 'arn:<AWS::Partition>:ses:ap-southeast-1:<AWS::AccountId>:identity/example.com';

// Each workflow: the state machine startRun starts on its schedule, the functions its
// Tasks call (and nothing else), and its ASL file's Task states.
type Workflow = {
  id: string;
  name: string;
  envVar: string;
  schedule: string | undefined;
  functions: FunctionKey[];
  tasks: string[];
};
const WORKFLOWS: Workflow[] = DECLARED_WORKFLOWS.map((w) => ({
  id: stateMachineNames(w.name).logicalId,
  name: w.name,
  envVar: stateMachineNames(w.name).arnVariable,
  schedule: (w as { schedule?: { default: string } }).schedule?.default,
  functions: Object.keys(w.functions) as FunctionKey[],
  tasks: [...taskFunctions(readDefinition(w.name as WorkflowName)).keys()],
}));
const STATE_MACHINE_IDS = WORKFLOWS.map((w) => w.id);

// What a declared access grants, read independently of workflows/deploy.cjs: action -> the
// resources it may be done on ("ComplianceTable" is the table, "ComplianceTable/index/X" an index).
const TABLE = 'ComplianceTable';
function dynamoGrants(access: Access): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  const grant = (action: string, on: string) => (grants[`dynamodb:${action}`] = [...(grants[`dynamodb:${action}`] ?? []), on]);
  for (const action of access.table ?? []) grant(action, TABLE);
  for (const index of access.indexes ?? []) grant('Query', `${TABLE}/index/${index}`);
  if (access.scanSources) for (const action of ['DescribeTable', 'Scan']) grant(action, SCAN_TABLES_ARN);
  return grants;
}
/** The state machines a function may start: every one for the starter, else those it names. */
const startable = (access: Access) =>
  access.startWorkflows === true ? STATE_MACHINE_IDS : (access.startWorkflows ?? []).map((name) => stateMachineNames(name).logicalId);
const touchesTable = (access: Access) => (access.table?.length ?? 0) + (access.indexes?.length ?? 0) > 0;
/** The executions of a state machine, with its deployed name as <Id.Name> (checked to be compliance-<stage>-<workflow> below). */
const executionsOf = (id: string) => `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${id}.Name>:*`;
const MANIFEST_KEY = 'ManifestSigningKey';
// The bucket audit packages are handed over from: its objects, never the bucket (no listing, no deleting).
const EXPORTS_BUCKET = 'ExportsBucket';
const EXPORTS_OBJECTS = `<${EXPORTS_BUCKET}.Arn>/*`;
function otherGrants(access: Access): Record<string, string[]> {
  return {
    ...(touchesTable(access) ? { 'kms:Decrypt': ['<ComplianceTableKey.Arn>'], 'kms:GenerateDataKey': ['<ComplianceTableKey.Arn>'] } : {}),
    ...(access.signManifests ? { 'kms:Sign': [`<${MANIFEST_KEY}.Arn>`], 'kms:GetPublicKey': [`<${MANIFEST_KEY}.Arn>`] } : {}),
    ...(access.sendMail ? { 'ses:SendEmail': [SES_IDENTITY_ARN], 'ses:SendRawEmail': [SES_IDENTITY_ARN] } : {}),
    ...(access.hashKey ? { 'ssm:GetParameter': [HASH_KEY_PARAMETER_ARN] } : {}),
    ...(access.scanSources ? { 's3:ListBucket': [SCAN_BUCKET_ARN], 's3:GetObject': [`${SCAN_BUCKET_ARN}/*`] } : {}),
    ...(access.deliverPackages ? { 's3:PutObject': [EXPORTS_OBJECTS], 's3:GetObject': [EXPORTS_OBJECTS] } : {}),
    ...(access.startWorkflows ? { 'states:StartExecution': startable(access).map((id) => `<${id}>`).sort() } : {}),
    ...(access.describeWorkflows ? { 'states:DescribeExecution': STATE_MACHINE_IDS.map(executionsOf).sort() } : {}),
  };
}
const accessOf = (key: FunctionKey): Access => DECLARED.get(key)!.access;
/** serverless.yml's default params (what a stage that sets none deploys with). */
const params = () => readServerlessConfig().params.default as Record<string, unknown>;

// ---------------------------------------------------------------------------
// CloudFormation reference helpers

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The logical id a Ref / Fn::GetAtt points at (with the attribute for GetAtt), or undefined. */
function reference(value: Json): { id: string; attribute?: string } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  if (typeof value.Ref === 'string') return { id: value.Ref };
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return { id: getAtt[0], attribute: String(getAtt[1]) };
  if (typeof getAtt === 'string') {
    const [id, ...attribute] = getAtt.split('.');
    return { id: id!, attribute: attribute.join('.') };
  }
  return undefined;
}

/** How a value reads once resolved, with references written as <Id> (Ref) or <Id.Attr> (GetAtt). */
function show(value: Json): string {
  const ref = reference(value);
  if (ref) return ref.attribute ? `<${ref.id}.${ref.attribute}>` : `<${ref.id}>`;
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'Fn::Sub' in value) return resolveSub(value['Fn::Sub']);
  throw new Error(`cannot describe ${JSON.stringify(value)}`);
}

/** An Fn::Sub (string or [string, variables]) with each ${Name} written as show() does. */
function resolveSub(sub: Json): string {
  const [template, variables] = (Array.isArray(sub) ? sub : [sub, {}]) as [string, Record<string, Json>];
  expect(typeof template).toBe('string');
  return template.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    if (name.startsWith('!')) return '${' + name.slice(1) + '}';
    if (name in variables) return show(variables[name]);
    return `<${name}>`;
  });
}

/** Every logical id (not AWS:: pseudo parameter) a value refers to, anywhere inside it. */
function referencedIds(value: Json, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => referencedIds(v, into));
  else if (value && typeof value === 'object') {
    const ref = reference(value);
    if (ref) into.add(ref.id);
    else if ('Fn::Sub' in value) {
      for (const match of resolveSub(value['Fn::Sub']).matchAll(/<([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?>/g)) into.add(match[1]!);
    } else Object.values(value).forEach((v) => referencedIds(v, into));
  }
  for (const id of into) if (id.startsWith('AWS::')) into.delete(id);
  return into;
}

/** A DynamoDB statement resource as "ComplianceTable" or "ComplianceTable/index/<name>"; anything else fails. */
function tableResource(resource: Json): string {
  const text = show(resource);
  if (text === SCAN_TABLES_ARN) return text;
  const match = /^<ComplianceTable\.Arn>(\/index\/[A-Za-z0-9_.-]+)?$/.exec(text);
  if (!match) throw new Error(`DynamoDB resource is not the ComplianceTable or one of its indexes: ${JSON.stringify(resource)}`);
  return `${TABLE}${match[1] ?? ''}`;
}

// ---------------------------------------------------------------------------
// A small zip reader (the artifacts are plain deflate zips), to open each bundle.

function readZip(file: string): Map<string, Buffer> {
  const zip = readFileSync(file);
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip`);
  const entries = new Map<string, Buffer>();
  let offset = zip.readUInt32LE(eocd + 16);
  for (let i = zip.readUInt16LE(eocd + 10); i > 0; i--) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    if (!name.endsWith('/')) entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return entries;
}

// ---------------------------------------------------------------------------
// Package once

let workDir: string;
let packageDir: string;
let template: { Resources: Record<string, Resource>; Outputs?: Json };

const resources = () => Object.entries(template.Resources);
const ofType = (type: string) => resources().filter(([, r]) => r.Type === type);
function resource(id: string): Resource {
  const found = template.Resources[id];
  if (!found) throw new Error(`no resource ${id} in the template`);
  return found;
}
/** Logical id of each function's AWS::Lambda::Function, by its serverless.yml key. */
function functionIds(): Record<FunctionKey, string> {
  const byName = new Map(ofType('AWS::Lambda::Function').map(([id, r]) => [r.Properties.FunctionName as string, id]));
  return Object.fromEntries(
    FUNCTIONS.map((key) => {
      const id = byName.get(`${SERVICE}-${STAGE}-${key}`);
      if (!id) throw new Error(`no Lambda function for ${key}`);
      return [key, id];
    }),
  ) as Record<FunctionKey, string>;
}
/** The role (logical id) a function runs as. */
function roleOf(functionId: string): string {
  const ref = reference(resource(functionId).Properties.Role);
  if (!ref || ref.attribute !== 'Arn') throw new Error(`${functionId}: Role is not a GetAtt of a role in this template`);
  expect(resource(ref.id).Type).toBe('AWS::IAM::Role');
  return ref.id;
}
function statementsOf(roleId: string): Statement[] {
  const role = resource(roleId);
  expect(role.Type).toBe('AWS::IAM::Role');
  return asArray(role.Properties.Policies).flatMap((policy: Json) => asArray(policy.PolicyDocument.Statement));
}
/** Every IAM statement of every role and inline/managed policy in the template, with its owner. */
function allIamStatements(): { owner: string; statement: Statement }[] {
  return resources().flatMap(([id, r]) => {
    if (r.Type === 'AWS::IAM::Role') return statementsOf(id).map((statement) => ({ owner: id, statement }));
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::RolePolicy') {
      return asArray(r.Properties.PolicyDocument.Statement).map((statement) => ({ owner: id, statement: statement as Statement }));
    }
    return [];
  });
}
const actionsOf = (s: Statement) => asArray(s.Action);
/** The role (logical id) each state machine runs as, in WORKFLOWS order. */
const stateMachineRoles = () => STATE_MACHINE_IDS.map((id) => reference(resource(id).Properties.RoleArn)!.id);

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'deploy-package-'));
  packageDir = path.join(workDir, 'package');
  // Only what osls needs: no AWS credentials or profile, so packaging provably
  // needs none (and can never reach an account), and no NODE_OPTIONS from vitest.
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(AWS_|SLS_|SERVERLESS_)/.test(name) || name === 'NODE_OPTIONS') continue;
    env[name] = value;
  }
  Object.assign(env, {
    AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, 'no-aws-credentials'),
    AWS_CONFIG_FILE: path.join(workDir, 'no-aws-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    // osls (unlike Serverless v3/v4) has no telemetry, update check or dashboard
    // login, and `package` makes no AWS call, so nothing else needs turning off.
    // serverless-esbuild's scratch folder is relative to the service; point it
    // outside the repo so a concurrent `serverless package` there is untouched.
    SLS_ESBUILD_WORK_FOLDER: path.relative(ROOT, path.join(workDir, 'esbuild')),
    // Its per-function zip staging folders (<function>-<pid>-<time>-<hex>) go to the
    // temporary folder and are not removed when not empty: keep them under workDir.
    TMPDIR: path.join(workDir, 'tmp'),
  });
  mkdirSync(env.TMPDIR!);
  try {
    await run(NODE, [SERVERLESS_BIN, 'package', '--stage', STAGE, '--region', REGION, '--package', packageDir], {
      cwd: ROOT,
      env,
      timeout: 220_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`serverless package failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
  template = JSON.parse(readFileSync(path.join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 240_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------

describe('serverless package (offline, no AWS credentials)', () => {
  it('writes the template into the temp package dir and cleans its esbuild scratch folder', () => {
    expect(existsSync(path.join(packageDir, 'cloudformation-template-update-stack.json'))).toBe(true);
    expect(existsSync(path.join(workDir, 'esbuild'))).toBe(false);
  });

  it('ships each function as its own ESM bundle that loads, exports its handler and leaves the AWS SDK to the runtime', async () => {
    const ids = functionIds();
    const bundles = path.join(workDir, 'bundles');
    mkdirSync(bundles);
    // The Lambda runtime provides @aws-sdk/*; here the repo's node_modules stands in.
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(bundles, 'node_modules'), 'dir');
    const files: [string, string][] = [];
    for (const key of FUNCTIONS) {
      const fn = resource(ids[key]).Properties;
      expect(fn.Runtime).toBe('nodejs24.x');
      expect(fn.Architectures).toEqual(['arm64']);
      expect(fn.Handler).toBe(HANDLERS[key]);
      const [file, exportName] = String(fn.Handler).split(/\.(?=[^.]+$)/) as [string, string];
      expect(fn.Code.S3Key).toMatch(new RegExp(`/${key}\\.zip$`));
      const entries = readZip(path.join(packageDir, `${key}.zip`));
      expect([...entries.keys()].sort()).toEqual([`${file}.mjs`, `${file}.mjs.map`]);
      const map = JSON.parse(entries.get(`${file}.mjs.map`)!.toString('utf8')) as { sources: string[] };
      expect(map.sources.filter((source) => /node_modules\/(@aws-sdk|@smithy)\//.test(source))).toEqual([]);
      const code = entries.get(`${file}.mjs`)!.toString('utf8');
      expect(code).toMatch(/from "@aws-sdk\/[a-z0-9-]+";/);
      const target = path.join(bundles, key, `${file}.mjs`);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, code);
      files.push([pathToFileURL(target).href, exportName]);
    }
    // Import every bundle in a plain Node 24, as the Lambda runtime would, not through vitest.
    const script = 'const out = {}; for (const [f, e] of JSON.parse(process.argv[1])) out[f] = typeof (await import(f))[e]; console.log(JSON.stringify(out));';
    const { stdout } = await run(NODE, ['--input-type=module', '-e', script, JSON.stringify(files)], {
      cwd: bundles,
      env: { PATH: process.env.PATH ?? '', AWS_REGION: REGION },
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual(Object.fromEntries(files.map(([f]) => [f, 'function'])));
  }, 90_000);
});

describe('ComplianceTable', () => {
  it('is the only table: on-demand, deletion-protected, retained, point-in-time recoverable, with TTL', () => {
    expect(ofType('AWS::DynamoDB::Table').map(([id]) => id)).toEqual([TABLE]);
    const table = resource(TABLE);
    expect(table.DeletionPolicy).toBe('Retain');
    const p = table.Properties;
    expect(p.TableName).toBe(`${SERVICE}-${STAGE}`);
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.DeletionProtectionEnabled).toBe(true);
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.TimeToLiveSpecification.Enabled).toBe(true);
    expect(p.TimeToLiveSpecification.AttributeName).toMatch(/^\w+$/);
    expect(p.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(p.GlobalSecondaryIndexes.map((gsi: Json) => [gsi.IndexName, gsi.KeySchema.map((k: Json) => k.AttributeName)])).toEqual([
      ['GSI1', ['GSI1PK', 'GSI1SK']],
      ['GSI2', ['GSI2PK', 'GSI2SK']],
      ['GSI3', ['GSI3PK', 'GSI3SK']],
    ]);
    // The pending-notice index carries keys only: finding waiting work reads a few bytes a notice.
    expect(p.GlobalSecondaryIndexes.find((gsi: Json) => gsi.IndexName === 'GSI3').Projection).toEqual({ ProjectionType: 'KEYS_ONLY' });
  });

  it('is encrypted with its own customer managed KMS key, which rotates and is retained', () => {
    const sse = resource(TABLE).Properties.SSESpecification;
    expect(sse.SSEEnabled).toBe(true);
    expect(sse.SSEType).toBe('KMS');
    const keyRef = reference(sse.KMSMasterKeyId);
    expect(keyRef, 'KMSMasterKeyId must reference a key in this stack').toBeDefined();
    expect([undefined, 'Arn', 'KeyId']).toContain(keyRef!.attribute);
    const key = resource(keyRef!.id);
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
  });
});

describe('IAM: one least-privilege role per function', () => {
  it('gives each declared function its own role', () => {
    const ids = functionIds();
    expect(ofType('AWS::Lambda::Function')).toHaveLength(FUNCTIONS.length);
    const roles = FUNCTIONS.map((key) => roleOf(ids[key]));
    expect(new Set(roles).size).toBe(FUNCTIONS.length);
    const machineRoles = stateMachineRoles();
    expect(new Set(machineRoles).size).toBe(WORKFLOWS.length);
    for (const machineRole of machineRoles) expect(roles).not.toContain(machineRole);
    // Not the provider's shared role: serverless-iam-roles-per-function made one for each.
    expect(roles).not.toContain('IamRoleLambdaExecution');
    FUNCTIONS.forEach((key, i) => expect(JSON.stringify(resource(roles[i]!).Properties.RoleName)).toContain(`"${key}"`));
    // The shared role stays in the template (the plugin copies it), unused and with logs only.
    for (const [id] of ofType('AWS::IAM::Role').filter(([id]) => !roles.includes(id) && !machineRoles.includes(id))) {
      expect(ofType('AWS::Lambda::Function').filter(([, fn]) => reference(fn.Properties.Role)?.id === id)).toEqual([]);
      for (const statement of statementsOf(id)) for (const action of actionsOf(statement)) expect(action).toMatch(/^logs:/);
    }
    for (const role of roles) {
      expect(resource(role).Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] },
      ]);
      expect(asArray(resource(role).Properties.ManagedPolicyArns)).toEqual([]);
    }
  });

  it.each(FUNCTIONS)('%s has exactly its DynamoDB actions, on the ComplianceTable and its indexes only (scanSource also on the scanTables param)', (key) => {
    const granted: Record<string, string[]> = {};
    for (const statement of statementsOf(roleOf(functionIds()[key]))) {
      expect(statement.Effect).toBe('Allow');
      for (const action of actionsOf(statement).filter((a) => a.toLowerCase().startsWith('dynamodb:'))) {
        const resourcesOfStatement = asArray(statement.Resource as Json);
        expect(resourcesOfStatement.length).toBeGreaterThan(0);
        granted[action] = [...new Set([...(granted[action] ?? []), ...resourcesOfStatement.map(tableResource)])].sort();
      }
    }
    const expected = Object.fromEntries(Object.entries(dynamoGrants(accessOf(key))).map(([action, on]) => [action, [...on].sort()]));
    expect(granted).toEqual(expected);
  });

  it.each(FUNCTIONS)('%s has nothing else but its own log group and its one other service', (key) => {
    const granted: Record<string, string[]> = {};
    for (const statement of statementsOf(roleOf(functionIds()[key]))) {
      for (const action of actionsOf(statement)) {
        if (action.startsWith('dynamodb:')) continue;
        const on = asArray(statement.Resource as Json).map(show);
        if (action.startsWith('logs:')) {
          expect(['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents']).toContain(action);
          for (const arn of on) expect(arn).toMatch(new RegExp(`^arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/lambda/${SERVICE}-${STAGE}-${key}:`));
          continue;
        }
        granted[action] = [...new Set([...(granted[action] ?? []), ...on])].sort();
      }
    }
    expect(granted).toEqual(otherGrants(accessOf(key)));
  });

  it('has no wildcard action, NotAction, NotResource or "*" resource in any role or policy', () => {
    const statements = allIamStatements();
    expect(statements.length).toBeGreaterThan(10);
    for (const { owner, statement } of statements) {
      const where = `${owner}: ${JSON.stringify(statement)}`;
      expect(statement.NotAction, where).toBeUndefined();
      expect(statement.NotResource, where).toBeUndefined();
      if (statement.Effect !== 'Allow') continue;
      for (const action of actionsOf(statement)) expect(action, where).not.toContain('*');
      for (const on of asArray(statement.Resource as Json)) expect(on, where).not.toBe('*');
    }
  });

  it('grants DynamoDB, SES, SSM, Step Functions and Lambda only to the roles that need them', () => {
    const ids = functionIds();
    const roleFor = Object.fromEntries(FUNCTIONS.map((key) => [roleOf(ids[key]), key])) as Record<string, FunctionKey>;
    const holders = (prefix: string) =>
      [...new Set(allIamStatements().filter(({ statement }) => actionsOf(statement).some((a) => a.toLowerCase().startsWith(prefix))).map(({ owner }) => roleFor[owner] ?? owner))].sort();
    expect(holders('dynamodb:')).toEqual(FUNCTIONS.filter((key) => touchesTable(accessOf(key))).sort());
    expect(holders('ses:')).toEqual(FUNCTIONS.filter((key) => accessOf(key).sendMail).sort());
    // The send steps only: monitorSend is behaviour monitoring's (the sweep's send step deployed again, mailing alerts).
    expect(holders('ses:')).toEqual(['monitorSend', 'reviewSend', 'sweepSend']);
    expect(holders('ssm:')).toEqual(FUNCTIONS.filter((key) => accessOf(key).hashKey).sort());
    // Who keys hashes: the scan's findings, monitoring's events (ingest and detect), and the web pages' CSRF tokens.
    expect(holders('ssm:')).toEqual(['monitorDetect', 'monitorIngest', 'scanSource', 'web']);
    expect(holders('s3:')).toEqual(FUNCTIONS.filter((key) => accessOf(key).scanSources || accessOf(key).deliverPackages).sort());
    // Who reads the operator's buckets: the scan, and monitoring's import of audit-log exports; who
    // hands audit packages over through the exports bucket: the API's audit function and the web pages.
    expect(FUNCTIONS.filter((key) => accessOf(key).scanSources).sort()).toEqual(['monitorIngest', 'scanSource']);
    expect(FUNCTIONS.filter((key) => accessOf(key).deliverPackages).sort()).toEqual(['apiAudit', 'web']);
    expect(holders('kms:')).toEqual(FUNCTIONS.filter((key) => touchesTable(accessOf(key)) || accessOf(key).signManifests).sort());
    expect(holders('states:')).toEqual(FUNCTIONS.filter((key) => accessOf(key).startWorkflows || accessOf(key).describeWorkflows).sort());
    expect(holders('lambda:')).toEqual([...stateMachineRoles()].sort());
  });

  it('lets only the functions declared to read the hash key read it: ssm:GetParameter on exactly that parameter, which each finds in its environment', () => {
    const readers = FUNCTIONS.filter((key) => accessOf(key).hashKey);
    const ssmStatements = allIamStatements().filter(({ statement }) => actionsOf(statement).some((a) => a.toLowerCase().startsWith('ssm:')));
    expect(ssmStatements.map(({ owner }) => owner).sort()).toEqual(readers.map((key) => roleOf(functionIds()[key])).sort());
    for (const { owner, statement } of ssmStatements) {
      expect(statement.Effect, owner).toBe('Allow');
      expect(actionsOf(statement), owner).toEqual(['ssm:GetParameter']);
      expect(asArray(statement.Resource as Json).map(show), owner).toEqual([HASH_KEY_PARAMETER_ARN]);
    }
    // Each reads the same parameter it may read (the runtime finds none without it), and no one else is told it.
    for (const key of FUNCTIONS) {
      const variable = resource(functionIds()[key]).Properties.Environment.Variables.HASH_KEY_PARAMETER;
      expect(variable, key).toBe(readers.includes(key) ? HASH_KEY_PARAMETER : undefined);
    }
  });

  it("lets only the starter, the API's runs function and the web pages start every state machine, a workflow's last step only what follows it, and only the runs function and the web pages describe executions", () => {
    const statesStatements = allIamStatements().filter(({ statement }) => actionsOf(statement).some((a) => a.toLowerCase().startsWith('states:')));
    expect(statesStatements.length).toBeGreaterThan(0);
    const keyOfRole = Object.fromEntries(FUNCTIONS.map((key) => [roleOf(functionIds()[key]), key]));
    const starts: Record<string, Set<string>> = {};
    const describes: Record<string, Set<string>> = {};
    for (const { owner, statement } of statesStatements) {
      expect(statement.Effect).toBe('Allow');
      const key = keyOfRole[owner]!;
      expect(key, `${owner} is a function's role`).toBeDefined();
      const [action, ...more] = actionsOf(statement);
      expect(more, 'one Step Functions action a statement').toEqual([]);
      for (const target of asArray(statement.Resource as Json)) {
        if (action === 'states:StartExecution') {
          const ref = reference(target);
          expect(ref, `StartExecution on ${JSON.stringify(target)}`).toBeDefined();
          expect(ref!.attribute).toBeUndefined();
          (starts[key] ??= new Set()).add(ref!.id);
        } else {
          expect(action).toBe('states:DescribeExecution');
          // The executions of one state machine of this stack (its name read from it), nothing wider.
          const match = /^arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<([A-Za-z0-9]+)\.Name>:\*$/.exec(show(target));
          expect(match, `DescribeExecution on ${show(target)}`).not.toBeNull();
          expect(resource(match![1]!).Type).toBe('AWS::StepFunctions::StateMachine');
          // So, resolved: arn:...:execution:compliance-<stage>-<workflow>:*.
          expect(resource(match![1]!).Properties.StateMachineName).toMatch(new RegExp(`^${SERVICE}-${STAGE}-[a-z-]+$`));
          (describes[key] ??= new Set()).add(match![1]!);
        }
      }
    }
    expect([...starts.startRun!].sort()).toEqual([...STATE_MACHINE_IDS].sort());
    expect([...(starts.apiRuns ?? [])].sort()).toEqual([...STATE_MACHINE_IDS].sort());
    // The web pages let schedulers start a run and read runs, through POST /v1/runs and GET /v1/runs's own checks.
    expect([...(starts.web ?? [])].sort()).toEqual([...STATE_MACHINE_IDS].sort());
    expect([...(starts.scanThenGaps ?? [])]).toEqual(['GapAnalysisStateMachine']);
    expect(Object.keys(starts).sort()).toEqual(['apiRuns', 'scanThenGaps', 'startRun', 'web']);
    expect(Object.keys(describes).sort()).toEqual(['apiRuns', 'web']);
    expect([...describes.apiRuns!].sort()).toEqual([...STATE_MACHINE_IDS].sort());
    expect([...describes.web!].sort()).toEqual([...STATE_MACHINE_IDS].sort());
  });

  it('gives whoever starts or describes runs the ARN of each such state machine, and only the manifest signer the signing key', () => {
    for (const key of FUNCTIONS) {
      const access = accessOf(key);
      const env = resource(functionIds()[key]).Properties.Environment.Variables as Record<string, Json>;
      const known = new Set([...startable(access), ...(access.describeWorkflows ? STATE_MACHINE_IDS : [])]);
      for (const w of WORKFLOWS) expect(env[w.envVar], `${key} ${w.envVar}`).toEqual(known.has(w.id) ? { Ref: w.id } : undefined);
      if (access.signManifests) expect(reference(env.MANIFEST_KEY_ID), key).toEqual({ id: MANIFEST_KEY, attribute: 'Arn' });
      else expect(env.MANIFEST_KEY_ID, key).toBeUndefined();
    }
    // apiRuns (and the web pages, through its route) read a run's status with DescribeExecution, so they need every ARN.
    for (const key of ['apiRuns', 'web'] as const) {
      const env = resource(functionIds()[key]).Properties.Environment.Variables;
      for (const w of WORKFLOWS) expect(env[w.envVar], `${key} ${w.envVar}`).toEqual({ Ref: w.id });
    }
  });

  it('tells only the web pages the user pool that signs their sessions and its client, and only them and the mail senders their address', () => {
    const web = resource(functionIds().web).Properties.Environment.Variables as Record<string, Json>;
    // The same issuer and audience the API's authorizer checks.
    const jwt = ofType('AWS::ApiGatewayV2::Authorizer')[0]![1].Properties.JwtConfiguration;
    expect(show(web.COGNITO_ISSUER)).toBe(show(jwt.Issuer));
    expect(show(web.COGNITO_CLIENT_ID)).toBe(show(jwt.Audience[0]));
    expect(jwt.Audience).toHaveLength(1);
    // The API's own address (its HttpApiUrl output), where the hosted sign-in sends people back.
    expect(show(web.WEB_BASE_URL)).toBe('https://<HttpApi>.execute-api.<AWS::Region>.<AWS::URLSuffix>');
    // No hosted sign-in page by default (authDomainPrefix ''), so no domain to send people to.
    expect(params().authDomainPrefix).toBe('');
    expect(web.COGNITO_DOMAIN).toBeUndefined();
    for (const key of FUNCTIONS.filter((k) => k !== 'web')) {
      const env = resource(functionIds()[key]).Properties.Environment.Variables as Record<string, Json>;
      for (const name of ['COGNITO_ISSUER', 'COGNITO_CLIENT_ID', 'COGNITO_DOMAIN']) expect(env[name], `${key} ${name}`).toBeUndefined();
      // A mail with review tasks links to the tasks page.
      if (['sweepSend', 'reviewSend', 'monitorSend'].includes(key)) expect(show(env.WEB_BASE_URL), key).toBe(show(web.WEB_BASE_URL));
      else expect(env.WEB_BASE_URL, `${key} WEB_BASE_URL`).toBeUndefined();
    }
  });

  it("gives the API's functions the roles their routes need, and no more", () => {
    const granted = (key: FunctionKey) => [...new Set(statementsOf(roleOf(functionIds()[key])).flatMap(actionsOf))];
    const reads = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
    const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    // Reads only.
    expect(granted('apiRead').filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([...reads].sort());
    for (const key of ['apiRead', 'apiRuns'] as const) for (const action of writes) expect(granted(key), key).not.toContain(action);
    for (const key of ['apiRead', 'apiWrite', 'apiAudit'] as const) expect(granted(key).filter((a) => a.startsWith('states:')), key).toEqual([]);
    for (const key of ['apiRead', 'apiWrite', 'apiRuns'] as const) expect(granted(key), key).not.toContain('kms:Sign');
    expect(granted('apiWrite')).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
    expect(granted('apiRuns')).toEqual(expect.arrayContaining(['states:StartExecution', 'states:DescribeExecution']));
    expect(granted('apiAudit')).toEqual(expect.arrayContaining(['kms:Sign', 'kms:GetPublicKey']));
    // Nobody deletes through the API, and no API function sends mail or reads the hash key or scan sources;
    // only the audit function touches S3: it puts packages in the exports bucket and gets them (a presigned link).
    for (const key of ['apiRead', 'apiWrite', 'apiRuns', 'apiAudit'] as const) {
      expect(granted(key), key).not.toContain('dynamodb:DeleteItem');
      expect(granted(key).filter((a) => /^(ses|ssm):/.test(a)), key).toEqual([]);
      expect(granted(key).filter((a) => a.startsWith('s3:')).sort(), key).toEqual(key === 'apiAudit' ? ['s3:GetObject', 's3:PutObject'] : []);
    }
    // The web pages call those routes' use cases: they hold no more than the four together, plus the
    // hash key they derive CSRF tokens from; they delete nothing, send no mail and read no scan source.
    const viaRoutes = new Set((['apiRead', 'apiWrite', 'apiRuns', 'apiAudit'] as const).flatMap(granted));
    const web = granted('web').filter((a) => !a.startsWith('logs:'));
    expect(web.filter((a) => !viaRoutes.has(a))).toEqual(['ssm:GetParameter']);
    expect(web).not.toContain('dynamodb:DeleteItem');
    expect(web.filter((a) => a.startsWith('ses:'))).toEqual([]);
    // The download page hands packages over as apiAudit does (otherGrants: on the exports bucket's objects only).
    expect(web.filter((a) => a.startsWith('s3:')).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
  });

  it('lets only the send steps (sweepSend, reviewSend, monitorSend) send mail, with SendEmail/SendRawEmail on the verified identity', () => {
    const sesStatements = allIamStatements().filter(({ statement }) => actionsOf(statement).some((a) => a.toLowerCase().startsWith('ses:')));
    expect(sesStatements.length).toBeGreaterThan(0);
    // monitorSend: behaviour monitoring's send step, mailing its alerts.
    const sendRoles = (['sweepSend', 'reviewSend', 'monitorSend'] as const).map((key) => roleOf(functionIds()[key]));
    expect(sesStatements.map(({ owner }) => owner).sort()).toEqual([...sendRoles].sort());
    for (const { owner, statement } of sesStatements) {
      expect(sendRoles).toContain(owner);
      expect([...actionsOf(statement)].sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      const on = asArray(statement.Resource as Json);
      expect(on.length).toBeGreaterThan(0);
      for (const arn of on.map(show)) {
        expect(arn).not.toBe('*');
        expect(arn).toContain(':identity/');
        expect(arn).toBe(SES_IDENTITY_ARN);
      }
    }
    // Each sender reaches SES where the identity is, and only the senders are told a region of their own.
    for (const key of FUNCTIONS) expect(resource(functionIds()[key]).Properties.Environment?.Variables?.SES_REGION, key).toBe(accessOf(key).sendMail ? 'ap-southeast-1' : undefined);
  });
});

/** The KMS statements of every role, apart: on the table key, and on the manifest-signing key (nothing else). */
function kmsStatements() {
  const all = allIamStatements().filter(({ statement }) => actionsOf(statement).some((a) => a.startsWith('kms:')));
  const on = (id: string) => all.filter(({ statement }) => asArray(statement.Resource as Json).some((r) => reference(r)?.id === id));
  const table = on('ComplianceTableKey');
  const manifest = on(MANIFEST_KEY);
  expect(table.length + manifest.length, 'every KMS statement is on one of the two keys').toBe(all.length);
  return { table, manifest };
}

describe('the table key', () => {
  it('delegates to IAM, and the roles that touch the table may use it only through DynamoDB in this region', () => {
    const key = resource('ComplianceTableKey').Properties.KeyPolicy.Statement as Statement[] & { Principal?: Json }[];
    expect(key).toHaveLength(1);
    expect(show((key[0] as Json).Principal.AWS)).toBe('arn:<AWS::Partition>:iam::<AWS::AccountId>:root');
    const kms = kmsStatements().table;
    expect(kms.length).toBeGreaterThan(0);
    for (const { owner, statement } of kms) {
      expect(actionsOf(statement).sort(), owner).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      expect(asArray(statement.Resource as Json).map(show), owner).toEqual(['<ComplianceTableKey.Arn>']);
      const condition = (statement as Json).Condition;
      expect(Object.keys(condition), owner).toEqual(['StringEquals']);
      expect(Object.keys(condition.StringEquals), owner).toEqual(['kms:ViaService']);
      expect(show(condition.StringEquals['kms:ViaService']), owner).toBe('dynamodb.<AWS::Region>.amazonaws.com');
    }
  });
});

describe('the manifest-signing key', () => {
  it('is an asymmetric P-256 signing key, retained, whose policy delegates to IAM', () => {
    const key = resource(MANIFEST_KEY);
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.KeySpec).toBe('ECC_NIST_P256');
    expect(key.Properties.KeyUsage).toBe('SIGN_VERIFY');
    // Packages signed with it must stay verifiable after the stack is gone.
    expect(key.DeletionPolicy).toBe('Retain');
    // Asymmetric keys cannot rotate automatically; CloudFormation refuses EnableKeyRotation on them.
    expect(key.Properties.EnableKeyRotation ?? false).toBe(false);
    const policy = key.Properties.KeyPolicy.Statement as Json[];
    expect(policy).toHaveLength(1);
    expect(policy[0].Effect).toBe('Allow');
    expect(show(policy[0].Principal.AWS)).toBe('arn:<AWS::Partition>:iam::<AWS::AccountId>:root');
  });

  it('may be used only by the functions that sign manifests, to sign and to read its public key', () => {
    const signers = FUNCTIONS.filter((key) => accessOf(key).signManifests);
    // The audit package route, and the web pages that download it (GET /package/download runs that route).
    expect([...signers].sort()).toEqual(['apiAudit', 'web']);
    const { manifest } = kmsStatements();
    expect(manifest.map(({ owner }) => owner).sort()).toEqual(signers.map((key) => roleOf(functionIds()[key])).sort());
    for (const { owner, statement } of manifest) {
      expect(signers.map((key) => roleOf(functionIds()[key]))).toContain(owner);
      expect(statement.Effect).toBe('Allow');
      expect(actionsOf(statement).sort()).toEqual(['kms:GetPublicKey', 'kms:Sign']);
      expect(asArray(statement.Resource as Json).map(show)).toEqual([`<${MANIFEST_KEY}.Arn>`]);
    }
  });
});

describe('HTTP API', () => {
  const apis = () => ofType('AWS::ApiGatewayV2::Api');
  const routes = () => ofType('AWS::ApiGatewayV2::Route').map(([id, r]) => ({ id, p: r.Properties }));
  const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
  /** The one authorizer's logical id (checked below). */
  const authorizerId = () => ofType('AWS::ApiGatewayV2::Authorizer')[0]![0];

  /** Every declared route with the function that serves it: each API route its own, each web page route `web`. */
  const declaredRoutes = () => [
    ...API_ROUTES.map((r) => ({ key: routeKey(r), function: r.function as FunctionKey })),
    ...WEB_ROUTES.map((r) => ({ key: routeKey(r), function: 'web' as FunctionKey })),
  ];

  it('is one HTTP API (no REST API) with exactly the declared routes (API_ROUTES and WEB_ROUTES), each to its declared function', () => {
    expect(apis().map(([id]) => id)).toEqual(['HttpApi']);
    expect(resource('HttpApi').Properties.ProtocolType).toBe('HTTP');
    expect(resources().filter(([, r]) => r.Type.startsWith('AWS::ApiGateway::'))).toEqual([]);
    expect(routes().map((r) => r.p.RouteKey).sort()).toEqual(declaredRoutes().map((r) => r.key).sort());
    // No route is declared twice, within or across the two lists.
    expect(new Set(declaredRoutes().map((r) => r.key)).size).toBe(API_ROUTES.length + WEB_ROUTES.length);
    // The API is under /v1, the pages are not: neither can take the other's path.
    for (const r of API_ROUTES) expect(r.path, routeKey(r)).toMatch(/^\/v1\//);
    for (const r of WEB_ROUTES) expect(r.path, routeKey(r)).not.toMatch(/^\/v1(\/|$)/);
    const ids = functionIds();
    for (const declared of declaredRoutes()) {
      const route = routes().find((r) => r.p.RouteKey === declared.key)!;
      expect(reference(route.p.ApiId)?.id).toBe('HttpApi');
      const [prefix, target] = route.p.Target['Fn::Join'][1] as [string, Json];
      expect(prefix).toBe('integrations');
      const integration = resource(reference(target)!.id);
      expect(integration.Type).toBe('AWS::ApiGatewayV2::Integration');
      expect(integration.Properties.IntegrationType).toBe('AWS_PROXY');
      expect(integration.Properties.PayloadFormatVersion).toBe('2.0');
      expect(reference(integration.Properties.IntegrationUri), declared.key).toEqual({ id: ids[declared.function], attribute: 'Arn' });
    }
  });

  it('puts every API route behind the JWT authorizer (ID tokens of the user pool, for its app client), and only the web pages\' routes without it', () => {
    const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [id, authorizer] = authorizers[0]!;
    expect(authorizer.Properties.Name).toBe('cognito');
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(reference(authorizer.Properties.ApiId)?.id).toBe('HttpApi');
    expect(authorizer.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
    const jwt = authorizer.Properties.JwtConfiguration;
    expect(show(jwt.Issuer)).toBe('https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>/<ComplianceUserPool>');
    expect(resource('ComplianceUserPool').Type).toBe('AWS::Cognito::UserPool');
    expect(jwt.Audience.map(show)).toEqual(['<ComplianceUserPoolClient>']);
    const client = resource('ComplianceUserPoolClient');
    expect(client.Type).toBe('AWS::Cognito::UserPoolClient');
    expect(reference(client.Properties.UserPoolId)?.id).toBe('ComplianceUserPool');
    // A browser sends the pages a session cookie, not an Authorization header: the web function checks
    // it against the same pool and client itself (lib/web/auth.ts). Every other route is behind the authorizer.
    const open = (p: Json) => p.AuthorizationType === undefined || p.AuthorizationType === 'NONE';
    expect(routes()).toHaveLength(API_ROUTES.length + WEB_ROUTES.length);
    expect(routes().filter((r) => open(r.p)).map((r) => r.p.RouteKey).sort()).toEqual(WEB_ROUTES.map(routeKey).sort());
    expect(routes().filter((r) => !open(r.p)).map((r) => r.p.RouteKey).sort()).toEqual(API_ROUTES.map(routeKey).sort());
    for (const route of routes()) {
      if (open(route.p)) {
        expect(route.p.AuthorizerId, route.p.RouteKey).toBeUndefined();
        expect(route.p.AuthorizationScopes, route.p.RouteKey).toBeUndefined();
        continue;
      }
      expect(route.p.AuthorizationType, route.p.RouteKey).toBe('JWT');
      expect(reference(route.p.AuthorizerId)?.id, route.p.RouteKey).toBe(id);
    }
  });

  it('lets API Gateway invoke only the API functions and the web pages\' function, and only from this API', () => {
    const ids = functionIds();
    const apiFunctions = [...new Set([...API_ROUTES.map((r) => ids[r.function]), ...(WEB_ROUTES.length ? [ids.web] : [])])].sort();
    const fromApiGateway = ofType('AWS::Lambda::Permission').filter(([, p]) => p.Properties.Principal === 'apigateway.amazonaws.com');
    expect(fromApiGateway.map(([, p]) => reference(p.Properties.FunctionName)?.id).sort()).toEqual(apiFunctions);
    for (const [, p] of fromApiGateway) expect(referencedIds(p.Properties.SourceArn)).toEqual(new Set(['HttpApi']));
    // An API Gateway integration gives up after 30 s; each function ends before it.
    for (const id of apiFunctions) expect(resource(id).Properties.Timeout, id).toBeLessThan(30);
  });

  it('logs access as JSON without the Authorization header, query strings, paths or claims, kept like the functions\' logs', () => {
    const stages = ofType('AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const stage = stages[0]![1].Properties;
    expect(reference(stage.ApiId)?.id).toBe('HttpApi');
    const logGroupRef = reference(stage.AccessLogSettings.DestinationArn);
    expect(logGroupRef?.attribute).toBe('Arn');
    const logGroup = resource(logGroupRef!.id);
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(90);
    const format = JSON.parse(stage.AccessLogSettings.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      requestTime: '$context.requestTime',
      routeKey: '$context.routeKey',
      status: '$context.status',
      responseLength: '$context.responseLength',
      integrationLatency: '$context.integrationLatency',
    });
    for (const [field, value] of Object.entries(format)) {
      expect(value, field).toMatch(/^\$context\.[A-Za-z.]+$/);
      // The route key is the declared path with its {placeholders}; the request's own path and query can carry identifiers.
      expect(value.toLowerCase(), field).not.toMatch(/header|authorization|query|\.path$|claims|principalid|useragent|\.user$|\.caller$|domainprefix/);
    }
  });

  it('throttles every route by default, at the rate and burst the params give', () => {
    const settings = ofType('AWS::ApiGatewayV2::Stage')[0]![1].Properties;
    expect(settings.StageName).toBe('$default');
    expect(settings.AutoDeploy).toBe(true);
    const { apiThrottleRate, apiThrottleBurst } = params();
    expect([apiThrottleRate, apiThrottleBurst]).toEqual([50, 100]);
    expect(settings.DefaultRouteSettings.ThrottlingRateLimit).toBe(apiThrottleRate);
    expect(settings.DefaultRouteSettings.ThrottlingBurstLimit).toBe(apiThrottleBurst);
    // No route is given settings of its own that would lift the limits.
    expect(settings.RouteSettings).toBeUndefined();
  });

  it('alarms on any 5xx it answers', () => {
    const mine = ofType('AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties.Namespace === 'AWS/ApiGateway');
    expect(mine).toHaveLength(1);
    const p = mine[0]![1].Properties;
    expect(p.MetricName).toBe('5xx');
    expect(p.Dimensions).toEqual([{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }]);
    expect([p.Statistic, p.Threshold, p.ComparisonOperator]).toEqual(['Sum', 1, 'GreaterThanOrEqualToThreshold']);
    expect(p.AlarmActions.map((a: Json) => reference(a)?.id)).toEqual(['AlertsTopic']);
  });

  it('outputs its URL, the user pool, its client and the issuer', () => {
    const outputs = template.Outputs as Record<string, { Value: Json }>;
    expect(referencedIds(outputs.HttpApiUrl!.Value)).toEqual(new Set(['HttpApi']));
    expect(outputs.UserPoolId!.Value).toEqual({ Ref: 'ComplianceUserPool' });
    expect(outputs.UserPoolClientId!.Value).toEqual({ Ref: 'ComplianceUserPoolClient' });
    expect(show(outputs.UserPoolIssuer!.Value)).toBe(show(resource(authorizerId()).Properties.JwtConfiguration.Issuer));
    expect(reference(outputs.ManifestSigningKeyArn!.Value)).toEqual({ id: MANIFEST_KEY, attribute: 'Arn' });
  });
});

describe('the exports bucket', () => {
  const bucket = () => resource(EXPORTS_BUCKET);

  it('is private: public access blocked, ACLs off, TLS only', () => {
    // Besides the Framework's own deployment bucket (the code it uploads).
    expect(ofType('AWS::S3::Bucket').map(([id]) => id).sort()).toEqual([EXPORTS_BUCKET, 'ServerlessDeploymentBucket']);
    expect(bucket().Type).toBe('AWS::S3::Bucket');
    const p = bucket().Properties;
    expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(p.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(p.AccessControl).toBeUndefined();
    expect(p.WebsiteConfiguration).toBeUndefined();
    // Its one policy refuses every request not over TLS, and grants nothing.
    const policies = ofType('AWS::S3::BucketPolicy').filter(([, r]) => reference(r.Properties.Bucket)?.id === EXPORTS_BUCKET);
    expect(policies).toHaveLength(1);
    const policy = policies[0]![1].Properties;
    const statements = asArray(policy.PolicyDocument.Statement) as Json[];
    expect(statements.map((s) => s.Effect)).toEqual(['Deny']);
    expect(statements[0].Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    expect(asArray(statements[0].Resource).map(show).sort()).toEqual([`<${EXPORTS_BUCKET}.Arn>`, EXPORTS_OBJECTS]);
  });

  it('encrypts every object at rest, keeps no old versions, and deletes each a day after it was written', () => {
    const p = bucket().Properties;
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
    expect(p.VersioningConfiguration).toBeUndefined();
    const rules = p.LifecycleConfiguration.Rules as Json[];
    expect(rules).toHaveLength(1);
    // The whole bucket (no prefix or tag filter): nothing in it outlives a day or so.
    expect(rules[0]).toEqual({ Id: 'ExpirePackages', Status: 'Enabled', ExpirationInDays: 1, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } });
  });

  it('is named to the functions that hand packages over (EXPORTS_BUCKET), and only to them', () => {
    for (const key of FUNCTIONS) {
      const env = resource(functionIds()[key]).Properties.Environment.Variables as Record<string, Json>;
      expect(env.EXPORTS_BUCKET, key).toEqual(accessOf(key).deliverPackages ? { Ref: EXPORTS_BUCKET } : undefined);
    }
    expect((template.Outputs as Record<string, { Value: Json }>).ExportsBucketName!.Value).toEqual({ Ref: EXPORTS_BUCKET });
  });

  it('may be written and read by those functions alone: s3:PutObject and s3:GetObject on its objects, in one statement each role, nothing on the bucket itself', () => {
    const ids = functionIds();
    const touching = allIamStatements().filter(({ statement }) => referencedIds(statement.Resource ?? null).has(EXPORTS_BUCKET));
    expect(touching.map(({ owner }) => owner).sort()).toEqual(['apiAudit', 'web'].map((key) => roleOf(ids[key as FunctionKey])).sort());
    for (const { owner, statement } of touching) {
      expect(statement.Effect, owner).toBe('Allow');
      expect(actionsOf(statement).sort(), owner).toEqual(['s3:GetObject', 's3:PutObject']);
      expect(asArray(statement.Resource as Json).map(show), owner).toEqual([EXPORTS_OBJECTS]);
    }
  });
});

describe('the user pool', () => {
  const pool = () => resource('ComplianceUserPool').Properties;
  const client = () => resource('ComplianceUserPoolClient').Properties;

  it('has one group per role the API knows, and nothing else', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties);
    expect(groups.map((g) => g.GroupName).sort()).toEqual([...ROLES].sort());
    expect([...ROLES].sort()).toEqual(['admin', 'auditor', 'owner', 'scheduler']);
    for (const g of groups) expect(reference(g.UserPoolId)?.id, g.GroupName).toBe('ComplianceUserPool');
    expect(ofType('AWS::Cognito::UserPool').map(([id]) => id)).toEqual(['ComplianceUserPool']);
  });

  it('holds each person\'s organisation in custom:org, a string set once at creation', () => {
    const org = (pool().Schema as Json[]).filter((a) => a.Name === 'org');
    expect(org).toHaveLength(1);
    expect(org[0].AttributeDataType).toBe('String');
    expect(org[0].Mutable).toBe(false);
    // The same bounds the API's claims schema holds it to (1 to 64 characters).
    expect(org[0].StringAttributeConstraints).toEqual({ MinLength: '1', MaxLength: '64' });
  });

  it('lets only administrators add people, and is retained and deletion-protected', () => {
    expect(pool().AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool().DeletionProtection).toBe('ACTIVE');
    expect(resource('ComplianceUserPool').DeletionPolicy).toBe('Retain');
    expect(pool().Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
    // a second factor by authenticator app only (no SMS, which needs a role and can be intercepted);
    // OPTIONAL, as Cognito cannot turn a created pool's MFA ON and this pool is retained
    expect(pool().MfaConfiguration).toBe('OPTIONAL');
    expect(pool().EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  it('has a public app client (no secret) that reads custom:org into the ID token and may never write it', () => {
    expect(ofType('AWS::Cognito::UserPoolClient')).toHaveLength(1);
    expect(client().GenerateSecret).toBe(false);
    expect(client().ReadAttributes).toContain('custom:org');
    expect(client().WriteAttributes ?? []).not.toContain('custom:org');
    // Password sign-in only by SRP: the password never goes to Cognito in the clear.
    expect([...client().ExplicitAuthFlows].sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
    expect(client().PreventUserExistenceErrors).toBe('ENABLED');
    expect(client().IdTokenValidity).toBeLessThanOrEqual(60);
    expect(client().TokenValidityUnits.IdToken).toBe('minutes');
  });

  it('has hosted sign-in pages only when a domain prefix is given', () => {
    const domains = ofType('AWS::Cognito::UserPoolDomain');
    expect(domains).toHaveLength(1);
    const [, domain] = domains[0]!;
    expect((domain as Json).Condition).toBe('HasAuthDomain');
    expect(params().authDomainPrefix).toBe('');
    expect((template as Json).Conditions.HasAuthDomain).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });
});

describe('alarms', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([id, r]) => ({ id, p: r.Properties }));
  const targets = (p: Json) => p.AlarmActions.map((a: Json) => reference(a)?.id);

  it('alarms on every failed or timed-out execution of each workflow, to the alerts topic', () => {
    expect(resource('AlertsTopic').Type).toBe('AWS::SNS::Topic');
    for (const w of WORKFLOWS) {
      const mine = alarms().filter((a) => reference(a.p.Dimensions[0].Value)?.id === w.id);
      expect(mine.map((a) => `${a.p.Namespace} ${a.p.MetricName}`).sort(), w.name).toEqual(['AWS/States ExecutionsFailed', 'AWS/States ExecutionsTimedOut']);
      for (const { p } of mine) {
        expect(p.Dimensions[0].Name).toBe('StateMachineArn');
        expect([p.Statistic, p.Threshold, p.ComparisonOperator]).toEqual(['Sum', 1, 'GreaterThanOrEqualToThreshold']);
        expect(targets(p)).toEqual(['AlertsTopic']);
      }
    }
  });

  it("alarms on each workflow's runs recorded as failed while their execution succeeds (the metric its report steps log)", () => {
    const recorded = alarms().filter((a) => a.p.Namespace === FAILED_RUN_METRIC.namespace);
    expect(recorded.map((a) => a.p.Dimensions[1].Value).sort()).toEqual(WORKFLOWS.map((w) => w.name).sort());
    for (const { p } of recorded) {
      expect(p.MetricName).toBe(FAILED_RUN_METRIC.name);
      // per table (stage) and workflow: the dimensions the log line names
      expect(p.Dimensions.map((d: Json) => d.Name)).toEqual(['Table', 'Workflow']);
      expect(reference(p.Dimensions[0].Value)?.id).toBe('ComplianceTable');
      expect([p.Statistic, p.Threshold, p.ComparisonOperator]).toEqual(['Sum', 1, 'GreaterThanOrEqualToThreshold']);
      expect(targets(p)).toEqual(['AlertsTopic']);
    }
  });

  it('alarms when the asynchronously invoked starter fails or drops a schedule tick', () => {
    const startRun = functionIds().startRun;
    const mine = alarms().filter((a) => reference(a.p.Dimensions[0].Value)?.id === startRun);
    expect(mine.map((a) => `${a.p.Namespace} ${a.p.MetricName}`).sort()).toEqual(['AWS/Lambda AsyncEventsDropped', 'AWS/Lambda Errors']);
    for (const { p } of mine) expect(targets(p)).toEqual(['AlertsTopic']);
    // Only the starter is invoked asynchronously (apiRuns may start every workflow too, but answers its caller).
    const lambdaAlarms = alarms().filter((a) => a.p.Namespace === 'AWS/Lambda').map((a) => reference(a.p.Dimensions[0].Value)?.id);
    expect([...new Set(lambdaAlarms)]).toEqual([startRun]);
  });
});

describe('schedules', () => {
  it('starts each workflow through startRun on its own declared schedule (and never through the API\'s runs function)', () => {
    expect(DOORS.find((d) => d.name === 'starter')!.functions).toHaveProperty('startRun');
    const startRun = functionIds().startRun;
    const schedules = [...ofType('AWS::Events::Rule'), ...ofType('AWS::Scheduler::Schedule')];
    expect(schedules).toHaveLength(WORKFLOWS.filter((w) => w.schedule).length);
    const seen: [string, Json][] = [];
    for (const [ruleId, rule] of schedules) {
      expect(rule.Properties.State ?? 'ENABLED').toBe('ENABLED');
      const targets = asArray(rule.Properties.Targets ?? rule.Properties.Target) as Json[];
      expect(targets).toHaveLength(1);
      expect(reference(targets[0].Arn)).toEqual({ id: startRun, attribute: 'Arn' });
      seen.push([rule.Properties.ScheduleExpression, JSON.parse(targets[0].Input)]);
      if (rule.Type === 'AWS::Events::Rule') {
        // EventBridge can invoke the function only with a resource policy for this rule.
        const permissions = ofType('AWS::Lambda::Permission').filter(([, p]) => reference(p.Properties.SourceArn)?.id === ruleId);
        expect(permissions).toHaveLength(1);
        const permission = permissions[0]![1].Properties;
        expect(permission.Action).toBe('lambda:InvokeFunction');
        expect(permission.Principal).toBe('events.amazonaws.com');
        expect(reference(permission.FunctionName)?.id).toBe(startRun);
      }
    }
    const bySchedule = (a: [string, Json], b: [string, Json]) => a[0].localeCompare(b[0]);
    expect(seen.sort(bySchedule)).toEqual(WORKFLOWS.filter((w) => w.schedule).map((w): [string, Json] => [w.schedule!, { workflow: w.name }]).sort(bySchedule));
  });
});

describe('state machines', () => {
  it('are exactly the declared workflows', () => {
    expect(ofType('AWS::StepFunctions::StateMachine').map(([id]) => id).sort()).toEqual([...STATE_MACHINE_IDS].sort());
  });
});

describe.each(WORKFLOWS)('$name state machine', (workflow) => {
  const stateMachine = () => {
    const machine = resource(workflow.id);
    expect(machine.Type).toBe('AWS::StepFunctions::StateMachine');
    return machine;
  };
  /** The deployed definition, each reference written as <Id.Attr>. */
  const definition = (): Json => JSON.parse(show(stateMachine().Properties.DefinitionString));
  function tasks(states: Record<string, Json>, into: [string, Json][] = []): [string, Json][] {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') into.push([name, state]);
      const nested = state.ItemProcessor ?? state.Iterator;
      if (nested) tasks(nested.States, into);
      for (const branch of state.Branches ?? []) tasks(branch.States, into);
    }
    return into;
  }

  it('is named per stage and is what startRun starts', () => {
    const p = stateMachine().Properties;
    expect(p.StateMachineName).toBe(`${SERVICE}-${STAGE}-${workflow.name}`);
    const env = resource(functionIds().startRun).Properties.Environment.Variables;
    expect(env[workflow.envVar]).toEqual({ Ref: workflow.id });
    for (const key of FUNCTIONS) expect(resource(functionIds()[key]).Properties.Environment.Variables.COMPLIANCE_TABLE).toEqual({ Ref: TABLE });
  });

  it(`calls its own functions by ARN, and is its workflows/*.asl.json otherwise unchanged`, () => {
    const ids = functionIds();
    const deployed = definition();
    const called = tasks(deployed.States).map(([, state]) => state.Resource as string);
    expect([...new Set(called)].sort()).toEqual(workflow.functions.map((key) => `<${ids[key]}.Arn>`).sort());
    expect([...referencedIds(stateMachine().Properties.DefinitionString)].sort()).toEqual(workflow.functions.map((key) => ids[key]).sort());
    // Binding each ARN back to its "${functionKey}" placeholder gives the ASL file.
    const keyOf = Object.fromEntries(FUNCTIONS.map((key) => [`<${ids[key]}.Arn>`, key]));
    // validate: true runs asl-validator, which writes the default QueryLanguage
    // ("JSONPath") into every state it checks; that is what the file means anyway.
    const unbound = JSON.parse(JSON.stringify(deployed, (k, v) => (k === 'QueryLanguage' && v === 'JSONPath' ? undefined : v)).replace(/"Resource":"(<[A-Za-z0-9]+\.Arn>)"/g, (_, arn: string) => `"Resource":"\${${keyOf[arn]}}"`));
    const source = JSON.parse(readFileSync(path.join(ROOT, 'workflows', `${workflow.name}.asl.json`), 'utf8'));
    expect(unbound).toEqual(source);
  });

  it('times out as a whole, and every Task has TimeoutSeconds (no shorter than its Lambda\'s), Retry and Catch', () => {
    const ids = functionIds();
    const timeoutOf = Object.fromEntries(FUNCTIONS.map((key) => [`<${ids[key]}.Arn>`, resource(ids[key]).Properties.Timeout as number]));
    const deployed = definition();
    expect(Number.isInteger(deployed.TimeoutSeconds) && deployed.TimeoutSeconds > 0).toBe(true);
    const all = tasks(deployed.States);
    expect(all.map(([name]) => name).sort()).toEqual([...workflow.tasks].sort());
    for (const [name, state] of all) {
      expect(Number.isInteger(state.TimeoutSeconds) && state.TimeoutSeconds > 0, `${name} TimeoutSeconds`).toBe(true);
      expect(timeoutOf[state.Resource], `${name} calls a function of this stack`).toBeDefined();
      expect(state.TimeoutSeconds, `${name} TimeoutSeconds vs its Lambda timeout`).toBeGreaterThanOrEqual(timeoutOf[state.Resource]!);
      expect(state.TimeoutSeconds, `${name} fits in the execution`).toBeLessThanOrEqual(deployed.TimeoutSeconds);
      expect(Array.isArray(state.Retry) && state.Retry.length > 0, `${name} Retry`).toBe(true);
      expect(Array.isArray(state.Catch) && state.Catch.length > 0, `${name} Catch`).toBe(true);
      expect(state.Catch.some((c: Json) => c.ErrorEquals.includes('States.ALL')), `${name} catches States.ALL`).toBe(true);
    }
  });

  it('has its own role, which may invoke only its own functions (and their versions)', () => {
    const ids = functionIds();
    const roleRef = reference(stateMachine().Properties.RoleArn);
    expect(roleRef?.attribute).toBe('Arn');
    // Not shared with the other state machine.
    expect(stateMachineRoles().filter((id) => id === roleRef!.id)).toHaveLength(1);
    const role = resource(roleRef!.id);
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toHaveLength(1);
    const trust = role.Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trust.Effect).toBe('Allow');
    expect(asArray(trust.Action)).toEqual(['sts:AssumeRole']);
    expect(show(trust.Principal.Service)).toBe('states.<AWS::Region>.amazonaws.com');
    expect(asArray(role.Properties.ManagedPolicyArns)).toEqual([]);
    const invoked = new Set<string>();
    for (const statement of statementsOf(roleRef!.id)) {
      expect(statement.Effect).toBe('Allow');
      expect(actionsOf(statement)).toEqual(['lambda:InvokeFunction']);
      for (const arn of asArray(statement.Resource as Json).map(show)) {
        // The function ARN, or the plugin's "<arn>:*" for its versions and aliases.
        const match = /^<([A-Za-z0-9]+)\.Arn>(:\*)?$/.exec(arn);
        expect(match, `state machine may invoke ${arn}`).not.toBeNull();
        invoked.add(match![1]!);
      }
    }
    expect([...invoked].sort()).toEqual(workflow.functions.map((key) => ids[key]).sort());
  });
});
