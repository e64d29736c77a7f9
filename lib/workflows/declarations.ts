// Every workflow and door of the product, declared once. The starter, the local
// runner, serverless.yml (through workflows/deploy.cjs), the CLI's `run` order
// and the tests all read this module; nothing lists workflows a second time.
// docs/adding-a-workflow.md walks through adding one.
//
// Pure data and small derivations: deploy.cjs loads this file under plain Node
// while packaging, so it imports nothing.

/** DynamoDB actions a function may take on the table itself. */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem' | 'ConditionCheckItem';

/** The table's global secondary indexes (see lib/adapters/dynamodb/keys.ts). */
export type IndexName = 'GSI1' | 'GSI2' | 'GSI3';

/** What a function may touch; deploy.cjs turns it into the function's IAM role, and nothing else is granted. */
export interface Access {
  table?: readonly TableAction[];
  /** Query on these indexes. */
  indexes?: readonly IndexName[];
  /** Send mail through SES from the verified identity (param mailDomain). */
  sendMail?: true;
  /** Read the keyed-hash key from SSM Parameter Store (param hashKeyParameter). */
  hashKey?: true;
  /** Read the S3 buckets and DynamoDB tables that scan sources may name (params scanBuckets, scanTables). */
  scanSources?: true;
  /** Start executions of every declared workflow (true), or of those named. */
  startWorkflows?: true | readonly string[];
  /** Describe executions of every declared workflow (a run's status). */
  describeWorkflows?: true;
  /** Sign audit-package manifests with the asymmetric KMS key (resource ManifestSigningKey). */
  signManifests?: true;
  /**
   * Hand audit packages over through the exports bucket (resource ExportsBucket, env
   * EXPORTS_BUCKET): put a package there and presign a GET of it (s3:PutObject and
   * s3:GetObject on its objects, nothing else), as a Lambda's response cannot carry more than 6 MB.
   */
  deliverPackages?: true;
}

export interface FunctionDeclaration {
  /** `functions/<file>.<export>`, as serverless.yml writes it. */
  handler: string;
  description: string;
  /** Seconds (default 60, the provider's). */
  timeout?: number;
  /** MB (default 512, the provider's). */
  memorySize?: number;
  reservedConcurrency?: number;
  /** Environment beyond the provider's; `${param:x}` is resolved by the Framework. */
  environment?: Readonly<Record<string, string>>;
  access: Access;
}

/** How often a workflow runs per organisation; a scheduled run is one per period. */
export type PeriodKind = 'quarter-hour' | 'day' | 'month' | 'quarter';

export interface WorkflowDeclaration {
  /** Kebab-case; names the ASL file, the state machine and every run. */
  name: string;
  /** What a person sees in output and pages. */
  title: string;
  /** The CLI command that runs it for one organisation, and its help line. */
  command: string;
  description: string;
  /** Its key in the JSON output of the full cycle (`compliance run --format json`). */
  cycleKey: string;
  period: PeriodKind;
  /**
   * The period is the organisation's, in its time zone (a quarter begins at local
   * midnight): the schedule ticks hourly and the starter starts a run for each
   * organisation whose local period turned within the last `startWithinDays` days.
   */
  localPeriod?: { startWithinDays: number };
  /** The EventBridge schedule, in UTC: the serverless.yml param that may override it, and its default. */
  schedule?: { param: string; default: string; description: string };
  /** Started by this workflow's last step when it ends, under the same period's name. */
  startedAfter?: string;
  /** Order in the full cycle (`compliance run`, `npm start`): lower runs first. */
  cycleOrder: number;
  /** The Lambda functions its Task states call, by serverless.yml key. */
  functions: Readonly<Record<string, FunctionDeclaration>>;
}

export interface DoorDeclaration {
  name: string;
  functions: Readonly<Record<string, FunctionDeclaration>>;
}

const SCAN_NODE_OPTIONS = '--enable-source-maps --max-semi-space-size=4';

