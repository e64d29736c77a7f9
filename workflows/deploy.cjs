// serverless.yml's functions, state machines and outputs, generated from the one
// declaration of every workflow and door (lib/workflows/declarations.ts), so that
// adding a workflow never means editing serverless.yml. `npx serverless print`
// shows the result.
//
// - Each function gets exactly the IAM statements its declared `access` implies
//   (serverless-iam-roles-per-function gives it a role of its own).
// - Each state machine is its workflows/<name>.asl.json, with every Task's
//   "${functionKey}" placeholder bound to that function's ARN (the local runner
//   binds the same placeholders to the handlers instead).
// - The starter gets each state machine's ARN in its environment, the right to
//   start exactly those, and one schedule per workflow.
// - The HTTP API's functions get their routes (API_ROUTES), each behind the Cognito
//   JWT authorizer that serverless.yml declares (provider.httpApi.authorizers); the
//   web pages' function gets WEB_ROUTES without it (it checks the session cookie).
// - Whoever reads the hash key finds its SSM parameter in HASH_KEY_PARAMETER.
// - Whoever hands audit packages over finds the exports bucket in EXPORTS_BUCKET, and may
//   put and get its objects only.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const declarations = require('../lib/workflows/declarations.ts');

const TABLE = 'ComplianceTable';
const TABLE_ARN = { 'Fn::GetAtt': [TABLE, 'Arn'] };
const TABLE_KEY_ARN = { 'Fn::GetAtt': ['ComplianceTableKey', 'Arn'] };
// The asymmetric key that signs audit-package manifests (serverless.yml).
const MANIFEST_KEY = 'ManifestSigningKey';
const MANIFEST_KEY_ARN = { 'Fn::GetAtt': [MANIFEST_KEY, 'Arn'] };
// The private bucket audit packages are handed over from (serverless.yml): its objects, never the bucket itself.
const EXPORTS_BUCKET = 'ExportsBucket';
const EXPORTS_OBJECTS = { 'Fn::Sub': `\${${EXPORTS_BUCKET}.Arn}/*` };
// The JWT authorizer in serverless.yml (provider.httpApi.authorizers) every API_ROUTES route is behind.
const AUTHORIZER = 'cognito';
/** The door whose function the schedules call (it may start every workflow; so may the API's runs function). */
const STARTER_DOOR = 'starter';

/** The workflows a start/describe flag names: every one for `true`, else those listed. */
function named(flag) {
  if (!flag) return [];
  return flag === true ? declarations.WORKFLOWS : declarations.WORKFLOWS.filter((w) => flag.includes(w.name));
}

/** A serverless.yml param, or the declaration's default when the stage sets none. */
async function param(resolveVariable, name, fallback) {
  try {
    const value = await resolveVariable(`param:${name}`);
    if (value !== undefined && value !== null) return value;
  } catch (error) {
    if (fallback === undefined) throw error;
  }
  return fallback;
}

/** A name with its `${AWS::...}` substitutions taken as one character each, for checking its shape. */
const substituted = (name) => name.replace(/\$\{[^}]*\}/g, 'x');
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
// (after substitution: `${AWS::Region}` and the like read as `x`)
const TABLE_ARN_OF = /^arn:(?:aws[a-z-]*|x):dynamodb:(?:[a-z]{2}(?:-[a-z]+)+-\d|x):(?:\d{12}|x):table\/(.+)$/;

/**
 * The scanTables and scanBuckets params as the resources scanSource may read: each a
 * comma-separated list (one source per table or bucket is the common case; an
 * organisation has several), tables as ARNs or as names in the stack's account and
 * region, buckets as names. A wildcard, a path or an index is refused, naming the param:
 * the role reads exactly the tables and buckets named, never a pattern of them.
 */
