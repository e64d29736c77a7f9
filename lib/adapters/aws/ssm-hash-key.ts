// The key for keyed hashes of scan findings, from the environment or, on AWS,
// from an SSM Parameter Store SecureString read once per process.
import type { Config } from '../../config.ts';
import { InputError } from '../../errors.ts';

export function hashKeySource(config: Pick<Config, 'COMPLIANCE_HASH_KEY' | 'HASH_KEY_PARAMETER' | 'AWS_REGION'>): () => Promise<string> {
  let cached: Promise<string> | undefined;
  return () => {
    if (config.COMPLIANCE_HASH_KEY) return Promise.resolve(config.COMPLIANCE_HASH_KEY);
    const name = config.HASH_KEY_PARAMETER;
    if (!name) return Promise.reject(new InputError('environment COMPLIANCE_HASH_KEY or HASH_KEY_PARAMETER: one is required to hash scan findings'));
    cached ??= (async () => {
      const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
      const result = await new SSMClient({ region: config.AWS_REGION }).send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      const value = result.Parameter?.Value;
      if (!value || value.length < 16) throw new InputError(`SSM parameter ${name}: must hold a key of at least 16 characters`);
      return value;
    })();
    return cached;
  };
}
