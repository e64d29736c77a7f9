// A mail as a mail client sends it: encoded-word headers, a base64 body in Chinese, a CSV
// attachment and a PDF one (named with an HKID). The mail readers' tests read it from a
// local file and from an S3 object alike.
export const b64 = (s: string): string => Buffer.from(s).toString('base64');

export const MIXED_MAIL = [
  `From: =?UTF-8?B?${b64('陳大文')}?= <tm.chan@example.com>`,
  'To: hr@example.com, "Lee, Siu Ming" <lee.siuming@acme.com.hk>',
  'Subject: =?UTF-8?Q?HKID_B123456=286=29?=',
  'Message-ID: <CAF=abc123@mail.gmail.com>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="XX"',
  '',
  '--XX',
  'Content-Type: text/plain; charset=UTF-8',
  'Content-Transfer-Encoding: base64',
  '',
  b64('手機是 9123 4567，身份證 A123456(3)\nthanks\n'),
  '--XX',
  'Content-Type: text/csv; name="staff.csv"',
  'Content-Disposition: attachment; filename="staff.csv"',
  'Content-Transfer-Encoding: base64',
  '',
  b64('name,mobile\nChan,91234567\n'),
  '--XX',
  'Content-Type: application/pdf; name="HKID copy A123456(3).pdf"',
  'Content-Disposition: attachment; filename="HKID copy A123456(3).pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  b64('%PDF-1.4 \u0000\u0001 binary'),
  '--XX--',
  '',
].join('\r\n');
