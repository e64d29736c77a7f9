// The one redaction (lib/domain/detect/redact.ts), names as a terminal shows them
// (lib/domain/text/printable.ts), and the keyed hash of a group's raw name.
import { describe, expect, it } from 'vitest';
import { formatScan } from '../lib/cli/scan-output.ts';
import { groupHash, keyedHash } from '../lib/domain/detect/mask.ts';
import { redact, redactError, redactName } from '../lib/domain/detect/redact.ts';
import { printable } from '../lib/domain/text/printable.ts';
import { PLANTED, rawIn } from './support/planted.ts';

describe('redact', () => {
  it.each([
    // Every identifier the detectors find is masked, the rest kept, topics included.
    ['WhatsApp Chat with +852 9123 4567', 'WhatsApp Chat with +852 ****4567'],
    ['/data/A123456(3)/notes 病假 salary.txt', '/data/A12****(3)/notes 病假 salary.txt'],
    ['s3://b/hr/ada.chan@example.hk/4111 1111 1111 1111.csv', 's3://b/hr/a***@example.hk/4111 **** **** 1111.csv'],
    ['plain name 陳大文, report-2026-11-30.csv', 'plain name 陳大文, report-2026-11-30.csv'],
    ['', ''],
    // Also an identifier joined by a hyphen or written in lower case, as names write them.
    ['hr-A1234563.csv', 'hr-A12****(3).csv'],
    ['card-4111111111111111.txt', 'card-4111 **** **** 1111.txt'],
    ['hkid_a1234563.pdf', 'hkid_A12****(3).pdf'],
    ['id-11010519491231002X', 'id-110105***********X'],
  ])('%j is shown as %j', (name, redacted) => {
    expect(redact(name)).toBe(redacted);
  });

  it('is idempotent, so what was stored before can be redacted again', () => {
    for (const value of [...Object.values(PLANTED), `Chat with ${PLANTED.phone} ${PLANTED.hkid}`]) {
      const once = redact(value);
      expect(rawIn(once)).toEqual([]);
      expect(redact(once)).toBe(once);
    }
  });

  it('redacts an error in place: message, stack and cause, keeping its class', () => {
    class Custom extends Error {}
    const error = new Custom(`cannot read /x/${PLANTED.hkid}.txt`, { cause: new Error(`ENOENT: open '/x/${PLANTED.email}'`) });
    expect(redactError(error)).toBe(error);
    expect(error).toBeInstanceOf(Custom);
    expect(error.message).toBe('cannot read /x/A12****(3).txt');
    expect(rawIn(`${error.stack} ${(error.cause as Error).message} ${(error.cause as Error).stack}`)).toEqual([]);
  });
});

describe('redactName', () => {
  it.each([
    // A chat named after a number: no phone word, and still a phone.
    ['9123 4567 陳生', '+852 ****4567 陳生'],
    ['91234567', '+852 ****4567'],
    ['陳生9123-4567', '陳生+852 ****4567'],
    ['chat-23456789', 'chat-+852 ****6789'],
    ['9123 4567 / 6123 4567', '+852 ****4567 / +852 ****4567'],
    // Whatever redact() masks, masked as well.
    ['Chat with +852 9123 4567 A123456(3)', 'Chat with +852 ****4567 A12****(3)'],
    // Not a Hong Kong number's shape: kept.
    ['81234567 team', '81234567 team'],
    ['1234 5678', '1234 5678'],
    ['912345678', '912345678'],
    ['9123456', '9123456'],
    ['ORD-91234567X', 'ORD-91234567X'],
    ['財務部', '財務部'],
  ])('%j is stored as %j', (name, redacted) => {
    expect(redactName(name)).toBe(redacted);
    expect(redactName(redacted)).toBe(redacted);
  });
});

describe('groupHash', () => {
  it('is an HMAC of the raw name under the findings key, apart from any finding hash', () => {
    const key = 'k'.repeat(20);
    expect(groupHash(key, 'HR 群')).toMatch(/^[0-9a-f]{64}$/);
    expect(groupHash(key, 'HR 群')).toBe(groupHash(key, 'HR 群'));
    expect(groupHash(key, 'HR 群')).not.toBe(groupHash(key, 'HR群'));
    expect(groupHash(key, 'A1234563')).not.toBe(keyedHash(key, { type: 'hk_id', value: 'A1234563' }));
  });
});

describe('printable', () => {
  it('escapes control, bidi and other format characters, and separators', () => {
    const names = ['a\u001b[31mred\rb', 'evil\u202etxt.exe', 'x\u200by\u2028z\ud800', '財務群 Ada 😀'];
    expect(names.map(printable)).toEqual(['a\\u{1b}[31mred\\u{d}b', 'evil\\u{202e}txt.exe', 'x\\u{200b}y\\u{2028}z\\u{d800}', '財務群 Ada 😀']);
  });

  it('keeps them out of the scan table, in file names, columns and reasons', () => {
    const out = formatScan({
      findings: [{ type: 'email', file: 'a\u001b]0;pwned\u0007.csv', line: 2, row: 1, column: 'mail\u202e', masked: 'a***@example.hk' }],
      files: [
        { file: 'a\u001b]0;pwned\u0007.csv', status: 'scanned', format: 'csv', findings: 1, problems: [{ line: 3, message: 'bad\rline' }] },
        { file: 'b\u202e.txt', status: 'failed', reason: 'cannot read b\u202e.txt: no such file', findings: 0 },
      ],
      counts: { email: 1 },
    });
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(out).toContain('a\\u{1b}]0;pwned\\u{7}.csv:2 [mail\\u{202e}]');
    expect(out).toContain('FAILED b\\u{202e}.txt: cannot read b\\u{202e}.txt: no such file');
  });
});

describe('sealed strings', () => {
  it('seal a path so it is not stored as written, open with the same key only, and seal the same path the same way', async () => {
    const { seal, unseal, isSealed } = await import('../lib/domain/detect/seal.ts');
    const path = '/exports/WhatsApp Chat with +852 9123 4567.txt';
    const sealed = seal('key-of-sixteen-chars', path);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('9123');
    expect(seal('key-of-sixteen-chars', path)).toBe(sealed);
    expect(seal('key-of-sixteen-chars', `${path}.bak`)).not.toBe(sealed);
    expect(unseal('key-of-sixteen-chars', sealed)).toBe(path);
    expect(unseal('key-of-sixteen-chars', 'plain/path.txt')).toBe('plain/path.txt');
    expect(() => unseal('another-key-of-16-chars', sealed)).toThrow('does not open with this hash key');
  });
});
