// The web pages' function (lib/workflows/declarations.ts: WEB_ROUTES), checking
// sessions against the stack's Cognito user pool.
import { readConfig } from '../lib/config.ts';
import { cognitoWebAuth, setWebAuth } from '../lib/web/auth.ts';
import { webRouter } from '../lib/web/handler.ts';

const config = readConfig();
if (config.COGNITO_ISSUER && config.COGNITO_CLIENT_ID) {
  setWebAuth(
    cognitoWebAuth(config.COGNITO_ISSUER, config.COGNITO_CLIENT_ID, config.COGNITO_DOMAIN && config.WEB_BASE_URL ? { domain: config.COGNITO_DOMAIN, baseUrl: config.WEB_BASE_URL } : undefined),
  );
}

export const handler = webRouter();