/**
 * A run's last step records the run, then seals the audit trail: the chain's head, the
 * clearing items and the import marker (GetItem, Query), the entries not yet sealed (Query
 * on GSI2), the digest and its clearing item (PutItem: one TransactWriteItems, which IAM
 * checks as the actions inside it), the entries rewritten without their mark and old
 * clearing items deleted (BatchWriteItem), a clearing item marked cleared (UpdateItem), and
 * the entries of a digest another seal left uncleared, read from the table (BatchGetItem).
 */
const SEALS_AFTER_RECORDING: readonly TableAction[] = ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'];

export const WORKFLOWS = [
  {
    name: 'data-mapping-scan',
    title: 'Data-mapping scan',
    command: 'datamap',
    description: "run the data-mapping scan over the organisation's declared sources and store the data map",
    cycleKey: 'dataMap',
    period: 'month',
    schedule: { param: 'scanSchedule', default: 'cron(0 2 1 * ? *)', description: 'Monthly data-mapping scan, 02:00 UTC on the 1st.' },
    cycleOrder: 1,
    functions: {
      scanList: {
        handler: 'functions/scan-list.handler',
        description: "Starts a data-mapping scan run and lists the organisation's sources.",
        access: { table: ['Query', 'PutItem', 'UpdateItem'] },
      },
      scanSource: {
        handler: 'functions/scan-source.handler',
        description: 'Scans one declared source within its budget; findings leave only as counts, masks and keyed hashes.',
        timeout: 900,
        // One full vCPU: the scan is CPU-bound on one thread (22-26 MB/s at 174-343 MB peak on a 100 MB
        // file); 1,024 MB buys about 0.58 vCPU, so this runs about 1.7x faster for about the same
        // GB-seconds. A second vCPU would sit idle: the Lambda path scans on one thread.
        memorySize: 1769,
        environment: {
          HASH_KEY_PARAMETER: '${param:hashKeyParameter}',
          // A small young generation keeps a streamed scan's peak memory low (see bench/scan-throughput.ts).
          NODE_OPTIONS: SCAN_NODE_OPTIONS,
        },
        // Writes its own entry of the map (and its groups), so Step Functions only carries how it went.
        access: { table: ['GetItem', 'BatchWriteItem'], hashKey: true, scanSources: true },
      },
      scanStore: {
        handler: 'functions/scan-store.handler',
        description: 'Stores the data map of a scan with its change since the previous scan, and seals the audit trail.',
        timeout: 120,
        access: { table: SEALS_AFTER_RECORDING, indexes: ['GSI2'] },
      },
      scanFailure: {
        handler: 'functions/scan-store.failure',
        description: 'Records a data-mapping scan run as failed, and seals the audit trail.',
        access: { table: SEALS_AFTER_RECORDING, indexes: ['GSI2'] },
      },
      scanThenGaps: {
        handler: 'functions/start-run.after',
        description: 'Starts the gap analysis of the data map a scan just stored, under the scan\'s period.',
        access: { startWorkflows: ['gap-analysis'] },
      },
    },
  },
  {
    name: 'gap-analysis',
    title: 'Gap analysis',
    command: 'gaps',
    description: 'hold PDPO, GDPR and ISO/IEC 27001 requirements against the latest data map, the platforms and the risk; list the gaps',
    cycleKey: 'gaps',
    period: 'month',
    startedAfter: 'data-mapping-scan',
    cycleOrder: 2,
    functions: {
      gapAnalyse: {
        handler: 'functions/gap-analyse.handler',
        description: 'Runs the gap rules on the latest data map and records what opened, closed, reopened and expired.',
        timeout: 300,
        memorySize: 1024,
        access: { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'], indexes: ['GSI2'] },
      },
      gapFailure: {
        handler: 'functions/gap-analyse.failure',
        description: 'Records a gap analysis run as failed, and seals the audit trail.',
        access: { table: SEALS_AFTER_RECORDING, indexes: ['GSI2'] },
      },
    },
  },
  {
    name: 'quarterly-review',
    title: 'Quarterly review',
    command: 'review open',
    description: "open a quarter's ISO/IEC 27001 review (default: the current one): one task per applicable control due, one mail per owner",
    cycleKey: 'review',
    period: 'quarter',
    localPeriod: { startWithinDays: 7 },
    schedule: {
      param: 'reviewSchedule',
      default: 'cron(5 * * * ? *)',
      description: "Hourly; opens the quarter's review for each organisation whose local date has turned to the quarter's first days.",
    },
    cycleOrder: 4,
    functions: {
      reviewOpen: {
        handler: 'functions/review-open.plan',
        description: "Starts a quarterly review run: closes earlier reviews past their deadline, puts the quarter's review and plans its tasks in batches.",
        timeout: 120,
        access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem'] },
      },
      reviewTasks: {
        handler: 'functions/review-open.tasks',
        description: 'Writes one batch of review tasks, each by conditional put (a task already there is left as it is).',
        access: { table: ['PutItem'] },
      },
      reviewNotify: {
        handler: 'functions/review-open.notify',
        description: 'Records one digest notice per person with review tasks this quarter.',
        // as long as its state (NotifyAssignees) allows, not the 60 s default that ends it first
        timeout: 120,
        access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
      },
      reviewSend: {
        // The sweep's own send step, deployed again so this state machine invokes only its own functions.
        handler: 'functions/sweep-send.handler',
        description: "Sends one mail to each person of a batch listing their review tasks (and any notices waiting for them) and records each notice as sent.",
        timeout: 120,
        // With the sweep's 3, at most 4 senders at once: 4 x MAIL_MAX_PER_SECOND stays under SES's rate.
        reservedConcurrency: 1,
        access: { table: ['BatchGetItem', 'Query', 'PutItem', 'UpdateItem'], indexes: ['GSI3'], sendMail: true },
      },
      reviewReport: {
        handler: 'functions/review-open.report',
        description: 'Records the outcome of a quarterly review run, and seals the audit trail.',
        access: { table: SEALS_AFTER_RECORDING, indexes: ['GSI2'] },
      },
    },
  },
  {
    name: 'evidence-sweep',
    title: 'Evidence sweep',
    command: 'sweep',
    description: 'run the daily sweep: notices for evidence due soon, lapsed or to escalate, review tasks to remind of or escalate, reviews past their deadline closed',
    cycleKey: 'sweep',
    period: 'day',
    schedule: { param: 'sweepSchedule', default: 'cron(0 1 * * ? *)', description: 'Daily evidence sweep, 01:00 UTC (09:00 Hong Kong).' },
    cycleOrder: 5,
    functions: {
      sweepPlan: {
        handler: 'functions/sweep-plan.handler',
        description: 'Finds evidence due soon, lapsed or to escalate and review tasks to remind of or escalate, records their notices, and closes reviews past their deadline.',
        timeout: 300,
        access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'ConditionCheckItem'], indexes: ['GSI2', 'GSI3'] },
      },
      sweepSend: {
        handler: 'functions/sweep-send.handler',
        description: 'Sends one notice e-mail to each recipient of a batch and records each notice as sent.',
        timeout: 120,
        // With the review's 1, at most 4 senders across all organisations: 4 x MAIL_MAX_PER_SECOND stays under SES's rate.
        reservedConcurrency: 3,
        // Reads a quarter's tasks to drop from a review digest what was answered before it was sent.
        access: { table: ['BatchGetItem', 'Query', 'PutItem', 'UpdateItem'], indexes: ['GSI3'], sendMail: true },
      },
      sweepReport: {
        handler: 'functions/sweep-report.handler',
        description: 'Records the outcome of a sweep run and appends it to the audit trail, then seals the trail.',
        access: { table: SEALS_AFTER_RECORDING, indexes: ['GSI2'] },
      },
    },
  },
  {
    name: 'behaviour-monitoring',
    title: 'Behaviour monitoring',
    command: 'monitor',
    description: "watch the platforms' audit logs: import the declared exports not read before, examine the events received since the last run, raise alerts and mail them",
    cycleKey: 'monitoring',
    period: 'quarter-hour',
    schedule: { param: 'monitorSchedule', default: 'cron(0/15 * * * ? *)', description: 'Behaviour monitoring every 15 minutes.' },
    // Before the quarter's review, which attaches the quarter's monitoring record to A.8.15, A.8.16 and A.5.14.
    cycleOrder: 3,
    functions: {
      monitorIngest: {
        handler: 'functions/monitor.ingest',
        description: "Starts a monitoring run and imports the platforms' declared audit-log exports (S3 prefixes) not imported before; events are held as keyed hashes and masks.",
        timeout: 900,
        memorySize: 1769,
        environment: { HASH_KEY_PARAMETER: '${param:hashKeyParameter}' },
        // Marks its ingest under way (PutItem, DeleteItem), writes events (BatchWriteItem), the file's record and its audit entry.
        access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'], hashKey: true, scanSources: true },
      },
      monitorDetect: {
        handler: 'functions/monitor.detect',
        description: 'Examines the events received since the watermark with the events around them, raises each alert once, records its notices and moves the watermark.',
        timeout: 900,
        memorySize: 1769,
        environment: { HASH_KEY_PARAMETER: '${param:hashKeyParameter}' },
        access: { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'], indexes: ['GSI2', 'GSI3'], hashKey: true },
      },
      monitorSend: {
        // The sweep's own send step, deployed again so this state machine invokes only its own functions.
        handler: 'functions/sweep-send.handler',
        description: 'Sends one mail to each person of a batch listing their alerts (and any notices waiting for them) and records each notice as sent.',
        timeout: 120,
        // With the sweep's 3 and the review's 1 at 3 mails/s each, one more sender at 1/s: 13/s, under SES's 14/s.
        reservedConcurrency: 1,
        environment: { MAIL_MAX_PER_SECOND: '1' },
        access: { table: ['BatchGetItem', 'Query', 'PutItem', 'UpdateItem'], indexes: ['GSI3'], sendMail: true },
      },
      monitorReport: {
        handler: 'functions/monitor.report',
        description: 'Records the outcome of a monitoring run, and seals the audit trail.',
        access: { table: SEALS_AFTER_RECORDING, indexes: ['GSI2'] },
      },
    },
  },
] as const satisfies readonly WorkflowDeclaration[];

