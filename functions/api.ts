// The HTTP API's functions (lib/workflows/declarations.ts: DOORS api, API_ROUTES).
import { routerFor } from '../lib/api/router.ts';

export const read = routerFor('apiRead');
export const write = routerFor('apiWrite');
export const runs = routerFor('apiRuns');
export const audit = routerFor('apiAudit');
