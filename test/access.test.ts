// Who a token names: the claims Cognito and `compliance token` put in it, as API
// Gateway hands them to a Lambda (arrays flattened to "[a b]").
import { describe, expect, it } from 'vitest';
import { principalOf } from '../lib/domain/access/principal.ts';

describe('principalOf', () => {
  it('reads the person, organisation and most capable known role', () => {
    expect(principalOf({ sub: 'ada', 'custom:org': 'acme', 'cognito:groups': ['auditor', 'admin'] })).toEqual({ person: 'ada', orgId: 'acme', role: 'admin' });
    expect(principalOf({ sub: 'ada', 'custom:org': 'acme', 'cognito:groups': '[owner reviewers]' })).toEqual({ person: 'ada', orgId: 'acme', role: 'owner' });
  });

  it('takes the person from custom:person where Cognito set its own sub', () => {
    expect(principalOf({ sub: '9f8e-uuid', 'custom:person': 'ada-lam', 'custom:org': 'acme', 'cognito:groups': ['owner'] })).toMatchObject({ person: 'ada-lam' });
  });

  it('refuses claims without an organisation or a known role, naming what lacks', () => {
    expect(principalOf({ sub: 'ada', 'cognito:groups': ['admin'] })).toEqual({ refused: 'the token lacks custom:org' });
    expect(principalOf({ sub: 'ada', 'custom:org': 'acme', 'cognito:groups': ['reviewers'] })).toEqual({ refused: "the token's cognito:groups holds none of the roles admin, scheduler, owner, auditor" });
  });
});
