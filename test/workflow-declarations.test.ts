// The one declaration of every workflow and door (lib/workflows/declarations.ts)
// against what is built from it: the ASL files, the handler modules, the
// functions serverless.yml gets (workflows/deploy.cjs), schedules and run names.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readDefinition, taskFunctions } from '../lib/adapters/local/workflow-runner.ts';
import { readServerlessConfig } from '../lib/adapters/dynamodb/table-definition.ts';
import {
  allFunctions,
  API_ROUTES,
  cycle,
  definitionFile,
  DOORS,
  periodOf,
  runName,
  runRequest,
  stateMachineNames,
  WORKFLOWS,
  WEB_ROUTES,
  type PeriodKind,
  type WorkflowName,
} from '../lib/workflows/declarations.ts';

const require = createRequire(import.meta.url);
const deploy = require('../workflows/deploy.cjs') as {
  functions: (
    ctx: { resolveVariable: (v: string) => Promise<unknown> },
  ) => Promise<Record<string, { handler: string; events?: unknown[]; environment?: Record<string, unknown> }>>;
};
/** The params serverless.yml declares by default, as the Framework would resolve them. */
const resolveVariable = async (variable: string) => {
  const params = readServerlessConfig().params.default as Record<string, unknown>;
  const name = variable.replace(/^param:/, '');
  if (name in params) return params[name];
  throw new Error(`Cannot resolve variable at "${variable}"`);
};

describe('workflow declarations', () => {
  it.each(WORKFLOWS.map((w) => w.name))('%s: its ASL file exists and every Task calls one of its own declared functions, each used', (name) => {
    expect(existsSync(new URL(`../workflows/${definitionFile(name)}`, import.meta.url))).toBe(true);
    const declared = Object.keys(WORKFLOWS.find((w) => w.name === name)!.functions).sort();
    const called = [...new Set(taskFunctions(readDefinition(name as WorkflowName)).values())].sort();
    expect(called).toEqual(declared);
  });

  it('has an ASL file for every workflow and a workflow for every ASL file', () => {
    const files = readdirSync(new URL('../workflows/', import.meta.url)).filter((f) => f.endsWith('.asl.json'));
    expect(files.sort()).toEqual(WORKFLOWS.map((w) => definitionFile(w.name)).sort());
  });

  it('declares each function once, with a handler module that exports it', async () => {
    const keys = [...WORKFLOWS, ...DOORS].flatMap((g) => Object.keys(g.functions));
    expect(new Set(keys).size).toBe(keys.length);
    for (const [key, fn] of allFunctions()) {
      const [file, exportName] = fn.handler.split(/\.(?=[^.]+$)/) as [string, string];
      const module = await import(/* @vite-ignore */ new URL(`../${file}.ts`, import.meta.url).href);
      expect(typeof module[exportName], `${key}: ${fn.handler}`).toBe('function');
    }
  });

  it('gives serverless.yml exactly the declared functions, none written by hand', async () => {
    expect(readFileSync(new URL('../serverless.yml', import.meta.url), 'utf8')).toMatch(/^functions: \$\{file\(workflows\/deploy\.cjs\):functions\}$/m);
    const generated = await deploy.functions({ resolveVariable });
    expect(Object.keys(generated).sort()).toEqual([...allFunctions().keys()].sort());
    for (const [key, fn] of allFunctions()) expect(generated[key]?.handler).toBe(fn.handler);
  });

  it('routes each API route to its function behind the authorizer, and each web page route to web without it', async () => {
    const generated = await deploy.functions({ resolveVariable });
    const routesOf = (key: string) => (generated[key]?.events ?? []).flatMap((e) => ('httpApi' in (e as object) ? [(e as { httpApi: Record<string, unknown> }).httpApi] : []));
    for (const key of Object.keys(generated)) {
      const expected =
        key === 'web'
          ? WEB_ROUTES.map((r) => ({ method: r.method, path: r.path }))
          : API_ROUTES.filter((r) => r.function === key).map((r) => ({ method: r.method, path: r.path, authorizer: { name: 'cognito' } }));
      expect(routesOf(key), key).toEqual(expected);
    }
  });

  it('tells the web pages the hosted sign-in domain only when the stage has one', async () => {
    const withDomain = await deploy.functions({
      resolveVariable: async (variable) => (variable === 'param:authDomainPrefix' ? 'acme-compliance' : resolveVariable(variable)),
    });
    expect(withDomain.web?.environment?.COGNITO_DOMAIN).toEqual({ 'Fn::Sub': 'https://acme-compliance.auth.${AWS::Region}.amazoncognito.com' });
    for (const [key, fn] of Object.entries(withDomain)) if (key !== 'web') expect(fn.environment?.COGNITO_DOMAIN, key).toBeUndefined();
    expect((await deploy.functions({ resolveVariable })).web?.environment?.COGNITO_DOMAIN).toBeUndefined();
  });

  it('schedules each workflow through the starter once, as often as its period', async () => {
    const starter = (await deploy.functions({ resolveVariable })).startRun;
    const schedules = (starter?.events ?? []) as { schedule: { rate: string; input: { workflow: string } } }[];
    const scheduled = WORKFLOWS.filter((w): w is Extract<(typeof WORKFLOWS)[number], { schedule: unknown }> => 'schedule' in w);
    expect(schedules.map((e) => e.schedule.input.workflow).sort()).toEqual(scheduled.map((w) => w.name).sort());
    for (const w of scheduled) {
      const rate = schedules.find((e) => e.schedule.input.workflow === w.name)!.schedule.rate;
      expect(rate).toBe(w.schedule.default);
      // A period of the organisation's own turns at its local midnight: the tick is hourly and the starter picks who is due.
      if ('localPeriod' in w) expect(rate, `${w.name}: hourly`).toMatch(/^cron\(\d+ \* \* \* \? \*\)$/);
      else expect(cronPeriod(rate), `${w.name}: ${rate}`).toBe(w.period);
    }
    // A workflow without a schedule is started when another ends, and that one exists.
    for (const w of WORKFLOWS.filter((w) => !('schedule' in w))) expect(WORKFLOWS.map((o) => o.name)).toContain((w as { startedAfter?: string }).startedAfter);
  });

  it('runs the full cycle in a fixed order with distinct output keys', () => {
    const order = cycle().map((w) => w.cycleOrder);
    expect(new Set(order).size).toBe(order.length);
    expect(new Set(cycle().map((w) => w.cycleKey)).size).toBe(WORKFLOWS.length);
    expect(new Set(WORKFLOWS.map((w) => w.command)).size).toBe(WORKFLOWS.length);
  });

  it('names state machines and their starter variables after the workflow', () => {
    expect(stateMachineNames('evidence-sweep')).toEqual({ key: 'evidenceSweep', logicalId: 'EvidenceSweepStateMachine', arnVariable: 'EVIDENCE_SWEEP_ARN' });
    expect(stateMachineNames('quarterly-review')).toEqual({ key: 'quarterlyReview', logicalId: 'QuarterlyReviewStateMachine', arnVariable: 'QUARTERLY_REVIEW_ARN' });
  });
});

