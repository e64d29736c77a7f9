import { describe, it, expect } from 'vitest';
import { renderNoticeMail, compareControlIds, escapeHtml, type NoticeMailInput } from '../lib/domain/notice/notice-mail.ts';
import { noticeControlTitles, type AlertLine, type NoticeLine } from '../lib/domain/notice/notice.ts';
import { noticeLine as line } from './support/fixtures.ts';

function input(lines: NoticeLine[], language: 'en' | 'zh-Hant' = 'en'): NoticeMailInput {
  return {
    recipient: { name: 'Alex Wong', email: 'alex@example.com', language },
    organisationName: 'Harbour Ledger',
    asOf: '2026-03-13',
    lines,
  };
}

/** Each of `parts` stands somewhere in `text` (a failure names the one missing). */
function expectAllIn(text: string, parts: readonly string[]): void {
  for (const part of parts) expect(text).toContain(part);
}

const mixed: NoticeLine[] = [
  line({ stage: 'due-soon', controlId: 'A.8.13', evidenceId: 'ev-due', evidenceTitle: 'Backup test', validUntil: '2026-03-16', daysOverdue: -3 }),
  line({ stage: 'lapsed', controlId: 'A.5.10', evidenceId: 'ev-10', evidenceTitle: 'Acceptable use', daysOverdue: 12 }),
  line({ stage: 'escalated', controlId: 'A.5.15', evidenceId: 'ev-esc', evidenceTitle: 'Access control review', ownerName: 'Kit Lam', daysOverdue: 40 }),
  line({ stage: 'reminder-2', controlId: 'A.5.2', evidenceId: 'ev-2', evidenceTitle: 'Roles register', daysOverdue: 1 }),
];

