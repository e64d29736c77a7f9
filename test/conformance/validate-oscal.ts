// npm run conformance: the sample organisation's audit package in the oscal format,
// made the way `npm start` runs the cycle (import, scan, gaps, the quarter's review
// answered from answers.yaml, the sweep, against a DynamoDB Local of its own), and
// every OSCAL document in it validated against NIST's complete OSCAL 1.1.3 JSON Schema
// (draft-07), which lies beside the project in ../shared/oscal/ (or OSCAL_SCHEMA).
// Beyond the schema, it checks that every UUID a document refers to is defined in it,
// that no UUID is defined twice, that the results import the plan in the package, and
// that the package's manifest verifies. Prints one line per document and a last line
// saying whether it conforms; exits 1 when it does not. Not a vitest file: `npm test`
// must not need ../shared.
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import formats, { type FormatsPlugin } from 'ajv-formats';
import { createStore } from '../../lib/adapters/dynamodb/client.ts';
import { ensureTable } from '../../lib/adapters/dynamodb/table-definition.ts';
import { startDynamoLocal } from '../../lib/adapters/local/dynamodb-local.ts';
import { withLocalStarter } from '../../lib/adapters/local/workflow-runner.ts';
import { verifyPackage } from '../../lib/domain/export/manifest.ts';
import { OSCAL_FILES } from '../../lib/domain/export/oscal.ts';
import { createRuntime } from '../../lib/runtime.ts';
import { exportPackage } from '../../lib/usecases/export/export-package.ts';
import type { ManifestSigner } from '../../lib/usecases/export/signer.ts';
import { runSampleCycle, SAMPLE_NOW, SAMPLE_ORG } from '../support/sample-cycle.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCHEMA = process.env.OSCAL_SCHEMA || path.join(ROOT, '..', 'shared', 'oscal', 'oscal_complete_schema-1.1.3.json');

type Json = Record<string, unknown>;

/**
 * Ajv's draft-07 validator (the `Ajv` class), strict, with ajv-formats for the
 * schema's `date-time`, `uri` and `uri-reference` formats (strict mode refuses a
 * format it does not know). `unicodeRegExp` (Ajv's default, stated because it
 * matters): the schema's patterns use Unicode property escapes (`\p{L}`, `\p{N}` in
 * TokenDatatype), which only mean "a letter" and "a digit" in a regular expression with
 * the `u` flag; without it they match the letters "p{L}", and every valid id fails.
 * `allowUnionTypes` is not needed: this schema never lists several types in `type`.
 */
function compileSchema(file: string): ValidateFunction {
  const ajv = new Ajv({ strict: true, unicodeRegExp: true, allErrors: true });
  // ajv-formats is CommonJS: Node hands over the plugin itself, TypeScript expects it under `default`.
  const addFormats = (formats as unknown as { default?: FormatsPlugin }).default ?? (formats as unknown as FormatsPlugin);
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as Json);
}