const API_READ: readonly TableAction[] = ['GetItem', 'BatchGetItem', 'Query'];

/**
 * Ways in that are not a workflow step: the starter the schedules call, and the HTTP
 * API, whose routes (API_ROUTES) are split over functions by what they may touch, so
 * a read route's role cannot write and only the run routes may start a workflow.
 */
export const DOORS = [
  {
    name: 'starter',
    functions: {
      startRun: {
        handler: 'functions/start-run.handler',
        description: 'Starts a workflow once per organisation and period (schedule or API).',
        // GetItem: an organisation's time zone (a review starts in its first local days);
        // Query: whether it has a data map yet (no monitoring pass before one).
        access: { table: ['GetItem', 'Query'], indexes: ['GSI1'], startWorkflows: true },
      },
    },
  },
  {
    name: 'api',
    functions: {
      apiRead: {
        handler: 'functions/api.read',
        description: 'HTTP API: the read routes (controls, evidence, data map, gaps, reviews, tasks, audit trail).',
        timeout: 29,
        memorySize: 1024,
        access: { table: API_READ, indexes: ['GSI1', 'GSI2'] },
      },
      apiWrite: {
        handler: 'functions/api.write',
        description: 'HTTP API: an owner answers a review task or registers evidence; an alert\'s recipient acknowledges or resolves it.',
        timeout: 29,
        access: { table: [...API_READ, 'PutItem', 'UpdateItem', 'ConditionCheckItem'], indexes: ['GSI1', 'GSI2'] },
      },
      apiRuns: {
        handler: 'functions/api.runs',
        description: 'HTTP API: schedulers start a workflow run and read runs and their executions.',
        timeout: 29,
        access: { table: API_READ, indexes: ['GSI1'], startWorkflows: true, describeWorkflows: true },
      },
      web: {
        handler: 'functions/web.handler',
        description: 'The web pages: owners answer tasks, auditors read and download, schedulers start runs (through the API routes\' own checks).',
        timeout: 29,
        memorySize: 1769,
        access: {
          table: [...API_READ, 'PutItem', 'UpdateItem', 'BatchWriteItem', 'ConditionCheckItem'],
          indexes: ['GSI1', 'GSI2', 'GSI3'],
          hashKey: true,
          startWorkflows: true,
          describeWorkflows: true,
          signManifests: true,
          deliverPackages: true,
        },
      },
      apiAudit: {
        handler: 'functions/api.audit',
        description: 'HTTP API: the audit package (sealing the audit trail first, signing its manifest, handing it over through the exports bucket).',
        timeout: 29,
        memorySize: 1769,
        access: { table: [...API_READ, 'PutItem', 'UpdateItem', 'BatchWriteItem', 'ConditionCheckItem'], indexes: ['GSI1', 'GSI2', 'GSI3'], signManifests: true, deliverPackages: true },
      },
    },
  },
] as const satisfies readonly DoorDeclaration[];

