// Starts executions of the deployed state machines. Step Functions refuses a
// second execution of the same name; that refusal means "already started".
import { DescribeExecutionCommand, ExecutionAlreadyExists, ExecutionDoesNotExist, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { redact } from '../../domain/detect/redact.ts';
import { InputError } from '../../errors.ts';
import { stateMachineNames, type WorkflowName } from '../../workflows/declarations.ts';
import type { ExecutionDescriber, ExecutionState, ExecutionStarter } from '../../usecases/ports.ts';

/** `arns`: each workflow's state machine, from the configuration (the starter's environment). */
export function sfnStarter(arns: Partial<Record<WorkflowName, string>>, client = new SFNClient({})): ExecutionStarter {
  return async (workflow, name, input) => {
    const stateMachineArn = arns[workflow as WorkflowName];
    if (!stateMachineArn) throw new InputError(`environment ${stateMachineNames(workflow).arnVariable}: is not set`);
    try {
      const result = await client.send(new StartExecutionCommand({ stateMachineArn, name, input }));
      return result.executionArn ? { executionArn: result.executionArn } : {};
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return 'exists';
      throw error;
    }
  };
}

/** An execution's ARN is its state machine's with `:execution:` and the name. */
export function executionArn(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

export function sfnDescriber(arns: Partial<Record<WorkflowName, string>>, client = new SFNClient({})): ExecutionDescriber {
  return async (workflow, name) => {
    const stateMachineArn = arns[workflow as WorkflowName];
    if (!stateMachineArn) return undefined;
    try {
      const result = await client.send(new DescribeExecutionCommand({ executionArn: executionArn(stateMachineArn, name) }));
      let orgId: unknown;
      try {
        orgId = (JSON.parse(result.input ?? '{}') as { orgId?: unknown }).orgId;
      } catch {
        orgId = undefined;
      }
      return {
        status: result.status as ExecutionState['status'],
        ...(typeof orgId === 'string' ? { orgId } : {}),
        ...(result.startDate ? { startedAt: result.startDate.toISOString() } : {}),
        ...(result.stopDate ? { stoppedAt: result.stopDate.toISOString() } : {}),
        // Why it failed, where no step recorded it (a failure before the first step's record).
        ...(result.error ? { error: redact(result.error) } : {}),
        ...(result.cause ? { cause: redact(result.cause) } : {}),
      };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  };
}
