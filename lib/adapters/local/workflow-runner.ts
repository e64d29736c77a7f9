// Runs a workflow's ASL file in-process with aws-local-stepfunctions. Each Task
// names its Lambda as "${functionKey}"; here that is bound to the handler the
// workflow declaration gives the function (the one serverless.yml deploys), so
// the local run uses the deployed code path.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { StateMachine } from 'aws-local-stepfunctions';
import { redact } from '../../domain/detect/redact.ts';
import type { RunRecord } from '../../domain/runs/run.ts';
import { setRuntime, type Runtime } from '../../runtime.ts';
import type { ExecutionState } from '../../usecases/ports.ts';
import { runNameProblem } from '../../usecases/run-input.ts';
import { allFunctions, definitionFile, runRequest, type FunctionKey, type WorkflowName } from '../../workflows/declarations.ts';

const ROOT = new URL('../../../', import.meta.url);

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
type Definition = Record<string, any>;

export function readDefinition(workflow: WorkflowName): Definition {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`workflows/${definitionFile(workflow)}`, ROOT)), 'utf8'));
}

/** Every Task state (nested ones too) with the serverless.yml function it calls. */
export function taskFunctions(definition: Definition): Map<string, string> {
  const tasks = new Map<string, string>();
  const visit = (states: Record<string, Definition>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') {
        const match = /^\$\{(\w+)\}$/.exec(String(state.Resource));
        if (!match?.[1]) throw new Error(`Task ${name}: Resource must be "\${functionKey}", got ${JSON.stringify(state.Resource)}`);
        tasks.set(name, match[1]);
      }
      const nested = state.ItemProcessor ?? state.Iterator;
      if (nested) visit(nested.States);
      for (const branch of state.Branches ?? []) visit(branch.States);
    }
  };
  visit(definition.States);
  return tasks;
}

/** The definition with each Task bound to a local Lambda ARN (what asl-validator and the runner see). */
export function localDefinition(definition: Definition): Definition {
  return JSON.parse(
    JSON.stringify(definition).replace(/"Resource":"\$\{(\w+)\}"/g, (_, fn: string) => `"Resource":"arn:aws:lambda:local:000000000000:function:compliance-local-${fn}"`),
  );
}

async function loadHandler(functionKey: string): Promise<Handler> {
  const fn = allFunctions().get(functionKey as FunctionKey);
  if (!fn) throw new Error(`no declared function "${functionKey}" (lib/workflows/declarations.ts)`);
  const [file, exportName] = String(fn.handler).split(/\.(?=[^.]+$)/) as [string, string];
  const module = await import(pathToFileURL(fileURLToPath(new URL(`${file}.ts`, ROOT))).href);
  const handler = module[exportName];
  if (typeof handler !== 'function') throw new Error(`${file}.ts does not export "${exportName}"`);
  return handler as Handler;
}

/**
 * Building a StateMachine validates its definition (over 100 ms each time); a definition
 * is validated once, and an edited file is a new definition, validated again.
 */
const machines = new Map<string, StateMachine>();
/**
 * The runner itself, loaded when the first workflow runs (with the Lambda client it
 * depends on: a tenth of a second), not by every command that could start one.
 */
let runner: typeof import('aws-local-stepfunctions') | undefined;
async function stateMachine(definition: Definition): Promise<StateMachine> {
  runner ??= await import('aws-local-stepfunctions');
  const text = JSON.stringify(definition);
  let machine = machines.get(text);
  if (!machine) {
    machine = new runner.StateMachine(definition as never);
    machines.set(text, machine);
  }
  return machine;
}

export interface ExecuteOptions {
  /**
   * Told of each Task whose function failed, with its error: a failed execution's own error
   * is its Fail state's fixed cause, and what failed and why is only in the Catch's data.
   */
  onTaskError?: (state: string, error: unknown) => void;
}

export async function executeWorkflow(rt: Runtime, workflow: WorkflowName, input: unknown, options: ExecuteOptions = {}): Promise<unknown> {
  const definition = readDefinition(workflow);
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [state, functionKey] of taskFunctions(definition)) {
    const handler = await loadHandler(functionKey);
    // The time the function has on AWS (its declared timeout, else the provider's 60 s), counted
    // from the call: middy cuts a handler off just before it, as Lambda would.
    const timeoutMs = (allFunctions().get(functionKey as FunctionKey)?.timeout ?? 60) * 1000;
    handlers[state] = async (event) => {
      const deadline = Date.now() + timeoutMs;
      try {
        return await handler(event, {
          functionName: `compliance-local-${functionKey}`,
          awsRequestId: crypto.randomUUID(),
          getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        });
      } catch (error) {
        options.onTaskError?.(state, error);
        throw error;
      }
    };
  }
  const machine = await stateMachine(localDefinition(definition));
  setRuntime(rt);
  const execution = machine.run(input as never, { overrides: { taskResourceLocalHandlers: handlers as never } });
  return execution.result;
}

export type LocalRunResult =
  | { status: 'completed'; name: string; output: unknown }
  | { status: 'already-ran'; name: string; run: RunRecord };

