// The pages and mails as text: values from the organisation file render as text
// wherever they land, and a review mail links to the owner's tasks page.
import { describe, expect, it } from 'vitest';
import { renderNoticeMail } from '../lib/domain/notice/notice-mail.ts';
import { labels } from '../lib/web/labels.ts';
import { controlsPage, dataMapPage, tasksPage, type PageContext } from '../lib/web/pages.ts';

const ctx = (name = 'Ada <b>Lam</b>'): PageContext => ({
  principal: { person: 'ada', orgId: 'acme', role: 'owner' },
  name,
  language: 'en',
  t: labels('en'),
  csrf: async () => 'token"><script>x</script>',
});

describe('pages', () => {
  it('escape a control title, a comment, a name and a token holding markup', async () => {
    const page = (
      await tasksPage(ctx(), '2026-Q4', [
        { id: '2026-Q4/A.5.9', control: 'A.5.9', controlTitle: '<script>alert(1)</script>', due: '2026-12-30', status: 'open', comment: '</textarea><img src=x onerror=alert(1)>', evidenceStatusAtOpening: 'current', evidence: [] },
      ])
    ).html;
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>Lam');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('value="token&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    const controls = (await controlsPage(ctx(), [{ id: 'A.5.1', title: 'Policies <i>x</i>', theme: 'organizational', applicable: true, owner: '"><svg onload=1>', evidenceStatus: 'current' }])).html;
    expect(controls).toContain('Policies &lt;i&gt;x&lt;/i&gt;');
    expect(controls).not.toContain('<svg');
  });

  it('speak the person\'s language', async () => {
    const page = (await tasksPage({ ...ctx('陳大文'), language: 'zh-Hant', t: labels('zh-Hant') }, '2026-Q4', [])).html;
    expect(page).toContain('<html lang="zh-Hant">');
    expect(page).toContain('我的任務 2026-Q4');
    expect(page).toContain('本季你沒有任務。');
  });

  it('label a task\'s evidence status: today\'s where known, else the status when the review opened', async () => {
    const item = { id: '2026-Q4/A.8.5', control: 'A.8.5', controlTitle: 'Secure authentication', due: '2026-12-30', status: 'open', evidenceStatusAtOpening: 'lapsed', evidence: [] };
    const today = (await tasksPage(ctx(), '2026-Q4', [{ ...item, evidenceStatus: 'current' }])).html;
    expect(today).toContain('Evidence today: <span class="status-current">current</span>');
    expect(today).not.toContain('>lapsed<');
    // a task handed to someone who may not read its control: only the status at opening, said to be that
    const handed = (await tasksPage(ctx(), '2026-Q4', [item])).html;
    expect(handed).toContain('Evidence when the review opened: <span class="status-lapsed">lapsed</span>');
  });

  it('list tasks read-only, whose each is, escaped, for a role that may not answer', async () => {
    const auditor = { ...ctx(), principal: { person: 'ray', orgId: 'acme', role: 'auditor' as const } };
    const page = (
      await tasksPage(auditor, '2026-Q4', [{ id: '2026-Q4/A.5.9', control: 'A.5.9', controlTitle: 'Inventory', due: '2026-12-30', status: 'open', owner: '<b>ada</b>', delegate: 'bo"b', evidenceStatusAtOpening: 'current', evidence: [] }], { readOnly: true })
    ).html;
    expect(page).toContain('<h1>Tasks 2026-Q4</h1>');
    expect(page).not.toContain('My tasks');
    expect(page).not.toContain('action="/tasks/');
    expect(page).toContain('Owner: &lt;b&gt;ada&lt;/b&gt; (handed to bo&quot;b)');
  });

  it('name the storage country in the data map\'s flows, never OTHER', async () => {
    const page = (
      await dataMapPage(ctx(), {
        scanId: 'data-mapping-scan-acme-2026-12',
        scannedAt: '2026-12-01T02:00:00Z',
        sources: [
          { id: 'sales', platform: 'slack', status: 'scanned', rating: 'red', storage: { jurisdiction: 'OTHER', country: 'US', region: 'us-east-1' }, flows: [{ from: 'HK', to: 'OTHER', status: 'flagged' }] },
          { id: 'legacy', platform: 'files', status: 'scanned', rating: 'amber', storage: { jurisdiction: 'OTHER' }, flows: [{ from: 'HK', to: 'OTHER', status: 'covered', basis: 'consent' }] },
        ],
      })
    ).html;
    expect(page).toContain('HK → US flagged');
    expect(page).toContain('HK → a place outside Hong Kong, mainland China and the EU/EEA covered (consent)');
    expect(page).not.toContain('→ OTHER');
  });
});

describe('review mails', () => {
  const task = { stage: 'assigned' as const, quarter: '2026-Q4', taskId: '2026-Q4/A.5.9', controlId: 'A.5.9', controlTitle: 'Inventory', ownerName: 'Ada', due: '2026-12-30', daysOverdue: -30 };
  it('link to the tasks page when the pages have an address, in text and HTML', () => {
    const mail = renderNoticeMail({ recipient: { name: 'Ada', email: 'ada@example.com', language: 'en' }, organisationName: 'Acme', asOf: '2026-11-30', lines: [], tasks: [task], tasksUrl: 'https://compliance.example.com/tasks' });
    expect(mail.text).toContain('Answer your tasks online: https://compliance.example.com/tasks');
    expect(mail.html).toContain('<a href="https://compliance.example.com/tasks">https://compliance.example.com/tasks</a>');
    const none = renderNoticeMail({ recipient: { name: 'Ada', email: 'ada@example.com', language: 'en' }, organisationName: 'Acme', asOf: '2026-11-30', lines: [], tasks: [task] });
    expect(none.text).not.toContain('online');
  });
});
