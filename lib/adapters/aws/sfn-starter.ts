// Starts executions of the deployed state machines. Step Functions refuses a
// second execution of the same name; that refusal means "already started".
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { InputError } from '../../errors.ts';
import { stateMachineNames, type WorkflowName } from '../../workflows/declarations.ts';
import type { ExecutionStarter } from '../../usecases/ports.ts';

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
