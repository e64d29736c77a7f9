// Who is calling, from a verified token's claims, and what each role may do. The
// same claims come from Cognito on AWS (checked by API Gateway's JWT authorizer) and
// from `compliance token` locally (checked by `compliance serve`); the handlers check
// them again here, so a route is never open because an authorizer was left off.
import { z } from 'zod';
import { ROLES } from '../vocabulary.ts';

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/**
 * `cognito:groups` arrives as a JSON array in a token, and as "[admin auditor]" in
 * the claims API Gateway hands a Lambda (it flattens arrays to text).
 */
const groups = z.union([
  z.array(z.string()),
  z.string().transform((s) => s.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean)),
]);

export const Claims = z.object({
  sub: z.string().min(1).max(128),
  /** Cognito picks `sub` itself (a UUID): there the person's id in the organisation file is this attribute. */
  'custom:person': z.string().min(1).max(128).optional(),
  'custom:org': z.string().min(1).max(64),
  'cognito:groups': groups,
});

export interface Principal {
  /** The person (`custom:person`, else `sub`): an id of the organisation's people. */
  person: string;
  orgId: string;
  /** The most capable of the token's roles that the API knows. */
  role: Role;
}

/** The principal the claims name, or why they name none (a message without the claims' values). */
export function principalOf(claims: unknown): Principal | { refused: string } {
  const parsed = Claims.safeParse(claims);
  if (!parsed.success) return { refused: `the token lacks ${parsed.error.issues.map((i) => i.path.join('.') || 'claims').join(', ')}` };
  const role = ROLES.find((r) => parsed.data['cognito:groups'].includes(r));
  if (!role) return { refused: `the token's cognito:groups holds none of the roles ${ROLES.join(', ')}` };
  return { person: parsed.data['custom:person'] ?? parsed.data.sub, orgId: parsed.data['custom:org'], role };
}