function scanSourceResources(tablesParam, bucketsParam) {
  const list = (value, what) => {
    const items = String(value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (items.length === 0) throw new Error(`${what}: names no ${what === 'scanTables' ? 'table' : 'bucket'}`);
    return items;
  };
  const tables = list(tablesParam, 'scanTables').map((t) => {
    const shape = substituted(t);
    // an ARN's partition, region and account as written (no wildcard there either), and its table's name
    if (!TABLE_NAME.test(shape.startsWith('arn:') ? (TABLE_ARN_OF.exec(shape)?.[1] ?? '') : shape)) throw new Error(`scanTables: ${JSON.stringify(t)} is not a table's name or ARN (a wildcard, path or index would grant more than the table)`);
    return { 'Fn::Sub': t.startsWith('arn:') ? t : `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${t}` };
  });
  const buckets = list(bucketsParam, 'scanBuckets').map((b) => {
    if (!BUCKET_NAME.test(substituted(b))) throw new Error(`scanBuckets: ${JSON.stringify(b)} is not a bucket's name (a wildcard or path would grant more than the bucket)`);
    return { 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${b}` };
  });
  return { tables, buckets };
}

async function statements(access, resolveVariable) {
  const out = [];
  const allow = (Action, Resource) => out.push({ Effect: 'Allow', Action, Resource });
  if (access.table?.length) allow(access.table.map((a) => `dynamodb:${a}`), [TABLE_ARN]);
  if (access.indexes?.length) allow(['dynamodb:Query'], access.indexes.map((index) => ({ 'Fn::Sub': `\${${TABLE}.Arn}/index/${index}` })));
  if (access.table?.length || access.indexes?.length) {
    // The table is encrypted with its own key, whose policy delegates to IAM: whoever
    // touches the table may use the key, and only through DynamoDB in this region.
    out.push({
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: [TABLE_KEY_ARN],
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'dynamodb.${AWS::Region}.amazonaws.com' } } },
    });
  }
  if (access.sendMail) {
    const domain = await param(resolveVariable, 'mailDomain');
    const region = await param(resolveVariable, 'sesRegion');
    allow(['ses:SendEmail', 'ses:SendRawEmail'], [{ 'Fn::Sub': `arn:\${AWS::Partition}:ses:${region}:\${AWS::AccountId}:identity/${domain}` }]);
  }
  if (access.hashKey) {
    const name = await param(resolveVariable, 'hashKeyParameter');
    allow(['ssm:GetParameter'], [{ 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}` }]);
  }
  if (access.scanSources) {
    // Only the tables and buckets the operator names in the scanTables / scanBuckets params.
    const { tables, buckets } = scanSourceResources(await param(resolveVariable, 'scanTables'), await param(resolveVariable, 'scanBuckets'));
    allow(['dynamodb:DescribeTable', 'dynamodb:Scan'], tables);
    allow(['s3:ListBucket'], buckets);
    allow(['s3:GetObject'], buckets.map((b) => ({ 'Fn::Sub': `${b['Fn::Sub']}/*` })));
  }
  if (access.startWorkflows) {
    allow(['states:StartExecution'], named(access.startWorkflows).map((w) => ({ Ref: declarations.stateMachineNames(w.name).logicalId })));
  }
  if (access.describeWorkflows) {
    // An execution's ARN is arn:...:execution:<state machine name>:<run name>; the name is
    // the deployed state machine's own (stateMachines() below names it), read from it.
    allow(
      ['states:DescribeExecution'],
      named(access.describeWorkflows).map((w) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:\${${declarations.stateMachineNames(w.name).logicalId}.Name}:*`,
      })),
    );
  }
  if (access.signManifests) allow(['kms:Sign', 'kms:GetPublicKey'], [MANIFEST_KEY_ARN]);
  // Put a package, and presign the GET of it that the caller is sent to (the link acts with this role's rights).
  if (access.deliverPackages) allow(['s3:PutObject', 's3:GetObject'], [EXPORTS_OBJECTS]);
  return out;
}

/** The web pages' function: every WEB_ROUTES entry, without the authorizer (a browser sends a session cookie, which the handler checks). */
const WEB_FUNCTION = 'web';

/** Each function's routes: one httpApi event per API_ROUTES (or, for the web function, WEB_ROUTES) entry it serves. */
function routeEvents(key) {
  if (key === WEB_FUNCTION) return declarations.WEB_ROUTES.map((route) => ({ httpApi: { method: route.method, path: route.path } }));
  return declarations.API_ROUTES.filter((route) => route.function === key).map((route) => ({
    httpApi: {
      method: route.method,
      path: route.path,
      // Every API route is behind the authorizer (the pages' routes, above, read their session cookie).
      authorizer: { name: AUTHORIZER },
    },
  }));
}

async function functions({ resolveVariable }) {
  const out = {};
  for (const [key, fn] of declarations.allFunctions()) {
    const environment = { ...fn.environment };
    for (const [name, value] of Object.entries(environment)) {
      const ref = /^\$\{param:(\w+)\}$/.exec(value);
      if (ref) environment[name] = await param(resolveVariable, ref[1]);
    }
    const events = routeEvents(key);
    // Who starts or describes a workflow's runs finds its state machine in <WORKFLOW>_ARN.
    for (const w of new Set([...named(fn.access.startWorkflows), ...named(fn.access.describeWorkflows)])) {
      const names = declarations.stateMachineNames(w.name);
      environment[names.arnVariable] = { Ref: names.logicalId };
    }
    if (fn.access.signManifests) environment.MANIFEST_KEY_ID = MANIFEST_KEY_ARN;
    if (fn.access.deliverPackages) environment.EXPORTS_BUCKET = { Ref: EXPORTS_BUCKET };
    // The role may read exactly this parameter (statements() above); the runtime reads it from here.
    if (fn.access.hashKey) environment.HASH_KEY_PARAMETER = await param(resolveVariable, 'hashKeyParameter');
    // The senders reach SES in its own region, which may not be the stack's (statements() above).
    if (fn.access.sendMail) environment.SES_REGION = await param(resolveVariable, 'sesRegion');
    if (key === WEB_FUNCTION) {
      // The pages check Cognito's ID tokens themselves, and send people to its hosted sign-in.
      environment.COGNITO_ISSUER = { 'Fn::Sub': 'https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${ComplianceUserPool}' };
      environment.COGNITO_CLIENT_ID = { Ref: 'ComplianceUserPoolClient' };
      const prefix = await param(resolveVariable, 'authDomainPrefix', '');
      if (prefix) environment.COGNITO_DOMAIN = { 'Fn::Sub': `https://${prefix}.auth.\${AWS::Region}.amazoncognito.com` };
    }
    // The pages' address: the web function's callback, and the link to the tasks page in the mails a sender sends.
    if (key === WEB_FUNCTION || fn.access.sendMail) environment.WEB_BASE_URL = { 'Fn::Sub': 'https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}' };
    // The starter is what the schedules call.
    if (fn.owner === STARTER_DOOR) {
      for (const w of declarations.WORKFLOWS.filter((w) => w.schedule)) {
        events.push({ schedule: { rate: await param(resolveVariable, w.schedule.param, w.schedule.default), input: { workflow: w.name } } });
      }
    }
    out[key] = {
      handler: fn.handler,
      description: fn.description,
      ...(fn.timeout ? { timeout: fn.timeout } : {}),
      ...(fn.memorySize ? { memorySize: fn.memorySize } : {}),
      ...(fn.reservedConcurrency ? { reservedConcurrency: fn.reservedConcurrency } : {}),
      ...(Object.keys(environment).length ? { environment } : {}),
      ...(events.length ? { events } : {}),
      iamRoleStatements: await statements(fn.access, resolveVariable),
    };
  }
  return out;
}

/** Every "Resource": "${functionKey}" becomes that function's ARN. */
function bindResources(node) {
  if (Array.isArray(node)) return node.map(bindResources);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    const placeholder = key === 'Resource' && typeof value === 'string' && /^\$\{(\w+)\}$/.exec(value);
    out[key] = placeholder ? { 'Fn::GetAtt': [placeholder[1], 'Arn'] } : bindResources(value);
  }
  return out;
}