describe('periods and run names', () => {
  it('names the quarter hour, day, month and quarter a moment falls in (UTC, or the time zone given)', () => {
    expect(periodOf('quarter-hour', new Date('2026-11-30T09:21:07Z'))).toBe('2026-11-30T0915');
    expect(periodOf('quarter-hour', new Date('2026-11-30T23:59:59Z'))).toBe('2026-11-30T2345');
    expect(periodOf('quarter-hour', new Date('2026-11-30T16:00:00Z'), 'Asia/Hong_Kong')).toBe('2026-12-01T0000');
    // A person's run sorts after the quarter hour's scheduled one and before the next.
    const run = runRequest('behaviour-monitoring', 'acme', new Date('2026-11-30T09:21:07Z'), { onDemand: true }).name;
    expect(run).toBe('behaviour-monitoring-acme-2026-11-30T092107');
    expect(run > runRequest('behaviour-monitoring', 'acme', new Date('2026-11-30T09:21:07Z')).name).toBe(true);
    expect(run < runRequest('behaviour-monitoring', 'acme', new Date('2026-11-30T09:30:00Z')).name).toBe(true);
    const now = new Date('2026-11-30T23:59:59Z');
    expect(periodOf('day', now)).toBe('2026-11-30');
    expect(periodOf('month', now)).toBe('2026-11');
    expect(periodOf('quarter', now)).toBe('2026-Q4');
    expect(periodOf('quarter', new Date('2027-01-01T00:00:00Z'))).toBe('2027-Q1');
    expect(periodOf('quarter', new Date('2026-06-30T12:00:00Z'))).toBe('2026-Q2');
  });

  it('fits every workflow, the longest organisation id and its period in an 80-character execution name', () => {
    const longest = 'a'.repeat(40);
    for (const w of WORKFLOWS) {
      const { name, input } = runRequest(w.name, longest, new Date('2026-11-30T01:00:00Z'));
      expect(name.length).toBeLessThanOrEqual(80);
      expect(input).toEqual({ orgId: longest, runName: name, now: '2026-11-30T01:00:00.000Z' });
    }
    expect(() => runName('evidence-sweep', 'a'.repeat(70), '2026-11-30')).toThrow('is not a valid execution name');
  });
});

/** The period an EventBridge cron fires once in: cron(min hour day-of-month month day-of-week year). */
function cronPeriod(rate: string): PeriodKind | 'other' {
  const [minute, hour, dom, month, dow] = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(rate)?.slice(1) ?? [];
  const once = (field: string | undefined) => field !== undefined && /^\d+$/.test(field);
  if (/^(0|\*)\/15$|^0,15,30,45$/.test(minute ?? '') && hour === '*' && dom === '*' && month === '*' && dow === '?') return 'quarter-hour';
  if (!once(minute) || !once(hour)) return 'other';
  if (dom === '*' && month === '*' && dow === '?') return 'day';
  if (once(dom) && month === '*') return 'month';
  const months = month?.split(',').map(Number) ?? [];
  if (once(dom) && months.length === 4 && months.every((m, i) => m === months[0]! + 3 * i)) return 'quarter';
  return 'other';
}