/** An HTTP API route: which function serves it. Every route but the web sign-in has the JWT authorizer. */
export interface RouteDeclaration {
  method: 'GET' | 'POST';
  path: string;
  function: 'apiRead' | 'apiWrite' | 'apiRuns' | 'apiAudit';
}

/**
 * The web pages' routes, all served by the `web` function. API Gateway's JWT authorizer
 * reads an Authorization header, which a browser does not send: the pages read the
 * session cookie and check the same claims in the handler (lib/web/auth.ts).
 */
export interface WebRouteDeclaration {
  method: 'GET' | 'POST';
  path: string;
}

export const WEB_ROUTES = [
  { method: 'GET', path: '/' },
  { method: 'GET', path: '/sign-in' },
  { method: 'GET', path: '/auth/callback' },
  { method: 'GET', path: '/signed-out' },
  { method: 'POST', path: '/sign-out' },
  { method: 'GET', path: '/tasks' },
  { method: 'POST', path: '/tasks/{quarter}/{control}' },
  // A refreshed form post's page asks for the form's address: it is sent on to the page with the form.
  { method: 'GET', path: '/tasks/{quarter}/{control}' },
  { method: 'GET', path: '/controls' },
  { method: 'GET', path: '/controls/{id}' },
  { method: 'GET', path: '/gaps' },
  { method: 'GET', path: '/datamap' },
  { method: 'GET', path: '/review' },
  { method: 'GET', path: '/audit' },
  { method: 'GET', path: '/package' },
  { method: 'GET', path: '/package/download' },
  { method: 'GET', path: '/runs' },
  { method: 'POST', path: '/runs' },
  { method: 'GET', path: '/report' },
] as const satisfies readonly WebRouteDeclaration[];