describe('renderNoticeMail', () => {
  it('orders sections escalated, lapsed, due soon', () => {
    const { text, html } = renderNoticeMail(input(mixed));
    const esc = text.indexOf('Escalated to you');
    const lapsed = text.indexOf('Lapsed (2)');
    const due = text.indexOf('Due soon');
    expect(esc).toBeGreaterThan(-1);
    expect(esc).toBeLessThan(lapsed);
    expect(lapsed).toBeLessThan(due);
    expect(html.indexOf('<h2>Escalated to you')).toBeLessThan(html.indexOf('<h2>Lapsed'));
    expect(html.indexOf('<h2>Lapsed')).toBeLessThan(html.indexOf('<h2>Due soon'));
    expect(html.match(/<table/g)).toHaveLength(3);
    expect(html.match(/<th[ >]/g)?.length).toBeGreaterThan(0);
  });

  it('omits empty sections', () => {
    const { text, html } = renderNoticeMail(input([line({ stage: 'due-soon', daysOverdue: -3 })]));
    expect(text).not.toContain('Escalated to you');
    expect(text).not.toContain('Lapsed');
    expect(text).toContain('Due soon (1)');
    expect(html.match(/<table/g)).toHaveLength(1);
  });

  it('sorts by control id numerically, then evidence id', () => {
    const lines = [
      line({ controlId: 'A.5.10', evidenceId: 'ev-a' }),
      line({ controlId: 'A.5.2', evidenceId: 'ev-z' }),
      line({ controlId: 'A.5.2', evidenceId: 'ev-b' }),
      line({ controlId: 'A.8.1', evidenceId: 'ev-c' }),
    ];
    const { text, html } = renderNoticeMail(input(lines));
    const order = ['(ev-b)', '(ev-z)', '(ev-a)', '(ev-c)'].map((id) => text.indexOf(id));
    expect(order.every((i) => i > -1)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html.indexOf('A.5.2 ')).toBeLessThan(html.indexOf('A.5.10 '));
    expect(compareControlIds('A.5.2', 'A.5.10')).toBeLessThan(0);
    expect(compareControlIds('A.8.1', 'A.5.37')).toBeGreaterThan(0);
    expect(compareControlIds('A.5.2', 'A.5.2')).toBe(0);
  });

  it('names the reminder number on reminder lines', () => {
    const { text, html } = renderNoticeMail(input(mixed));
    expect(text).toContain('Notice: Reminder 2');
    expect(text).toContain('Notice: Lapsed');
    expect(html).toContain('<td>Reminder 2</td>');
  });

  it('says singular and plural days overdue and days left', () => {
    const { text } = renderNoticeMail(
      input([
        line({ evidenceId: 'one', daysOverdue: 1 }),
        line({ evidenceId: 'many', daysOverdue: 12 }),
        line({ stage: 'due-soon', evidenceId: 'left1', daysOverdue: -1 }),
        line({ stage: 'due-soon', evidenceId: 'left3', daysOverdue: -3 }),
      ]),
    );
    expect(text).toContain('(1 day overdue)');
    expect(text).not.toContain('1 days overdue');
    expect(text).toContain('(12 days overdue)');
    expect(text).toContain('(ends in 1 day)');
    expect(text).toContain('(ends in 3 days)');
  });

  it('says "ends today" when zero days are left', () => {
    const { text, html } = renderNoticeMail(input([line({ stage: 'due-soon', daysOverdue: 0, validUntil: '2026-03-13' })]));
    expect(text).toContain('Valid until: 2026-03-13 (ends today)');
    expect(html).toContain('ends today');
    expect(text).not.toContain('overdue');
  });

  it('names the owner on escalations, with control, evidence, date and location', () => {
    const { text, html } = renderNoticeMail(input(mixed));
    expectAllIn(text, ['- Control: A.5.15 Policies for information security', 'Evidence: Access control review (ev-esc)', 'Owner: Kit Lam', 'Valid until: 2026-03-01 (40 days overdue)', 'Location: https://docs.example.com/policy']);
    expect(html).toContain('<td>Kit Lam</td>');
  });

  it("names the control by the catalogue's title, with the organisation file's own wording beside it only where it differs", () => {
    const lines = [
      line({ controlId: 'A.5.15', controlTitle: 'Access control rules', controlTitleInOrganisationFile: 'Access control', evidenceId: 'ev-15' }),
      line({ controlId: 'A.8.13', controlTitle: 'Backups', evidenceId: 'ev-13' }),
    ];
    const en = renderNoticeMail(input(lines));
    expect(en.text).toContain('- Control: A.5.15 Access control rules (your title: Access control)\n');
    expect(en.text).toContain('- Control: A.8.13 Backups\n');
    expect(en.html).toContain('<td>A.5.15 Access control rules (your title: Access control)</td>');
    expect(en.html).toContain('<td>A.8.13 Backups</td>');
    expect(en.text.match(/your title/g)).toHaveLength(1);
    const zh = renderNoticeMail(input(lines, 'zh-Hant'));
    expect(zh.text).toContain('- 控制措施：A.5.15 Access control rules（機構所用名稱：Access control）\n');
    expect(zh.text).toContain('- 控制措施：A.8.13 Backups\n');
  });

  it("names a notice's control as the SoA does, also a notice recorded with the file's title only; a control the catalogue lacks keeps its own", () => {
    expect(noticeControlTitles('A.5.15', 'Access control')).toEqual({ controlTitle: 'Access control rules', controlTitleInOrganisationFile: 'Access control' });
    expect(noticeControlTitles('A.5.15', 'Access control rules')).toEqual({ controlTitle: 'Access control rules' });
    expect(noticeControlTitles('A.5.15', undefined)).toEqual({ controlTitle: 'Access control rules' });
    expect(noticeControlTitles('A.99.1', 'Our own control')).toEqual({ controlTitle: 'Our own control' });
  });

  it('greets the recipient and closes with what to do', () => {
    const { text } = renderNoticeMail(input(mixed));
    expect(text.startsWith('Dear Alex Wong,')).toBe(true);
    expect(text).toContain('upload renewed evidence');
    expect(text).toContain('reminders stop');
    expect(text).toContain('reminders repeat');
  });

  it('counts only nonzero sections in the subject', () => {
    const both = [...mixed, line({ stage: 'lapsed', controlId: 'A.5.3', evidenceId: 'ev-3' })];
    expect(renderNoticeMail(input(both)).subject).toBe(
      '[Harbour Ledger] Evidence needs your attention: 3 lapsed, 1 due soon, 1 escalated',
    );
    expect(renderNoticeMail(input([line({ stage: 'due-soon', daysOverdue: -2 })])).subject).toBe(
      '[Harbour Ledger] Evidence needs your attention: 1 due soon',
    );
    const zh = mixed.filter((l) => l.stage !== 'due-soon');
    expect(renderNoticeMail(input(zh, 'zh-Hant')).subject).toBe('[Harbour Ledger] 證據需要處理：2 項已過期、1 項已升級');
  });

  it('renders Traditional Chinese', () => {
    const { subject, text, html } = renderNoticeMail(input(mixed, 'zh-Hant'));
    expect(subject).toBe('[Harbour Ledger] 證據需要處理：2 項已過期、1 項即將到期、1 項已升級');
    for (const title of ['升級通知', '已過期', '即將到期']) {
      expect(text).toContain(title);
      expect(html).toContain(`<h2>${title}`);
    }
    expect(text.indexOf('升級通知')).toBeLessThan(text.indexOf('已過期（'));
    expect(text.indexOf('已過期（')).toBeLessThan(text.indexOf('即將到期（'));
    expect(text).toContain('逾期 12 天');
    expect(text).toContain('逾期 1 天');
    expect(text).toContain('3 天後到期');
    expect(text).toContain('第 2 次提醒');
    expect(text).toContain('控制措施');
    expect(text).toContain('證據');
    expect(text).toContain('負責人：Kit Lam');
    expect(text.startsWith('Alex Wong，你好：')).toBe(true);
    expect(html).toContain('<html lang="zh-Hant">');
    expect(html).not.toContain('lang="en"');
    expect(html).not.toContain('overdue');
  });

  it('says 今天到期 in Chinese when the item ends today', () => {
    const { text } = renderNoticeMail(input([line({ stage: 'due-soon', daysOverdue: 0 })], 'zh-Hant'));
    expect(text).toContain('今天到期');
  });

  it('is a complete HTML document', () => {
    const { html } = renderNoticeMail(input(mixed));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('escapes every interpolated value in the html', () => {
    const nasty = '<script>alert("x")</script> & co';
    const { html, text } = renderNoticeMail({
      ...input([
        line({
          stage: 'escalated',
          controlTitle: nasty,
          controlTitleInOrganisationFile: nasty,
          evidenceTitle: nasty,
          evidenceId: "ev-'1'",
          ownerName: '<b>Owner</b>',
          evidenceLocation: 'https://example.com/?a=1&b="2"',
        }),
      ]),
      organisationName: 'Tom & Jerry <Ltd>',
      recipient: { name: '<i>Alex</i>', email: 'a@example.com', language: 'en' },
    });
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('</script>');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>');
    expect(html).not.toContain('<Ltd>');
    expect(html).toContain('Tom &amp; Jerry &lt;Ltd&gt;');
    expect(html).toContain('ev-&#39;1&#39;');
    expect(html).toContain('<a href="https://example.com/?a=1&amp;b=&quot;2&quot;">');
    // The plain-text body is not HTML and keeps the raw text.
    expect(text).toContain(nasty);
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('links only http and https locations', () => {
    const { html } = renderNoticeMail(
      input([
        line({ evidenceId: 'ev-1', evidenceLocation: 'https://docs.example.com/a' }),
        line({ evidenceId: 'ev-2', evidenceLocation: 'http://intranet.example/b' }),
        line({ evidenceId: 'ev-3', evidenceLocation: 's3://bucket/evidence.pdf' }),
        line({ evidenceId: 'ev-4', evidenceLocation: 'javascript:alert(1)' }),
      ]),
    );
    expect(html).toContain('<a href="https://docs.example.com/a">');
    expect(html).toContain('<a href="http://intranet.example/b">');
    expect(html).toContain('<td>s3://bucket/evidence.pdf</td>');
    expect(html).not.toContain('href="s3:');
    expect(html).not.toContain('href="javascript:');
    expect(html.match(/<a /g)).toHaveLength(2);
  });

  it('throws when there are no lines', () => {
    expect(() => renderNoticeMail(input([]))).toThrow(Error);
  });
});

describe('renderNoticeMail with behaviour alerts', () => {
  const alert = (over: Partial<AlertLine> = {}): AlertLine => ({
    alertId: '20261124-3f9c2a1b',
    rule: 'volume',
    severity: 'high',
    tier: 'red',
    who: 'Ada Chan',
    group: '財務部',
    platform: 'dingtalk-standard',
    eventCount: 41,
    when: '2026-11-24 14:00 – 14:13 (Asia/Hong_Kong)',
    detail: { count: 41, threshold: 40, baseline: 6, learning: false, windowMinutes: 60 },
    ...over,
  });
  const flow = alert({ alertId: '20261112-98a369d5', rule: 'flow', severity: 'critical', who: 'Cheryl Ng', group: '人事部', eventCount: 1, when: '2026-11-12 16:45 (Asia/Hong_Kong)', detail: { kind: 'personal', domain: 'gmail.com' } });
  const departure = alert({ alertId: '20261126-0a730e30', rule: 'departure', pattern: 'volume', severity: 'critical', who: '麥寶儀 Mak Po Yee', detail: { count: 21, threshold: 20, baseline: 2, learning: false, windowMinutes: 60 } });

  it('lists the alerts first, most severe first, with what each rule measured, and says how to acknowledge and resolve', () => {
    const { subject, text, html } = renderNoticeMail({ ...input([]), alerts: [alert(), flow, departure] });
    expect(subject).toBe('[Harbour Ledger] Behaviour monitoring: 3 alerts (2 critical)');
    expect(text.indexOf('20261112-98a369d5')).toBeLessThan(text.indexOf('20261126-0a730e30'));
    expect(text.indexOf('20261126-0a730e30')).toBeLessThan(text.indexOf('20261124-3f9c2a1b'));
    expectAllIn(text, [
      "  What: Bulk downloads far above the user's own baseline: 41 downloads and exports in 60 minutes (threshold 40; own baseline 6)",
      '  What: Content forwarded the wrong way: sent to a personal account at gmail.com',
      '  What: In their notice period: Bulk downloads far above',
      '  Group: 財務部 (red tier) on dingtalk-standard',
      'compliance alerts ack ID --as YOU',
    ]);
    expect(html).toContain('<th align="left">Alert</th>');
  });

  it('reads in Traditional Chinese for a zh-Hant reader, and mixes with evidence under one subject', () => {
    const zh = renderNoticeMail({ ...input([], 'zh-Hant'), alerts: [flow] });
    expect(zh.subject).toBe('[Harbour Ledger] 行為監察：1 項警報（1 項嚴重）');
    expect(zh.text).toContain('內容：內容被轉發至不應去的地方：發送至個人帳戶（gmail.com）');
    expect(zh.text).toContain('群組：人事部（紅色級別，dingtalk-standard）');
    const both = renderNoticeMail({ ...input([mixed[0]!]), alerts: [alert()] });
    expect(both.subject).toBe('[Harbour Ledger] Compliance items need your attention: 1 alert, 1 due soon');
    expect(both.text.indexOf('Behaviour alerts (1)')).toBeLessThan(both.text.indexOf('Due soon (1)'));
  });
});
