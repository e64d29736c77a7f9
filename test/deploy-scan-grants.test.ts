// The scanTables and scanBuckets params (serverless.yml) name what the scan role may read:
// several of each, comma-separated, and never a pattern of them. Packaging with the
// defaults is checked in deploy-package.test.ts; this checks the lists and the refusals.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

type Sub = { 'Fn::Sub': string };
const { scanSourceResources } = createRequire(import.meta.url)('../workflows/deploy.cjs') as {
  scanSourceResources: (tables: unknown, buckets: unknown) => { tables: Sub[]; buckets: Sub[] };
};
const subs = (list: Sub[]) => list.map((s) => s['Fn::Sub']);

describe('the scan role’s tables and buckets', () => {
  it('takes comma-separated lists: tables by name (this account and region) or ARN, buckets by name', () => {
    const { tables, buckets } = scanSourceResources(' crm-contacts , arn:aws:dynamodb:ap-east-1:123456789012:table/hr-staff', 'harbour-chat-exports,harbour.audit-logs');
    expect(subs(tables)).toEqual(['arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/crm-contacts', 'arn:aws:dynamodb:ap-east-1:123456789012:table/hr-staff']);
    expect(subs(buckets)).toEqual(['arn:${AWS::Partition}:s3:::harbour-chat-exports', 'arn:${AWS::Partition}:s3:::harbour.audit-logs']);
  });

  it('keeps the defaults, whose names hold substitutions', () => {
    const { tables, buckets } = scanSourceResources('arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/none', 'none-${AWS::AccountId}-compliance-scan');
    expect(subs(tables)).toEqual(['arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/none']);
    expect(subs(buckets)).toEqual(['arn:${AWS::Partition}:s3:::none-${AWS::AccountId}-compliance-scan']);
  });

  it.each([
    ['*', 'ok-bucket', /^scanTables: "\*" is not a table's name or ARN/],
    ['crm-*', 'ok-bucket', /^scanTables: "crm-\*"/],
    ['arn:aws:dynamodb:ap-east-1:123456789012:table/crm/index/byEmail', 'ok-bucket', /^scanTables: ".*index\/byEmail" is not/],
    ['arn:aws:s3:::ok-bucket', 'ok-bucket', /^scanTables: "arn:aws:s3:::ok-bucket" is not/],
    ['arn:aws:dynamodb:*:*:table/orders', 'ok-bucket', /^scanTables: "arn:aws:dynamodb:\*:\*:table\/orders" is not/],
    ['arn:*:dynamodb:ap-east-1:123456789012:table/orders', 'ok-bucket', /^scanTables: "arn:\*:dynamodb/],
    ['arn:aws:dynamodb:us-east-?:123456789012:table/orders', 'ok-bucket', /^scanTables: "arn:aws:dynamodb:us-east-\?/],
    ['arn:aws:dynamodb:ap-east-1:12345678901*:table/orders', 'ok-bucket', /^scanTables: "arn:aws:dynamodb:ap-east-1:12345678901\*/],
    ['crm-contacts', 'exports/*', /^scanBuckets: "exports\/\*" is not a bucket's name/],
    ['crm-contacts', '*', /^scanBuckets: "\*"/],
    ['crm-contacts', 'Upper_Case', /^scanBuckets: "Upper_Case"/],
    ['', 'ok-bucket', /^scanTables: names no table$/],
    ['crm-contacts', ' , ', /^scanBuckets: names no bucket$/],
  ])('refuses tables %j with buckets %j, naming the param', (tables, buckets, message) => {
    expect(() => scanSourceResources(tables, buckets)).toThrow(message);
  });
});