export const API_ROUTES = [
  { method: 'GET', path: '/v1/controls', function: 'apiRead' },
  { method: 'GET', path: '/v1/controls/{id}', function: 'apiRead' },
  { method: 'GET', path: '/v1/evidence', function: 'apiRead' },
  { method: 'GET', path: '/v1/datamaps/latest', function: 'apiRead' },
  { method: 'GET', path: '/v1/gaps', function: 'apiRead' },
  { method: 'GET', path: '/v1/reviews/{quarter}', function: 'apiRead' },
  { method: 'GET', path: '/v1/tasks', function: 'apiRead' },
  { method: 'GET', path: '/v1/audit', function: 'apiRead' },
  { method: 'GET', path: '/v1/runs', function: 'apiRuns' },
  { method: 'GET', path: '/v1/runs/{name}', function: 'apiRuns' },
  { method: 'POST', path: '/v1/runs', function: 'apiRuns' },
  { method: 'POST', path: '/v1/reviews/{quarter}/tasks/{control}/answer', function: 'apiWrite' },
  { method: 'POST', path: '/v1/evidence', function: 'apiWrite' },
  { method: 'GET', path: '/v1/audit/verify', function: 'apiRead' },
  { method: 'GET', path: '/v1/alerts', function: 'apiRead' },
  { method: 'GET', path: '/v1/alerts/stats', function: 'apiRead' },
  { method: 'POST', path: '/v1/alerts/{id}/ack', function: 'apiWrite' },
  { method: 'POST', path: '/v1/alerts/{id}/resolve', function: 'apiWrite' },
  { method: 'GET', path: '/v1/exports/{period}', function: 'apiAudit' },
] as const satisfies readonly RouteDeclaration[];