/**
 * Starts a run as the starter does on AWS: the name comes from the workflow,
 * organisation and period (or, for a person's direct command, the moment), and a
 * name that already succeeded is the same run.
 */
export async function startLocalRun(rt: Runtime, workflow: WorkflowName, orgId: string, now: Date, how: { onDemand?: boolean; period?: string; timeZone?: string } = {}): Promise<LocalRunResult> {
  const { name, input } = runRequest(workflow, orgId, now, how);
  const previous = await rt.runs.get({ orgId, kind: workflow, name });
  if (previous?.status === 'succeeded') return { status: 'already-ran', name, run: previous };
  return { status: 'completed', name, output: await executeWorkflow(rt, workflow, input) };
}

/** A name whose run succeeded is the same run, as Step Functions refuses a second execution of a name. */
async function ranAlready(rt: Runtime, workflow: string, name: string, orgId: string): Promise<boolean> {
  return (await rt.runs.get({ orgId, kind: workflow, name }))?.status === 'succeeded';
}

/**
 * A failed execution as DescribeExecution gives it: its error (a name) and cause, redacted
 * as every error the product keeps or logs. The state machine's own failure wraps what
 * failed: a Fail state's Error and Cause, or a task's error no Catch took.
 */
export function executionFailure(error: unknown): { error: string; cause: string } {
  // (no runner loaded: no execution ran, and none failed)
  const failed = runner !== undefined && error instanceof runner.ExecutionError && error.cause instanceof Error ? error.cause : error;
  if (failed instanceof Error) return { error: redact(failed.name), cause: redact(failed.message) };
  return { error: 'Error', cause: redact(String(failed)) };
}

/**
 * A run whose execution failed before its first step recorded it (a handler's module that
 * would not load), or whose failure step never ran, is recorded failed with the execution's
 * reason: else it would show as pending (or running) with no reason, and be gone once
 * the process that held the execution ends. A run whose own steps recorded how it
 * ended keeps that record; a name no run could have is left alone (the edge refuses it).
 */
async function recordUnrecordedFailure(rt: Runtime, workflow: string, name: string, orgId: string, failure: { error: string; cause: string }): Promise<void> {
  if (runNameProblem(workflow as WorkflowName, name, orgId)) return;
  const ref = { orgId, kind: workflow, name };
  const recorded = await rt.runs.get(ref);
  if (recorded && recorded.status !== 'running') return;
  await rt.runs.finish(ref, { status: 'failed', error: `${failure.error}: ${failure.cause}` }, rt.clock().toISOString());
}

/**
 * The runtime with a starter that runs workflows here, as Step Functions would on
 * AWS: a name that already succeeded is the same run ('exists'); a run that fails
 * records its own failure (or is recorded failed here when it could not:
 * recordUnrecordedFailure), and the one who started it goes on (starting is not
 * waiting for the result).
 */
export function withLocalStarter(rt: Runtime): Runtime {
  const local: Runtime = { ...rt };
  local.starter = async (workflow, name, input) => {
    const parsed = JSON.parse(input) as { orgId: string };
    if (await ranAlready(local, workflow, name, parsed.orgId)) return 'exists';
    try {
      await executeWorkflow(local, workflow as WorkflowName, parsed);
    } catch (error) {
      await recordUnrecordedFailure(local, workflow, name, parsed.orgId, executionFailure(error)).catch(() => undefined);
    }
    return {};
  };
  return local;
}

/**
 * For `compliance serve`: starting answers at once while the run goes on in this
 * process, and the runs started here are described as DescribeExecution would.
 */
export function withBackgroundStarter(rt: Runtime): Runtime {
  const executions = new Map<string, ExecutionState>();
  const local: Runtime = { ...rt };
  local.starter = async (workflow, name, input) => {
    const parsed = JSON.parse(input) as { orgId: string };
    if (executions.get(name)?.status === 'RUNNING' || (await ranAlready(local, workflow, name, parsed.orgId))) return 'exists';
    const state: ExecutionState = { status: 'RUNNING', orgId: parsed.orgId, startedAt: new Date().toISOString() };
    executions.set(name, state);
    executeWorkflow(local, workflow as WorkflowName, parsed).then(
      () => Object.assign(state, { status: 'SUCCEEDED', stoppedAt: new Date().toISOString() }),
      async (error: unknown) => {
        const failure = executionFailure(error);
        Object.assign(state, { status: 'FAILED', stoppedAt: new Date().toISOString(), ...failure });
        // Nobody waits on a started run: the server's log is where its operator sees why.
        console.error(JSON.stringify({ level: 'error', message: 'workflow execution failed', workflow, run: name, ...failure }));
        try {
          await recordUnrecordedFailure(local, workflow, name, parsed.orgId, failure);
        } catch (recording) {
          console.error(JSON.stringify({ level: 'error', message: 'could not record the failed run', workflow, run: name, ...executionFailure(recording) }));
        }
      },
    );
    return {};
  };
  local.describeExecution = async (_workflow, name) => executions.get(name);
  return local;
}
