// Behaviour monitoring's commands as a user runs them: a child process per command,
// against the shared DynamoDB Local (--endpoint), a table of its own.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli as runCliFor } from './support/cli.ts';
import { closedEndpoint } from './support/closed-port.ts';
import { tempDir } from './support/temp-dir.ts';

// For commands that must fail before they open a store: one that tried would find nothing there.
const CLOSED = await closedEndpoint();
const dir = tempDir('monitoring-cli-');
const runCli = (args: string[]) => runCliFor(args);

const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};

beforeAll(async () => {
  await runCli(['--help']);
});

describe.concurrent('events import refuses a file before touching any store', () => {
  // --endpoint names a closed port: a command that opened a store session would fail otherwise.
  const refused = (...args: string[]) => runCli(['--endpoint', CLOSED, 'events', 'import', ...args]);

  it('a file that is not what its extension says', async ({ expect }) => {
    const r = await refused(write('workbook.csv', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100)])), '--platform', 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('workbook.csv: a ZIP archive (perhaps an .xlsx workbook), not a .csv file');
  });

  it('a table in no known layout, naming its columns, and a mapping naming columns it lacks', async ({ expect }) => {
    const file = write('odd.csv', 'Stamp,Account,Thing\n1,2,3\n');
    const r = await refused(file, '--platform', 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('It has 3 columns: "Stamp", "Account", "Thing". Give a mapping (--mapping FILE');
    const mapped = await refused(file, '--platform', 'x', '--mapping', write('m.yaml', 'columns: { time: Stamp, user: Account, action: Thing, object: Item }\n'));
    expect(mapped.code).toBe(2);
    expect(mapped.stderr).toContain('the mapping names columns the file does not have: object ("Item")');
  });
});