export type WorkflowName = (typeof WORKFLOWS)[number]['name'];

type KeysOf<T> = T extends unknown ? keyof T & string : never;
/** Every declared function's serverless.yml key. */
export type FunctionKey = KeysOf<(typeof WORKFLOWS)[number]['functions']> | KeysOf<(typeof DOORS)[number]['functions']>;

export const WORKFLOW_NAMES: readonly WorkflowName[] = WORKFLOWS.map((w) => w.name);

export function isWorkflowName(value: string): value is WorkflowName {
  return (WORKFLOW_NAMES as readonly string[]).includes(value);
}

export function workflow(name: WorkflowName): WorkflowDeclaration {
  const found = WORKFLOWS.find((w) => w.name === name);
  if (!found) throw new Error(`no workflow "${name}"`);
  return found;
}

/** Workflows in the order the full cycle runs them. */
export function cycle(): WorkflowDeclaration[] {
  return [...WORKFLOWS].sort((a, b) => a.cycleOrder - b.cycleOrder);
}

/** Every declared function, by serverless.yml key, with what it belongs to. */
export function allFunctions(): Map<FunctionKey, FunctionDeclaration & { owner: string }> {
  const out = new Map<FunctionKey, FunctionDeclaration & { owner: string }>();
  for (const group of [...WORKFLOWS, ...DOORS] as readonly { name: string; functions: Readonly<Record<string, FunctionDeclaration>> }[]) {
    for (const [key, fn] of Object.entries(group.functions) as [FunctionKey, FunctionDeclaration][]) {
      if (out.has(key)) throw new Error(`function ${key} is declared twice`);
      out.set(key, { ...fn, owner: group.name });
    }
  }
  return out;
}

const pascal = (name: string) => name.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());

/** How a workflow's state machine is named in serverless.yml and CloudFormation, and in the starter's environment. */
export function stateMachineNames(name: string): { key: string; logicalId: string; arnVariable: string } {
  const p = pascal(name);
  return { key: p.charAt(0).toLowerCase() + p.slice(1), logicalId: `${p}StateMachine`, arnVariable: `${name.replace(/-/g, '_').toUpperCase()}_ARN` };
}

/** The ASL file of a workflow, relative to workflows/. */
export function definitionFile(name: string): string {
  return `${name}.asl.json`;
}

/** The calendar date at `now` in `timeZone` (YYYY-MM-DD); UTC without one. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function dateIn(now: Date, timeZone?: string): string {
  if (!timeZone) return now.toISOString().slice(0, 10);
  // A formatter costs far more to make than to use: one per time zone.
  let format = dateFormats.get(timeZone);
  if (!format) dateFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const parts = format.formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The period a moment falls in, in UTC (or the time zone given): 2026-11-30T0915, 2026-11-30, 2026-11 or 2026-Q4. */
