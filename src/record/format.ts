// The completion record: what a signed sign-off says, as one zod schema that is the only source
// of its type. It is read by people (printed) and by tools (the signed JSON file), so every
// member says what it is without needing the app to explain it.
import { z } from 'zod';
import { Id } from '../checklist/schema.ts';
import { odsCodePattern } from '../run/header.ts';

export const RECORD_FORMAT = 'reconnect-completion-record';
export const RECORD_FORMAT_VERSION = 1;

// The schema never transforms (no trim, no defaults): a parsed record must be the same value
// that was signed, so a record is either accepted exactly as it is or rejected.

/** Text a person typed or chose: not blank, bounded. Kept exactly as given, never trimmed. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => v.trim() !== '', { error: 'must not be blank' });
const name = text(200);
const shortText = text(500);
const longText = text(20_000);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 digest in lower-case hex');
/** An RFC 7638 SHA-256 JWK thumbprint, base64url without padding. */
export const FingerprintSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'must be a key fingerprint (43 base64url characters)');
/** When something happened: ISO 8601 with a zone, as the app records every action. */
const instant = z.iso.datetime({ offset: true });
/** A calendar date, as review dates are entered. */
const isoDate = z.iso.date();
/** A checklist, phase, step or field id, as the checklist format defines it. */
const id = Id.max(100);

export const PersonSchema = z.strictObject({ name, role: name });
export type Person = z.infer<typeof PersonSchema>;

// Evidence values exactly as the run holds them (src/checklist/fields.ts EvidenceValue).
const FileRefSchema = z.strictObject({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(500),
  size: z.int().min(0),
  type: z.string().max(200),
  sha256: sha256Hex,
});
export const EvidenceValueSchema = z.union([
  z.string().max(20_000),
  z.number(),
  z.boolean(),
  z.array(z.string().max(1_000)).max(1_000),
  PersonSchema,
  z.array(FileRefSchema).max(100),
]);

export const EvidenceEntrySchema = z.strictObject({
  /** The field's id in the checklist. */
  field: id,
  /** The field's label, as the form showed it. */
  label: shortText,
  /** The answer as people read it: "Yes", "15 May 2017", option labels rather than values. */
  display: z.string().max(20_000),
  /** The answer as the run stored it. */
  value: EvidenceValueSchema,
});
export type EvidenceEntry = z.infer<typeof EvidenceEntrySchema>;

export const ApprovalSchema = z
  .strictObject({
    name,
    role: name,
    /** RFC 7638 thumbprint of the approver's key, when the approval was signed. */
    keyFingerprint: FingerprintSchema.optional(),
    /** Compact JWS by the approver over the decision (see signApproval). */
    signature: z.string().min(1).max(10_000).optional(),
    at: instant,
    statement: longText.optional(),
  })
  .refine((a) => a.signature === undefined || a.keyFingerprint !== undefined, {
    error: 'a signed approval must name the key that signed it',
    path: ['keyFingerprint'],
  });
export type RecordApproval = z.infer<typeof ApprovalSchema>;

const stepCommon = {
  id,
  phaseId: id,
  phaseTitle: shortText,
  title: shortText,
  evidence: z.array(EvidenceEntrySchema).max(200),
};
/** Who resolved the step, and when; absent only for steps that were not needed. */
const resolvedBy = { by: name, at: instant };

/**
 * One step of the checklist, in checklist order. Only resolved statuses exist: a record is made
 * only from a complete run, so "not started", "in progress" or "needs approval" cannot appear.
 */
export const RecordStepSchema = z.discriminatedUnion('status', [
  z.strictObject({
    ...stepCommon,
    status: z.literal('completed'),
    approval: ApprovalSchema.optional(),
    ...resolvedBy,
  }),
  z.strictObject({
    ...stepCommon,
    status: z.literal('not-applicable'),
    reason: longText,
    approval: ApprovalSchema.optional(),
    ...resolvedBy,
  }),
  z.strictObject({
    ...stepCommon,
    status: z.literal('risk-accepted'),
    reason: longText,
    reviewDate: isoDate,
    // The checklist engine sends every risk acceptance for approval: there is always one.
    approval: ApprovalSchema,
    ...resolvedBy,
  }),
  z.strictObject({
    ...stepCommon,
    status: z.literal('not-needed'),
    /** Why it did not apply, e.g. "needed only when a device was infected". */
    reason: longText,
    evidence: z.array(EvidenceEntrySchema).max(0),
  }),
]);
export type RecordStep = z.infer<typeof RecordStepSchema>;
export type RecordStepStatus = RecordStep['status'];

/** A risk accepted on a step, or a device left connected under an approved exception. */
export const RecordExceptionSchema = z.strictObject({
  kind: z.enum(['step', 'device']),
  /** The step id (kind "step") or the device hostname (kind "device") this is about. */
  subject: z.string().min(1).max(255),
  reason: longText,
  approver: PersonSchema,
  reviewDate: isoDate,
});
export type RecordException = z.infer<typeof RecordExceptionSchema>;

