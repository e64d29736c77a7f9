// Planted identifiers: real-looking, valid values (an HKID with its check digit, a
// +852 mobile, a card that passes Luhn, an e-mail, a PRC ID, an IBAN) put in every
// place a scan reads a name from: a group column, a WhatsApp "Chat with ..." file name,
// a sender, a CSV header, a JSON key in a broken document, a file name in a folder, an
// S3 key, the first line of a file a `../` path reaches. `rawIn(text)` lists every raw
// form of them found in any text (output, an error, a stored item as JSON): a test
// asserts it is empty. Used by test/planted-identifiers.test.ts, and meant for tests of
// the table, the run records and the workflow too.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Source } from '../../lib/domain/org/source.ts';
import { FakeS3 } from './fake-s3.ts';

/** The planted values, as written in the files. */
export const PLANTED = {
  hkid: 'A123456(3)',
  phone: '+852 9123 4567',
  card: '4111 1111 1111 1111',
  email: 'ada.chan@example.hk',
  cnId: '11010519491231002X',
  iban: 'GB82WEST12345698765432',
} as const;

/**
 * Every raw form of the planted values: as written, compact, canonical, and the parts
 * that alone point at the person (the e-mail's local part, the phone's eight digits).
 */
export const RAW_FORMS: readonly string[] = [
  ...Object.values(PLANTED),
  'A1234563',
  'A123456',
  '91234567',
  '9123 4567',
  '+85291234567',
  '4111111111111111',
  'ada.chan',
  'GB82 WEST 1234 5698 7654 32',
  '1234569876',
];

/** The raw forms found in `text` (a JSON dump, an output, an error message): [] when none. */
export function rawIn(text: string): string[] {
  const compact = text.replace(/[\s()（）-]/g, '');
  return RAW_FORMS.filter((raw) => text.includes(raw) || compact.includes(raw.replace(/[\s()（）-]/g, '')));
}

/** All the planted values in one line of text. */
export const ALL_PLANTED = Object.values(PLANTED).join(' / ');

export interface PlantedFiles {
  /** A folder for `compliance scan` (every local shape below). */
  folder: string;
  /** Each file, by what is planted where. */
  chatTable: string;
  whatsApp: string;
  headerCsv: string;
  headerlessChatTable: string;
  brokenJson: string;
  keyedJson: string;
  namedFile: string;
  /** A path that does not exist, with identifiers in its name. */
  missing: string;
  /** A `../` path from `folder/sub` to a file outside the folder whose first line is identifiers. */
  escaping: string;
}

