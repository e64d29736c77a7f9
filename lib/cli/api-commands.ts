// The API's commands on one machine: `compliance serve` answers the HTTP API on
// localhost, `compliance token` signs a token for it with the local key.
import { Option, type Command } from 'commander';
import { ROLES, type Role } from '../domain/vocabulary.ts';
import { InputError } from '../errors.ts';
import type { ReviewCli } from './review-commands.ts';
import type { GlobalOptions } from './session.ts';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InputError(`--port: "${value}" is not a port number (0 to 65535; 0 picks a free one)`);
  return n;
}

export function addApiCommands(program: Command, cli: ReviewCli): void {
  program
    .command('token')
    .description('print a token for compliance serve, signed with the local key: the person, their organisation and role, as Cognito\'s tokens carry them on AWS')
    .addOption(new Option('--role <role>', 'what they may do').choices(ROLES).makeOptionMandatory())
    .requiredOption('--person <id>', 'who they are: a person id of the organisation file')
    .option('--org <id>', 'organisation (default: the only one imported)')
    .option('--ttl <duration>', 'how long it is valid, e.g. 30m, 8h, 2d (at most 7d)', '8h')
    .option('--link', 'print instead a one-time sign-in link to the web pages of compliance serve (valid 15 minutes)')
    .option('--port <n>', 'with --link: the port compliance serve listens on (or WEB_BASE_URL)', port, 8787)
    .action(async (opts: { role: Role; person: string; org?: string; ttl: string; link?: boolean; port: number }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      const { parseTtl, issueLocalToken } = await import('../adapters/local/local-token.ts');
      const { localSigningKey } = await import('../adapters/local/local-signing-key.ts');
      const ttlSeconds = parseTtl(opts.ttl);
      await cli.withSession(options, async (session) => {
        const orgId = await cli.resolveOrg(session, opts.org);
        const org = await session.rt.organisations.load(orgId);
        if (!org) throw new InputError(`--org: organisation "${orgId}" has not been imported`);
        if (!org.people.has(opts.person)) throw new InputError(`--person: "${opts.person}" is not a person of ${orgId}`);
        const key = localSigningKey(options.dataDir);
        if (opts.link) {
          const { signInCode } = await import('../web/auth.ts');
          const { readConfig } = await import('../config.ts');
          const base = readConfig().WEB_BASE_URL ?? `http://127.0.0.1:${opts.port}`;
          const link = `${base.replace(/\/$/, '')}/sign-in?code=${await signInCode(key, { person: opts.person, orgId, role: opts.role })}`;
          cli.print(options, link, { link, person: opts.person, orgId, role: opts.role });
          return;
        }
        const token = await issueLocalToken(key, { person: opts.person, orgId, role: opts.role, ttlSeconds, now: new Date() });
        const expires = new Date(Date.now() + ttlSeconds * 1000).toISOString();
        cli.print(options, token, { token, person: opts.person, orgId, role: opts.role, expires });
      });
    });

  program
    .command('serve')
    .description('answer the HTTP API on this machine (the same handlers and checks as on AWS; tokens from compliance token) until stopped')
    .option('--port <n>', 'port to listen on (0: any free one)', port, 8787)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .action(async (opts: { port: number; host: string }, cmd: Command) => {
      const options = cmd.optsWithGlobals() as GlobalOptions;
      const { serveApi } = await import('../api/local-server.ts');
      const { localSigningKey } = await import('../adapters/local/local-signing-key.ts');
      const { withBackgroundStarter } = await import('../adapters/local/workflow-runner.ts');
      const { setRuntime } = await import('../runtime.ts');
      await cli.withSession(options, async (session) => {
        // Real time, or with --now that moment when the command began, running on (session.clock).
        const clock = () => session.clock();
        const { localManifestSigner } = await import('../adapters/local/local-manifest-signer.ts');
        const signer = localManifestSigner(options.dataDir);
        setRuntime(withBackgroundStarter({ ...session.rt, clock, manifestSigner: async () => signer }));
        const { setWebAuth, localWebAuth } = await import('../web/auth.ts');
        const key = localSigningKey(options.dataDir);
        setWebAuth(localWebAuth(key));
        const server = await serveApi({ key, port: opts.port, host: opts.host });
        process.stderr.write(`Serving the API at ${server.url} (stop with Ctrl-C)\n`);
        // The first Ctrl-C (or SIGTERM, SIGHUP) shuts down in order, exit 0; a second ends at once.
        await (await import('./interrupt.ts')).untilSignal();
        await server.close();
      });
    });
}