export function periodOf(kind: PeriodKind, now: Date, timeZone?: string): string {
  const day = dateIn(now, timeZone);
  if (kind === 'quarter-hour') return `${day}T${quarterHourIn(now, timeZone)}`;
  if (kind === 'day') return day;
  if (kind === 'month') return day.slice(0, 7);
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The quarter hour `now` falls in (in `timeZone`, else UTC), as HHMM: 0915 for 09:21. */
function quarterHourIn(now: Date, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timeZone ?? 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return `${String(get('hour')).padStart(2, '0')}${String(get('minute') - (get('minute') % 15)).padStart(2, '0')}`;
}

/** Whole days since the period that holds `now` (in `timeZone`) began: 0 on its first day. */
export function daysIntoPeriod(kind: PeriodKind, now: Date, timeZone?: string): number {
  const day = dateIn(now, timeZone);
  const month = Number(day.slice(5, 7));
  const first = kind === 'day' || kind === 'quarter-hour' ? day : kind === 'month' ? `${day.slice(0, 7)}-01` : `${day.slice(0, 4)}-${String(month - ((month - 1) % 3)).padStart(2, '0')}-01`;
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000);
}

/**
 * The period of a person's direct command: the period's name plus the time, to the
 * second (UTC), so it sorts after the period's scheduled run and in time order:
 * 2026-11-30T093015, 2026-11-30T093015 for a month (2026-11 + -30T093015), 2026-Q4-1130T093015; every
 * 15 minutes, 2026-11-30T093015 after the schedule's 2026-11-30T0930.
 */
export function onDemandPeriodOf(kind: PeriodKind, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').slice(0, 15); // 20261130T093015
  const [date = '', time = ''] = stamp.split('T');
  // Every 15 minutes: the day and the time to the second (2026-11-30T093015, after the schedule's 2026-11-30T0930).
  if (kind === 'quarter-hour') return `${periodOf('day', now)}T${time}`;
  const rest = kind === 'day' ? '' : kind === 'month' ? `-${date.slice(6, 8)}` : `-${date.slice(4, 8)}`;
  return `${periodOf(kind, now)}${rest}T${time}`;
}

/** Step Functions execution names: at most 80 of A-Z a-z 0-9 - _; never cut, never folded. */
export function runName(workflowName: string, orgId: string, period: string): string {
  const name = `${workflowName}-${orgId}-${period}`;
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new Error(`run name "${name}" is not a valid execution name`);
  return name;
}

/**
 * The execution name and input of a run: a scheduled one (and `compliance run`) is one
 * per workflow, organisation and period; a person's direct command (`onDemand`) gets
 * its own name; `period` names the period outright (a run started after another).
 */
export function runRequest(name: WorkflowName, orgId: string, now: Date, how: { onDemand?: boolean; period?: string; timeZone?: string } = {}) {
  const declared = workflow(name);
  const kind = declared.period;
  // A period of the organisation's own (a quarter's review) is named the same however it is started.
  const local = declared.localPeriod ? periodOf(kind, now, how.timeZone) : undefined;
  const period = how.period ?? local ?? (how.onDemand ? onDemandPeriodOf(kind, now) : periodOf(kind, now));
  const run = runName(name, orgId, period);
  return { name: run, input: { orgId, runName: run, now: now.toISOString() } };
}

/** The declared workflow a run's name is of, for this organisation (`<workflow>-<orgId>-<period>`). */
export function workflowOfRun(run: string, orgId: string): WorkflowDeclaration | undefined {
  return WORKFLOWS.find((w) => run.startsWith(`${w.name}-${orgId}-`));
}

/** The period a run's name ends with (`data-mapping-scan-acme-2026-11` -> `2026-11`). */
export function periodOfRun(workflowName: string, orgId: string, run: string): string {
  const prefix = `${workflowName}-${orgId}-`;
  if (!run.startsWith(prefix)) throw new Error(`run "${run}" is not a ${workflowName} run of ${orgId}`);
  return run.slice(prefix.length);
}

/**
 * A run can end recorded as failed while its execution succeeds: a sweep, review or
 * monitoring pass whose mails were not all delivered finishes its steps (the notices
 * stay pending for the next run) and says so in its run record. Its report step then
 * logs this metric (CloudWatch's embedded metric format: no API call, no permission),
 * per table and workflow, and an alarm per workflow watches it beside ExecutionsFailed.
 */
export const FAILED_RUN_METRIC = { namespace: 'Compliance', name: 'RunsRecordedFailed' } as const;
