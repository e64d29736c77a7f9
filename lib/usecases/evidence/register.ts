// An owner registers evidence through the API: its metadata and the SHA-256 of the
// file, never the file. The item is validated as the organisation file validates
// evidence, its id comes from the control and the hash (the same file for the same
// control is one item, and a file registered already for the control, under any name,
// is refused), and it may renew a live item of the control. It must be valid today, for
// at most 10 years; given no validity it gets one, as an answer's evidence does: the
// period of the item it renews, else the control's review rhythm
// (lib/domain/evidence/input-rules.ts). It is never registered without an end.
import { z } from 'zod';
import { defaultValidity, whyNotDefault, whyNotNewValidity } from '../../domain/evidence/input-rules.ts';
import { whyNotCurrent } from '../../domain/evidence/lapse-policy.ts';
import { redact } from '../../domain/detect/redact.ts';
import { Evidence, type EvidenceRecord } from '../../domain/org/org.ts';
import { localDate } from '../../domain/review/quarter.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../errors.ts';
import type { Ports } from '../ports.ts';

/** The body of POST /v1/evidence: an evidence entry of the organisation file without its id and owner, plus what it renews. */
export const EvidenceSubmission = z.strictObject({
  control: z.string(),
  title: z.string(),
  kind: z.string(),
  location: z.string(),
  sha256: z.string(),
  collected: z.string().optional(),
  validUntil: z.string().optional(),
  validFor: z.string().optional(),
  /** A live item of the same control this one replaces. */
  renews: z.string().max(200).optional(),
});
export type EvidenceSubmission = z.infer<typeof EvidenceSubmission>;

export async function registerEvidence(rt: Ports, orgId: string, person: string, submitted: EvidenceSubmission, now: Date): Promise<EvidenceRecord> {
  const org = await rt.organisations.load(orgId);
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  const today = localDate(now, org.organisation.timeZone);
  const { renews, ...fields } = submitted;
  // What a person types is held as the organisation file's titles are: identifiers in it masked.
  const parsed = Evidence.safeParse({ ...fields, ...(typeof fields.title === 'string' ? { title: redact(fields.title) } : {}), id: 'api', collected: fields.collected ?? today });
  if (!parsed.success) throw new InputError(parsed.error.issues.map((i) => `body.${i.path.join('.')}: ${i.message}`).join('; '));
  const evidence = parsed.data;
  const control = org.controls.get(evidence.control);
  if (!control) throw new NotFoundError(`body.control: ${evidence.control} is not a control of ${orgId}`);
  if (control.owner !== person) throw new ForbiddenError(`body.control: ${evidence.control} is not one of your controls`);
  if (evidence.collected > today) throw new InputError(`body.collected: ${evidence.collected} is after today (${today})`);
  const items = await rt.organisations.evidence(orgId, evidence.control);
  // The same bytes are the same evidence, whatever their name: registered again they would
  // pass for new evidence (and could renew the lapsed item they are a copy of).
  const same = items.find((e) => e.sha256 !== undefined && e.sha256.toLowerCase() === evidence.sha256?.toLowerCase());
  if (same) {
    const why = whyNotCurrent(same, today, org.organisation.sweep);
    throw new ConflictError(`body.sha256: ${evidence.sha256} is the file of evidence ${same.id}, registered already${why ? ` and ${why}` : ''}: it is not new evidence; register a new file`);
  }
  const renewed = renews === undefined ? undefined : items.find((e) => e.id === renews);
  if (renews) {
    if (!renewed) throw new InputError(`body.renews: ${renews} is not evidence of control ${evidence.control}`);
    if (renewed.retired || renewed.renewedBy) throw new ConflictError(`body.renews: ${renews} was retired or renewed already`);
  }
  // Neither validUntil nor validFor: the default every entry point gives new evidence, never none.
  const defaulted = evidence.validUntil === undefined ? defaultValidity(evidence.collected, control.reviewEvery, renewed) : undefined;
  const validUntil = evidence.validUntil ?? defaulted!.validUntil;
  // New evidence must hold today and not for ever; the organisation file, which records history, is not held to this.
  const validity = whyNotNewValidity(evidence.collected, validUntil, today, `${today} in ${org.organisation.timeZone}`);
  if (validity && defaulted) throw new InputError(`body.validFor: ${whyNotDefault(defaulted, control.reviewEvery, evidence.collected, validity)}`);
  if (validity) throw new InputError(`body.${fields.validFor !== undefined ? 'validFor' : 'validUntil'}: ${validity}`);
  const record: EvidenceRecord = {
    ...evidence,
    validUntil,
    id: `${evidence.control}/${evidence.sha256?.slice(0, 16)}`,
    owner: person,
    origin: 'api',
    ...(renews ? { renews } : {}),
  };
  await rt.organisations.register(orgId, record, {
    orgId,
    at: rt.clock().toISOString(),
    event: 'evidence.registered',
    subject: `EVIDENCE#${record.id}`,
    actor: person,
    detail: { control: record.control, origin: 'api', sha256: record.sha256, ...(renews ? { renews } : {}) },
  });
  return record;
}