/** Writes the planted files under `dir`. */
export function plantFiles(dir: string): PlantedFiles {
  const folder = path.join(dir, 'scan');
  const named = path.join(folder, `HR ${PLANTED.hkid} ${PLANTED.email}`);
  mkdirSync(named, { recursive: true });
  mkdirSync(path.join(folder, 'sub'), { recursive: true });
  const put = (file: string, text: string) => {
    writeFileSync(file, text);
    return file;
  };
  put(path.join(dir, 'outside.csv'), `${ALL_PLANTED}\n${ALL_PLANTED}\n`);
  return {
    folder,
    // The group column, the sender and the message carry identifiers.
    chatTable: put(
      path.join(folder, 'dingtalk.csv'),
      `group,sender,time,content\n"Chat with ${PLANTED.phone} ${PLANTED.hkid}",${PLANTED.email},2026-11-03 09:15,HKID ${PLANTED.hkid} card ${PLANTED.card}\n` +
        `"Chat with ${PLANTED.phone} ${PLANTED.hkid}",${PLANTED.phone},2026-11-03 09:16,iban ${PLANTED.iban}\n`,
    ),
    // The file name (so the default group) and a sender carry a phone.
    whatsApp: put(
      path.join(folder, `WhatsApp Chat with ${PLANTED.phone}.txt`),
      `[03/11/2026, 09:15:22] ${PLANTED.phone}: 身份證 ${PLANTED.hkid}\n[03/11/2026, 09:16:00] ${PLANTED.email}: card ${PLANTED.card}\n`,
    ),
    // The header row is identifiers: findings name their column by it.
    headerCsv: put(path.join(folder, 'header.csv'), `${PLANTED.hkid},${PLANTED.phone},${PLANTED.card},${PLANTED.email}\n${PLANTED.cnId},x,y,z\n`),
    // No header at all: the first row of data stands where the header should be.
    headerlessChatTable: put(path.join(folder, 'headerless.csv'), `${PLANTED.hkid},${PLANTED.phone},${PLANTED.email}\n${PLANTED.card},b,c\n`),
    // Keys carry identifiers (pointers name keys), and the document breaks after them.
    brokenJson: put(path.join(folder, 'broken.json'), `{"${PLANTED.hkid}": "${PLANTED.email}", "${PLANTED.phone}": [${PLANTED.card} ${PLANTED.iban}`),
    keyedJson: put(path.join(folder, 'keyed.json'), JSON.stringify({ [PLANTED.hkid]: { [PLANTED.email]: `call ${PLANTED.phone}` } })),
    // The file's own name, in a folder whose name carries identifiers.
    namedFile: put(path.join(named, `${PLANTED.card}_${PLANTED.cnId}.txt`), `notes for ${PLANTED.hkid}\n`),
    missing: path.join(folder, `${PLANTED.hkid} ${PLANTED.phone}.txt`),
    escaping: `${folder}/sub/../../outside.csv`,
  };
}

/** Declared sources over the planted files, one per kind that reads names. */
export function plantedSources(files: PlantedFiles): Source[] {
  const storage = { region: 'ap-east-1' };
  return [
    Source.parse({ id: 'planted-chat', name: 'Chat table', platform: 'DingTalk', kind: 'chat-table', path: files.chatTable, storage }),
    Source.parse({ id: 'planted-whatsapp', name: 'WhatsApp', platform: 'WhatsApp', kind: 'whatsapp', path: files.whatsApp, storage }),
    Source.parse({ id: 'planted-folder', name: 'Share', platform: 'File share', kind: 'files', path: files.folder, storage }),
    Source.parse({ id: 'planted-headerless', name: 'Headerless', platform: 'DingTalk', kind: 'chat-table', path: files.headerlessChatTable, storage }),
    Source.parse({ id: 'planted-escaping', name: 'Escaping path', platform: 'DingTalk', kind: 'chat-table', path: files.escaping, storage }),
    Source.parse({ id: 'planted-broken-json', name: 'Broken JSON', platform: 'File share', kind: 'files', path: files.brokenJson, storage }),
    Source.parse({ id: 'planted-missing', name: 'Missing', platform: 'WhatsApp', kind: 'whatsapp', path: files.missing, storage }),
  ];
}

/** An S3 source whose keys carry identifiers, one of them refused to the role and one binary. */
export function plantedS3(): { source: Source; client: FakeS3 } {
  const client = new FakeS3(
    {
      [`hr/${PLANTED.hkid}/${PLANTED.email}.txt`]: Buffer.from(`notes ${PLANTED.card}\n`),
      [`${PLANTED.phone}/chat.txt`]: Buffer.from(`call ${PLANTED.phone}\n`),
      [`${PLANTED.cnId}.jpg`]: Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]),
    },
    { pageSize: 2 },
  );
  const source = Source.parse({ id: 'planted-s3', name: 'Exports', platform: 'S3', kind: 's3', bucket: 'acme-exports', storage: { region: 'ap-east-1' } });
  return { source, client };
}

/** The same bucket, with the object under a planted key refused (AccessDenied names the key). */
export function plantedS3Denied(): { source: Source; client: FakeS3 } {
  const { source } = plantedS3();
  const key = `hr/${PLANTED.hkid}/${PLANTED.email}.txt`;
  return { source, client: new FakeS3({ [key]: Buffer.from('x\n') }, { denied: [key] }) };
}