export const RecordDeviceSchema = z
  .strictObject({
    hostname: z.string().min(1).max(255),
    assetTag: z.string().min(1).max(100).optional(),
    /** Business owner and kind of device, as its identify step recorded them. */
    owner: z.string().min(1).max(200).optional(),
    deviceClass: z.string().min(1).max(200).optional(),
    os: z.string().min(1).max(200),
    status: z.enum(['cleared', 'excepted']),
    /** Network zone or VLAN, where the inventory says. */
    zone: z.string().min(1).max(200).optional(),
    exceptionReviewDate: isoDate.optional(),
  })
  .refine((d) => (d.status === 'excepted') === (d.exceptionReviewDate !== undefined), {
    error: 'an excepted device has a review date, and only an excepted device has one',
    path: ['exceptionReviewDate'],
  });
export type RecordDevice = z.infer<typeof RecordDeviceSchema>;

export const DeviceSummarySchema = z.strictObject({
  total: z.int().min(0),
  cleared: z.int().min(0),
  excepted: z.int().min(0),
  /** Always 0: a record is made only once every device is cleared or excepted. */
  outstanding: z.literal(0),
  /** Devices per operating system (the app lists the most common first). */
  byOs: z.array(z.strictObject({ os: z.string().min(1).max(200), count: z.int().min(1) })),
});

export const RecordFileSchema = z.strictObject({
  stepId: id,
  name: z.string().min(1).max(500),
  size: z.int().min(0),
  sha256: sha256Hex,
});
export type RecordFile = z.infer<typeof RecordFileSchema>;

const decisionCommon = { statement: longText, decidedAt: instant };
export const DecisionSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('approved'), ...decisionCommon }),
  z.strictObject({
    outcome: z.literal('approved-with-conditions'),
    conditions: z.array(longText).min(1).max(100),
    ...decisionCommon,
  }),
  z.strictObject({
    outcome: z.literal('rejected'),
    reasons: z.array(longText).min(1).max(100),
    ...decisionCommon,
  }),
]);
export type Decision = z.infer<typeof DecisionSchema>;

export const RevisionSchema = z
  .strictObject({
    number: z.int().min(1),
    /** SHA-256 of the canonical JSON of the record this one revises. */
    previousRecordDigest: sha256Hex.optional(),
  })
  .refine((r) => (r.number === 1) === (r.previousRecordDigest === undefined), {
    error: 'revision 1 has no previous record; every later revision names the one it revises',
    path: ['previousRecordDigest'],
  });

export const RecordOrganisationSchema = z.strictObject({
  name,
  odsCode: z
    .string()
    .regex(odsCodePattern, 'must be an ODS code of 3 to 6 capitals and digits')
    .optional(),
  site: name.optional(),
  incidentReference: text(100).optional(),
});

const RecordShape = z.strictObject({
  format: z.literal(RECORD_FORMAT),
  formatVersion: z.literal(RECORD_FORMAT_VERSION),
  recordId: z.uuid(),
  revision: RevisionSchema,
  organisation: RecordOrganisationSchema,
  checklist: z.strictObject({
    id,
    version: z.string().min(1).max(50),
    /** SHA-256 of the checklist definition's canonical JSON, as the run pinned it. */
    contentHash: sha256Hex,
    title: shortText,
  }),
  steps: z.array(RecordStepSchema).min(1).max(1_000),
  exceptions: z.array(RecordExceptionSchema).max(100_000),
  devices: z.strictObject({
    summary: DeviceSummarySchema,
    list: z.array(RecordDeviceSchema).max(200_000),
  }),
  files: z.array(RecordFileSchema).max(10_000),
  /** The run's hash-chained event log: how many events, and the hash of the last one. */
  auditLog: z.strictObject({ events: z.int().min(1), headHash: sha256Hex }),
  decision: DecisionSchema,
  /** The manager who signed the record off, and the key they signed with. */
  signer: z.strictObject({ name, role: name, keyFingerprint: FingerprintSchema }),
  createdAt: instant,
});

export const CompletionRecordSchema = RecordShape.superRefine((record, ctx) => {
  for (const problem of consistencyProblems(record)) {
    ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  }
});

/** The signed completion record. */
export type CompletionRecord = z.infer<typeof CompletionRecordSchema>;

interface Problem {
  message: string;
  path: (string | number)[];
}

/**
 * Checks across members that the shape alone cannot express: the parts of a record must tell
 * the same story, so a printout cannot show one count in the summary and another in the list.
 */
