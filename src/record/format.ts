// The completion record: what a signed sign-off says, as one zod schema that is the only source
// of its type. It is read by people (printed) and by tools (the signed JSON file), so every
// member says what it is without needing the app to explain it.
import { z } from 'zod';
import { Id } from '../checklist/schemaBasics.ts';
import { odsCodePattern } from '../run/odsCode.ts';
import { consistencyProblems } from './consistency.ts';

export const RECORD_FORMAT = 'reconnect-completion-record';
/**
 * Version 2 adds staged sign-offs (`stage`), the approvers' public keys (`approvers`), the role
 * each decision was taken under, and each device's evidence and exception. Version 1 records
 * are still read and verified exactly as before.
 */
export const RECORD_FORMAT_VERSION = 2;
export const RECORD_FORMAT_VERSIONS = [1, 2] as const;

/**
 * The record's schemas, made when a record is first checked rather than when this module loads
 * (some sixty zod schemas: a long task on a slow phone for pages that only show a record).
 */
function buildRecordSchemas() {
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
  const sha256Hex = z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 digest in lower-case hex');
  /** An RFC 7638 SHA-256 JWK thumbprint, base64url without padding. */
  const FingerprintSchema = z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be a key fingerprint (43 base64url characters)');
  /** When something happened: ISO 8601 with a zone, as the app records every action. */
  const instant = z.iso.datetime({ offset: true });
  /** A calendar date, as review dates are entered. */
  const isoDate = z.iso.date();
  /** A checklist, phase, step or field id, as the checklist format defines it. */
  const id = Id.max(100);

  const PersonSchema = z.strictObject({ name, role: name });

  // Evidence values exactly as the run holds them (src/checklist/fields.ts EvidenceValue).
  const FileRefSchema = z.strictObject({
    id: z.string().min(1).max(200),
    name: z.string().min(1).max(500),
    size: z.int().min(0),
    type: z.string().max(200),
    sha256: sha256Hex,
  });
  const EvidenceValueSchema = z.union([
    z.string().max(20_000),
    z.number(),
    z.boolean(),
    z.array(z.string().max(1_000)).max(1_000),
    PersonSchema,
    z.array(FileRefSchema).max(100),
  ]);

  const EvidenceEntrySchema = z.strictObject({
    /** The field's id in the checklist. */
    field: id,
    /** The field's label, as the form showed it. */
    label: shortText,
    /** The answer as people read it: "Yes", "15 May 2017", option labels rather than values. */
    display: z.string().max(20_000),
    /** The answer as the run stored it. */
    value: EvidenceValueSchema,
  });

  const ApprovalSchema = z
    .strictObject({
      name,
      role: name,
      /** RFC 7638 thumbprint of the approver's key, when the approval was signed. */
      keyFingerprint: FingerprintSchema.optional(),
      /** Compact JWS by the approver over the decision (see signApproval). */
      signature: z.string().min(1).max(10_000).optional(),
      at: instant,
      statement: longText.optional(),
      /** The checklist role the decision was taken under (version 2), when it declares roles. */
      takenAs: z.strictObject({ id, title: name }).optional(),
    })
    .refine((a) => a.signature === undefined || a.keyFingerprint !== undefined, {
      error: 'a signed approval must name the key that signed it',
      path: ['keyFingerprint'],
    });

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
  const RecordStepSchema = z.discriminatedUnion('status', [
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

  /** A risk accepted on a step, or a device left connected under an approved exception. */
  const RecordExceptionSchema = z.strictObject({
    kind: z.enum(['step', 'device']),
    /** The step id (kind "step") or the device hostname (kind "device") this is about. */
    subject: z.string().min(1).max(255),
    reason: longText,
    approver: PersonSchema,
    reviewDate: isoDate,
  });

  const RecordDeviceSchema = z
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
      /**
       * Version 2: what cleared the device (the srv.sys version or scan result, and why), who
       * recorded the clearance and when; or, for an excepted device, the exception's answers.
       */
      evidence: z
        .array(z.strictObject({ label: shortText, display: longText }))
        .max(50)
        .optional(),
      clearedBy: name.optional(),
      clearedAt: instant.optional(),
      exception: z
        .strictObject({
          reason: longText,
          approver: PersonSchema,
          reviewDate: isoDate,
          answers: z.array(z.strictObject({ label: shortText, display: longText })).max(50),
        })
        .optional(),
    })
    .refine((d) => (d.status === 'excepted') === (d.exceptionReviewDate !== undefined), {
      error: 'an excepted device has a review date, and only an excepted device has one',
      path: ['exceptionReviewDate'],
    });

  const DeviceSummarySchema = z.strictObject({
    total: z.int().min(0),
    cleared: z.int().min(0),
    excepted: z.int().min(0),
    /** Always 0: a record is made only once every device is cleared or excepted. */
    outstanding: z.literal(0),
    /** Devices per operating system (the app lists the most common first). */
    byOs: z.array(z.strictObject({ os: z.string().min(1).max(200), count: z.int().min(1) })),
  });

  const RecordFileSchema = z.strictObject({
    stepId: id,
    name: z.string().min(1).max(500),
    size: z.int().min(0),
    sha256: sha256Hex,
  });

  const decisionCommon = { statement: longText, decidedAt: instant };
  const DecisionSchema = z.discriminatedUnion('outcome', [
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

  const RevisionSchema = z
    .strictObject({
      number: z.int().min(1),
      /** SHA-256 of the canonical JSON of the record this one revises. */
      previousRecordDigest: sha256Hex.optional(),
    })
    .refine((r) => (r.number === 1) === (r.previousRecordDigest === undefined), {
      error: 'revision 1 has no previous record; every later revision names the one it revises',
      path: ['previousRecordDigest'],
    });

  const RecordOrganisationSchema = z.strictObject({
    name,
    odsCode: z
      .string()
      .regex(odsCodePattern, 'must be an ODS code of 3 to 6 capitals and digits')
      .optional(),
    site: name.optional(),
    incidentReference: text(100).optional(),
  });

  /** An approver whose key signed something in the record (version 2): anyone can check it. */
  const RecordApproverSchema = z.strictObject({
    name,
    role: name,
    keyFingerprint: FingerprintSchema,
    publicJwk: z.strictObject({
      crv: z.literal('P-256'),
      kty: z.literal('EC'),
      x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
      y: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    }),
  });

  /** Which staged sign-off a record is (version 2): the go-ahead, or the closure after it. */
  const RecordStageSchema = z.strictObject({
    id,
    title: shortText,
    summary: longText,
    /** The role that signs it, as the checklist declares it. */
    role: z.strictObject({ id, title: name }),
    /** The phases it covers: its steps are those listed, and they are locked once it is signed. */
    phases: z.array(id).min(1).max(200),
    /** The sign-off before it, and the digest of that signed record. */
    previous: z.strictObject({ id, title: shortText, recordDigest: sha256Hex }).optional(),
    /** The sign-off that closes the record (the last), or one before it. */
    closes: z.boolean(),
  });

  const RecordShape = z.strictObject({
    format: z.literal(RECORD_FORMAT),
    formatVersion: z.union([z.literal(1), z.literal(2)]),
    /** Version 2: the staged sign-off this record is, when the checklist stages its sign-off. */
    stage: RecordStageSchema.optional(),
    /** Version 2: the public key of every approver and of the signer, so anyone can check them. */
    approvers: z.array(RecordApproverSchema).max(1_000).optional(),
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

  /** A record's members, each valid on its own, before the checks across members. */

  const CompletionRecordSchema = RecordShape.superRefine((record, ctx) => {
    for (const problem of consistencyProblems(record)) {
      ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
    }
  });

  /** The signed completion record. */
  return {
    FingerprintSchema,
    PersonSchema,
    EvidenceValueSchema,
    EvidenceEntrySchema,
    ApprovalSchema,
    RecordStepSchema,
    RecordExceptionSchema,
    RecordDeviceSchema,
    DeviceSummarySchema,
    RecordFileSchema,
    DecisionSchema,
    RevisionSchema,
    RecordOrganisationSchema,
    RecordApproverSchema,
    RecordStageSchema,
    RecordShape,
    CompletionRecordSchema,
  };
}

type RecordSchemas = ReturnType<typeof buildRecordSchemas>;
let schemas: RecordSchemas | undefined;
const recordSchemas = () => (schemas ??= buildRecordSchemas());

export type Person = z.infer<RecordSchemas['PersonSchema']>;
export type EvidenceEntry = z.infer<RecordSchemas['EvidenceEntrySchema']>;
export type RecordApproval = z.infer<RecordSchemas['ApprovalSchema']>;
export type RecordStep = z.infer<RecordSchemas['RecordStepSchema']>;
export type RecordStepStatus = RecordStep['status'];
export type RecordException = z.infer<RecordSchemas['RecordExceptionSchema']>;
export type RecordDevice = z.infer<RecordSchemas['RecordDeviceSchema']>;
export type RecordFile = z.infer<RecordSchemas['RecordFileSchema']>;
export type Decision = z.infer<RecordSchemas['DecisionSchema']>;
export type RecordApprover = z.infer<RecordSchemas['RecordApproverSchema']>;
export type RecordStage = z.infer<RecordSchemas['RecordStageSchema']>;
export type RecordShapeValue = z.infer<RecordSchemas['RecordShape']>;
export type CompletionRecord = z.infer<RecordSchemas['CompletionRecordSchema']>;

/** The signed completion record, checked member by member and across members. */
export const CompletionRecordSchema = z.lazy(() => recordSchemas().CompletionRecordSchema);
