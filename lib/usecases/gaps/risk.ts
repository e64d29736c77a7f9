// The three-factor risk of every source and declared group, from the latest data
// map and what the organisation declares (`compliance risk`).
import { analyse, type Analysis } from '../../domain/gaps/rules.ts';
import type { Ports } from '../ports.ts';
import { analysisInput } from './analyse.ts';

export async function assessRiskOf(rt: Pick<Ports, 'organisations' | 'dataMaps'>, orgId: string, now: Date): Promise<Analysis['risk']> {
  const { input } = await analysisInput(rt, orgId, now);
  return analyse(input).risk;
}