/** The schema's errors inside the document (its root `oneOf` reports each model the document is not, which says nothing). */
function schemaErrors(validate: ValidateFunction, doc: unknown): string[] {
  if (validate(doc)) return [];
  const errors = validate.errors ?? [];
  const inside = errors.filter((e) => e.instancePath !== '');
  return (inside.length ? inside : errors).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** UUIDs defined (`uuid`) and referred to (`...-uuid`, `...-uuids`, and `#<uuid>` hrefs). */
function uuidProblems(doc: unknown): string[] {
  const defined = new Map<string, number>();
  const refs: { at: string; uuid: string }[] = [];
  const walk = (v: unknown, at: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}/${i}`));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Json)) {
        if (k === 'uuid' && typeof x === 'string') defined.set(x, (defined.get(x) ?? 0) + 1);
        else if (k.endsWith('-uuid') && typeof x === 'string') refs.push({ at: `${at}/${k}`, uuid: x });
        else if (k.endsWith('-uuids') && Array.isArray(x)) x.forEach((u, i) => typeof u === 'string' && refs.push({ at: `${at}/${k}/${i}`, uuid: u }));
        else if (k === 'href' && typeof x === 'string' && x.startsWith('#')) refs.push({ at: `${at}/${k}`, uuid: x.slice(1) });
        walk(x, `${at}/${k}`);
      }
    }
  };
  walk(doc, '');
  return [
    ...[...defined].filter(([, n]) => n > 1).map(([u, n]) => `uuid ${u} is defined ${n} times`),
    ...refs.filter((r) => !defined.has(r.uuid)).map((r) => `${r.at}: refers to ${r.uuid}, which the document does not define`),
  ];
}

const ephemeralSigner = (): ManifestSigner => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { algorithm: 'Ed25519', keyId: 'conformance', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), sign: async (bytes) => sign(null, bytes, privateKey) };
};

async function main(): Promise<number> {
  if (!existsSync(SCHEMA)) {
    console.log(`conformance: FAILED: no OSCAL schema at ${SCHEMA} (set OSCAL_SCHEMA to its path)`);
    return 1;
  }
  const validate = compileSchema(SCHEMA);
  // The validator must refuse what the schema refuses, or a pass would mean nothing.
  const refused = schemaErrors(validate, { 'assessment-plan': { uuid: 'not-a-uuid', metadata: {}, 'import-ssp': { href: '#' }, 'reviewed-controls': { 'control-selections': [{ 'include-controls': [{ 'control-id': 'has space' }] }] } } });
  if (refused.length === 0) {
    console.log('conformance: FAILED: the validator accepts a document with a bad UUID, an empty metadata and a bad control id');
    return 1;
  }

  process.chdir(ROOT); // the sample's files are named from the project's root
  const dynamo = await startDynamoLocal();
  try {
    const store = createStore({ tableName: `conformance-${randomUUID()}`, endpoint: dynamo.endpoint });
    await ensureTable(store);
    const rt = withLocalStarter(createRuntime({ store, mailer: { send: async () => ({ messageId: '<conformance@localhost>' }) }, hashKey: async () => 'conformance-hash-key-0123456789' }));
    const quarter = await runSampleCycle(rt);
    const { files } = await exportPackage(rt, { orgId: SAMPLE_ORG, period: quarter, format: 'oscal', signer: ephemeralSigner(), now: SAMPLE_NOW });
    store.doc.destroy();

    let failed = 0;
    const byPath = new Map(files.map((f) => [f.path, f.content]));
    const manifest = verifyPackage(byPath);
    console.log(`manifest.json: ${manifest.ok ? `verifies (${files.length - 1} files)` : `FAILED: ${manifest.problems.join('; ')}`}`);
    if (!manifest.ok) failed++;
    for (const name of Object.values(OSCAL_FILES)) {
      const content = byPath.get(name);
      if (!content) {
        console.log(`${name}: FAILED: not in the package (the sample has open gaps and an open review, so all three documents are due)`);
        failed++;
        continue;
      }
      const doc = JSON.parse(content.toString('utf8')) as Json;
      const problems = [...schemaErrors(validate, doc), ...uuidProblems(doc)];
      const ap = (doc['assessment-results'] as { 'import-ap'?: { href?: string } } | undefined)?.['import-ap']?.href;
      if (ap !== undefined && !byPath.has(ap)) problems.push(`import-ap: ${ap} is not in the package`);
      const model = Object.keys(doc)[0];
      if (problems.length === 0) console.log(`${name}: valid ${model} (OSCAL 1.1.3)`);
      else {
        failed++;
        console.log(`${name}: FAILED, ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
        for (const p of problems.slice(0, 20)) console.log(`  ${p}`);
        if (problems.length > 20) console.log(`  ... and ${problems.length - 20} more`);
      }
    }
    console.log(
      failed === 0
        ? `conformance: the sample's ${quarter} package conforms: ${Object.keys(OSCAL_FILES).length} OSCAL documents valid against ${path.basename(SCHEMA)}, the manifest verifies`
        : `conformance: FAILED: ${failed} of ${Object.keys(OSCAL_FILES).length + 1} checks failed`,
    );
    return failed === 0 ? 0 : 1;
  } finally {
    await dynamo.stop();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.log(`conformance: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
}