describe('behaviour monitoring against DynamoDB Local, in order', () => {
  const endpoint = inject('dynamoEndpoint');
  const table = `test-monitoring-cli-${randomUUID()}`;
  const outbox = tempDir('monitoring-outbox-');
  const cli = (...args: string[]) => runCli(['--endpoint', endpoint, '--table', table, '--outbox', outbox, '--data-dir', path.join(dir, 'data'), ...args]);
  const log = write(
    'export.csv',
    [
      'time,user,action,object,group,target,ip',
      '2026-11-27T10:00:00+08:00,guest@elsewhere.example,view,payment-batch-1.xlsx,付款審批,,',
      'not a time,ada.chan@harbourledger.example,view,x.pdf,付款審批,,',
      '2026-11-27T10:05:00+08:00,ada.chan@harbourledger.example,view,y.pdf,付款審批,,',
    ].join('\n'),
  );
  let alertId = '';

  it("monitor: imports the sample's declared audit logs and raises its seven planted alerts", async () => {
    expect((await cli('import', 'examples/acme-hk/org.yaml')).code).toBe(0);
    const scanned = await cli('datamap', '--now', '2026-11-30T08:00:00Z');
    expect(scanned.code, scanned.stderr).toBe(0);
    const r = await cli('monitor', '--now', '2026-11-30T08:30:00Z');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('behaviour-monitoring-harbour-ledger-2026-11-30T083000: 4 audit-log files imported (5,527 events; 2 rows not read); 5,527 events received since the last run examined (0 late), in 1 pass.');
    expect(r.stdout).toContain('7 alerts raised');
  });

  it('events import: reports the row it cannot read by line, stores the rest, then runs monitoring on them', async () => {
    const r = await cli('events', 'import', log, '--platform', 'dingtalk-standard', '--now', '2026-11-30T09:00:00Z');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Imported export.csv for dingtalk-standard (project layout): 3 rows read, 2 events stored.');
    expect(r.stdout).toContain('1 row could not be read:\n  line 3: time: "not a time" is not a date and time');
    expect(r.stdout).toContain('Behaviour monitoring behaviour-monitoring-harbour-ledger-2026-11-30T090000: 0 audit-log files imported (0 events), 4 imported before; 2 events received since the last run examined (2 late), in 1 pass.');
    expect(r.stdout).toMatch(/1 alert raised \(times in Asia\/Hong_Kong\):\n.*\n(\d{8}-[0-9a-f]{8})\s+high\s+strangers\s+g\*\*\*@elsewhere\.example\s+付款審批\s+red\s+2026-11-27 10:00\s+1\s+open/);
    alertId = /(\d{8}-[0-9a-f]{8})\s+high\s+strangers/.exec(r.stdout)![1]!;
  });

  it('the same file again writes nothing and runs nothing', async () => {
    const r = await cli('events', 'import', log, '--platform', 'dingtalk-standard', '--now', '2026-11-30T09:05:00Z');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^export\.csv was imported for dingtalk-standard before \(.*, project layout\): the same content, so nothing was written\.\n$/);
  });

  // The commands that only read, or are refused, at a point of the sequence run at once.
  it('alerts list, ack and resolve by the clock given, and stats with the times to acknowledge and resolve', async () => {
    const [listed, bad] = await Promise.all([
      cli('alerts', 'list', '--format', 'json'),
      cli('alerts', 'resolve', alertId, '--as', 'cheung-chi-keung', '--disposition', 'maybe'),
    ]);
    const list = JSON.parse(listed.stdout) as { id: string; recipients: string[] }[];
    expect(list).toHaveLength(8);
    expect(list.find((a) => a.id === alertId)?.recipients).toEqual(['ada-chan', 'cheung-chi-keung']);
    const ack = await cli('alerts', 'ack', alertId, '--as', 'ada-chan', '--now', '2026-11-30T09:42:00Z');
    expect(ack.code, ack.stderr).toBe(0);
    expect(ack.stdout).toBe(`Acknowledged ${alertId} as ada-chan, 42 min after it was raised.\n`);
    const [again, stranger] = await Promise.all([
      cli('alerts', 'ack', alertId, '--as', 'ada-chan', '--now', '2026-11-30T09:50:00Z'),
      cli('alerts', 'resolve', alertId, '--as', 'jason-tsang', '--disposition', 'benign', '--now', '2026-11-30T12:00:00Z'),
    ]);
    expect(again.code).toBe(2);
    // the time where the organisation is, as every time the CLI prints
    expect(again.stderr).toContain(`alert ${alertId} is acknowledged already (by ada-chan at 2026-11-30 17:42 Asia/Hong_Kong)`);
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toContain('jason-tsang may not handle alert');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'maybe' is invalid. Allowed choices are true-positive, benign, false-positive");
    const resolved = await cli('alerts', 'resolve', alertId, '--as', 'cheung-chi-keung', '--disposition', 'true-positive', '--comment', 'guest removed', '--now', '2026-11-30T12:00:00Z');
    expect(resolved.stdout).toBe(`Resolved ${alertId} as true-positive (by cheung-chi-keung), 3 h 0 min after it was raised.\n`);
    const [unresolved, resolvedList, statsJson, statsHuman, badPeriod] = await Promise.all([
      cli('alerts', 'list'),
      cli('alerts', 'list', '--status', 'resolved'),
      cli('alerts', 'stats', '--period', '2026-Q4', '--format', 'json'),
      cli('alerts', 'stats', '--period', '2026-Q4'),
      cli('alerts', 'stats', '--period', '2026-Q5'),
    ]);
    expect(unresolved.stdout).toMatch(/^7 unresolved alerts/);
    expect(resolvedList.stdout).toContain(`${alertId}  high`);
    const stats = JSON.parse(statsJson.stdout);
    expect(stats).toMatchObject({
      period: '2026-Q4',
      raised: 8,
      byRule: { strangers: 2, volume: 1, flow: 2, exposure: 1, timing: 1, departure: 1 },
      byStatus: { open: 7, acknowledged: 0, resolved: 1 },
      byDisposition: { 'true-positive': 1 },
      toAcknowledge: { count: 1, medianMinutes: 42, p90Minutes: 42 },
      toResolve: { count: 1, medianMinutes: 180, p90Minutes: 180 },
      monitoring: { runs: 2, events: 5_529, alerts: 8 },
    });
    expect(statsHuman.stdout).toContain('Time to acknowledge: median 42 min, 90th percentile 42 min (1 alert).');
    expect(badPeriod.stderr).toContain('--period: "2026-Q5" must be a quarter written YYYY-Qn');
  });

  it('events import of an export overlapping one imported before: only its new event is stored and examined, and the quarter counts each event once', async () => {
    const overlap = write('overlap.csv', [...readFileSync(log, 'utf8').split('\n'), '2026-11-28T10:00:00+08:00,ada.chan@harbourledger.example,view,w.pdf,付款審批,,'].join('\n'));
    const r = await cli('events', 'import', overlap, '--platform', 'dingtalk-standard', '--now', '2026-11-30T13:00:00Z');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Imported overlap.csv for dingtalk-standard (project layout): 4 rows read, 1 event stored, 2 events held already (delivered before) not stored or examined again.');
    expect(r.stdout).toContain('1 event received since the last run examined (1 late), in 1 pass.');
    const stats = JSON.parse((await cli('alerts', 'stats', '--period', '2026-Q4', '--format', 'json')).stdout);
    expect(stats.monitoring).toMatchObject({ runs: 3, events: 5_530 });
  });
});
