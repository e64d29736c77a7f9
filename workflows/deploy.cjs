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
const { readFileSync } = require('node:fs');
const path = require('node:path');
const declarations = require('../lib/workflows/declarations.ts');

const TABLE = 'ComplianceTable';
const TABLE_ARN = { 'Fn::GetAtt': [TABLE, 'Arn'] };
const TABLE_KEY_ARN = { 'Fn::GetAtt': ['ComplianceTableKey', 'Arn'] };

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
    allow(['ses:SendEmail', 'ses:SendRawEmail'], [{ 'Fn::Sub': `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:identity/${domain}` }]);
  }
  if (access.hashKey) {
    const name = await param(resolveVariable, 'hashKeyParameter');
    allow(['ssm:GetParameter'], [{ 'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}` }]);
  }
  if (access.scanSources) {
    // Only the tables and buckets the operator names in the scanTables / scanBuckets params.
    const tables = await param(resolveVariable, 'scanTables');
    const buckets = await param(resolveVariable, 'scanBuckets');
    allow(['dynamodb:DescribeTable', 'dynamodb:Scan'], [{ 'Fn::Sub': tables }]);
    allow(['s3:ListBucket'], [{ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${buckets}` }]);
    allow(['s3:GetObject'], [{ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${buckets}/*` }]);
  }
  if (access.startWorkflows) {
    const names = access.startWorkflows === true ? declarations.WORKFLOWS.map((w) => w.name) : access.startWorkflows;
    allow(['states:StartExecution'], names.map((name) => ({ Ref: declarations.stateMachineNames(name).logicalId })));
  }
  return out;
}

async function functions({ resolveVariable }) {
  const out = {};
  for (const [key, fn] of declarations.allFunctions()) {
    const environment = { ...fn.environment };
    for (const [name, value] of Object.entries(environment)) {
      const ref = /^\$\{param:(\w+)\}$/.exec(value);
      if (ref) environment[name] = await param(resolveVariable, ref[1]);
    }
    const events = [];
    if (fn.access.startWorkflows) {
      const startable = fn.access.startWorkflows === true ? declarations.WORKFLOWS : declarations.WORKFLOWS.filter((w) => fn.access.startWorkflows.includes(w.name));
      for (const w of startable) {
        const names = declarations.stateMachineNames(w.name);
        environment[names.arnVariable] = { Ref: names.logicalId };
      }
    }
    // The starter (the door that may start every workflow) is what the schedules call.
    if (fn.access.startWorkflows === true) {
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
function alarm(description, namespace, metric, dimension) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: description,
      Namespace: namespace,
      MetricName: metric,
      Dimensions: [dimension],
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
 * failure still fails the execution), and the starter, which EventBridge invokes
 * asynchronously, so its errors and dropped events would otherwise go unseen.
 */
function resources() {
  const Resources = {};
  for (const w of declarations.WORKFLOWS) {
    const { logicalId } = declarations.stateMachineNames(w.name);
    const dimension = { Name: 'StateMachineArn', Value: { Ref: logicalId } };
    Resources[`${logicalId}FailedAlarm`] = alarm(`${w.title} run failed`, 'AWS/States', 'ExecutionsFailed', dimension);
    Resources[`${logicalId}TimedOutAlarm`] = alarm(`${w.title} run timed out`, 'AWS/States', 'ExecutionsTimedOut', dimension);
  }
  for (const [key, fn] of declarations.allFunctions()) {
    if (fn.access.startWorkflows !== true) continue;
    const id = `${key.charAt(0).toUpperCase()}${key.slice(1)}LambdaFunction`;
    const dimension = { Name: 'FunctionName', Value: { Ref: id } };
    Resources[`${id}ErrorsAlarm`] = alarm('The starter failed to start scheduled runs', 'AWS/Lambda', 'Errors', dimension);
    Resources[`${id}DroppedAlarm`] = alarm('Schedule ticks to the starter were dropped', 'AWS/Lambda', 'AsyncEventsDropped', dimension);
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

module.exports = { functions, stateMachines, resources };