async function stateMachines({ resolveVariable }) {
  const prefix = `${await resolveVariable('self:service')}-${await resolveVariable('sls:stage')}`;
  const out = {};
  for (const w of declarations.WORKFLOWS) {
    const names = declarations.stateMachineNames(w.name);
    const definition = JSON.parse(readFileSync(path.join(__dirname, declarations.definitionFile(w.name)), 'utf8'));
    out[names.key] = { name: `${prefix}-${w.name}`, id: names.logicalId, definition: bindResources(definition) };
  }
  return out;
}

/** One alarm on a metric: any occurrence in five minutes goes to the alerts topic. */
function alarm(description, namespace, metric, ...dimensions) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: description,
      Namespace: namespace,
      MetricName: metric,
      Dimensions: dimensions,
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: 'AlertsTopic' }],
    },
  };
}

/**
 * Alarms: a failed or timed-out execution of any workflow (a Catch that records the
 * failure still fails the execution), and a run its report step records as failed while
 * the execution succeeds (FAILED_RUN_METRIC); the starter, which EventBridge invokes
 * asynchronously, so its errors and dropped events would otherwise go unseen; and any
 * 5xx the HTTP API answers (bad input is a 4xx, so a 5xx is a fault of ours).
 */
function resources() {
  const Resources = {};
  for (const w of declarations.WORKFLOWS) {
    const { logicalId } = declarations.stateMachineNames(w.name);
    const dimension = { Name: 'StateMachineArn', Value: { Ref: logicalId } };
    Resources[`${logicalId}FailedAlarm`] = alarm(`${w.title} run failed`, 'AWS/States', 'ExecutionsFailed', dimension);
    Resources[`${logicalId}TimedOutAlarm`] = alarm(`${w.title} run timed out`, 'AWS/States', 'ExecutionsTimedOut', dimension);
    // A run recorded as failed by a step that lets the execution succeed (mail not delivered).
    const { namespace, name } = declarations.FAILED_RUN_METRIC;
    Resources[`${logicalId}RecordedFailedAlarm`] = alarm(`${w.title} run recorded as failed (e.g. mail not delivered)`, namespace, name, { Name: 'Table', Value: { Ref: TABLE } }, { Name: 'Workflow', Value: w.name });
  }
  for (const [key, fn] of declarations.allFunctions()) {
    if (fn.owner !== STARTER_DOOR) continue;
    const id = `${key.charAt(0).toUpperCase()}${key.slice(1)}LambdaFunction`;
    const dimension = { Name: 'FunctionName', Value: { Ref: id } };
    Resources[`${id}ErrorsAlarm`] = alarm('The starter failed to start scheduled runs', 'AWS/Lambda', 'Errors', dimension);
    Resources[`${id}DroppedAlarm`] = alarm('Schedule ticks to the starter were dropped', 'AWS/Lambda', 'AsyncEventsDropped', dimension);
  }
  // HttpApi is the API osls generates from the routes' httpApi events.
  if (declarations.API_ROUTES.length) {
    Resources.HttpApi5xxAlarm = alarm('The HTTP API answered with a server error (5xx)', 'AWS/ApiGateway', '5xx', { Name: 'ApiId', Value: { Ref: 'HttpApi' } });
  }
  return { Resources, Outputs: outputs() };
}

function outputs() {
  const out = { ComplianceTableName: { Value: { Ref: TABLE } } };
  for (const w of declarations.WORKFLOWS) {
    const names = declarations.stateMachineNames(w.name);
    out[`${names.logicalId.replace(/StateMachine$/, '')}Arn`] = { Value: { Ref: names.logicalId } };
  }
  return out;
}

module.exports = { functions, stateMachines, resources, scanSourceResources };
