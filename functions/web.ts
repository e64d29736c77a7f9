// The web pages' function (lib/workflows/declarations.ts: WEB_ROUTES).
import { webRouter } from '../lib/web/handler.ts';

export const handler = webRouter();