function consistencyProblems(record: z.infer<typeof RecordShape>): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string, ...path: (string | number)[]) => problems.push({ message, path });

  const steps = new Map<string, RecordStep>();
  record.steps.forEach((step, i) => {
    if (steps.has(step.id)) add(`step "${step.id}" appears more than once`, 'steps', i, 'id');
    steps.set(step.id, step);
  });

  // Devices: the summary must be the list, counted.
  const { summary, list } = record.devices;
  const hostnames = new Map<string, RecordDevice>();
  const perOs = new Map<string, number>();
  let cleared = 0;
  list.forEach((device, i) => {
    const key = device.hostname.toLowerCase();
    if (hostnames.has(key))
      add(`device "${device.hostname}" appears more than once`, 'devices', 'list', i);
    hostnames.set(key, device);
    if (device.status === 'cleared') cleared++;
    perOs.set(device.os, (perOs.get(device.os) ?? 0) + 1);
  });
  const excepted = list.length - cleared;
  if (summary.total !== list.length)
    add(
      `the summary counts ${summary.total} devices but ${list.length} are listed`,
      'devices',
      'summary',
      'total',
    );
  if (summary.cleared !== cleared)
    add(
      `the summary counts ${summary.cleared} cleared devices but ${cleared} are listed as cleared`,
      'devices',
      'summary',
      'cleared',
    );
  if (summary.excepted !== excepted)
    add(
      `the summary counts ${summary.excepted} excepted devices but ${excepted} are listed as excepted`,
      'devices',
      'summary',
      'excepted',
    );
  const seenOs = new Set<string>();
  summary.byOs.forEach((entry, i) => {
    if (seenOs.has(entry.os))
      add(`"${entry.os}" appears twice in the count by OS`, 'devices', 'summary', 'byOs', i);
    seenOs.add(entry.os);
    if (perOs.get(entry.os) !== entry.count)
      add(
        `the count by OS gives ${entry.count} devices on "${entry.os}" but ${perOs.get(entry.os) ?? 0} are listed`,
        'devices',
        'summary',
        'byOs',
        i,
      );
  });
  for (const os of perOs.keys())
    if (!seenOs.has(os))
      add(
        `devices on "${os}" are listed but missing from the count by OS`,
        'devices',
        'summary',
        'byOs',
      );

  // Exceptions: exactly one per risk-accepted step and one per excepted device, agreeing with them.
  const stepExceptions = new Set<string>();
  const deviceExceptions = new Set<string>();
  record.exceptions.forEach((exception, i) => {
    if (exception.kind === 'step') {
      const step = steps.get(exception.subject);
      if (step?.status !== 'risk-accepted') {
        add(
          `the exception for step "${exception.subject}" has no risk-accepted step`,
          'exceptions',
          i,
          'subject',
        );
        return;
      }
      if (stepExceptions.has(step.id))
        add(`step "${step.id}" has more than one exception`, 'exceptions', i);
      stepExceptions.add(step.id);
      if (exception.reason !== step.reason || exception.reviewDate !== step.reviewDate)
        add(
          `the exception for step "${step.id}" differs from the step's reason or review date`,
          'exceptions',
          i,
        );
      if (
        exception.approver.name !== step.approval.name ||
        exception.approver.role !== step.approval.role
      )
        add(
          `the exception for step "${step.id}" names a different approver from the step`,
          'exceptions',
          i,
          'approver',
        );
    } else {
      const key = exception.subject.toLowerCase();
      const device = hostnames.get(key);
      if (device?.status !== 'excepted') {
        add(
          `the exception for device "${exception.subject}" has no excepted device`,
          'exceptions',
          i,
          'subject',
        );
        return;
      }
      if (deviceExceptions.has(key))
        add(`device "${exception.subject}" has more than one exception`, 'exceptions', i);
      deviceExceptions.add(key);
      if (exception.reviewDate !== device.exceptionReviewDate)
        add(
          `the exception for device "${exception.subject}" has a different review date from the device`,
          'exceptions',
          i,
          'reviewDate',
        );
    }
  });
  for (const step of steps.values())
    if (step.status === 'risk-accepted' && !stepExceptions.has(step.id))
      add(`step "${step.id}" is risk-accepted but has no exception`, 'exceptions');
  for (const [key, device] of hostnames)
    if (device.status === 'excepted' && !deviceExceptions.has(key))
      add(`device "${device.hostname}" is excepted but has no exception`, 'exceptions');

  // Files: exactly the files attached as evidence, by step.
  const attached: string[] = [];
  for (const step of steps.values())
    for (const entry of step.evidence)
      if (Array.isArray(entry.value))
        for (const item of entry.value)
          if (typeof item === 'object')
            attached.push(fileKey(step.id, item.name, item.size, item.sha256));
  const listed = record.files.map((f) => fileKey(f.stepId, f.name, f.size, f.sha256));
  if (canonicalOrder(attached) !== canonicalOrder(listed))
    add('the files list is not exactly the files attached as evidence', 'files');

  return problems;
}

function fileKey(stepId: string, name: string, size: number, sha256: string): string {
  return JSON.stringify([stepId, name, size, sha256]);
}

function canonicalOrder(keys: string[]): string {
  return JSON.stringify([...keys].sort());
}
