// The events a checklist machine accepts, with a zod schema so events read back from storage
// or a file are checked before the machine sees them.
import { z } from 'zod';

// The schema is made when an event is first checked, not when this module loads: a page that
// only shows a record never checks one, and building some forty zod schemas at load held up
// every record page's first paint on a slow phone.
function buildMachineEventSchema() {
  const ActorSchema = z.strictObject({
    name: z.string().trim().min(1, 'Say who is working').max(200),
  });

  const meta = {
    actor: ActorSchema,
    /** ISO 8601 time the action was taken. */
    at: z.iso.datetime({ offset: true }),
    /**
     * Set on an action replayed on top of another branch when a fork was resolved: the hash of
     * the event it repeats (which stays stored, on the branch that was not kept).
     */
    replayedFrom: z
      .strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/), runId: z.string().max(100) })
      .optional(),
  };

  const stepId = z.string().min(1).max(200);

  const ApproverSchema = z.strictObject({
    name: z.string().trim().min(1).max(200),
    role: z.string().trim().min(1).max(200),
    keyFingerprint: z.string().max(100).optional(),
    signature: z.string().max(10_000).optional(),
    /** The checklist role (its id) the decision was taken under, when the checklist declares roles. */
    roleId: z.string().min(1).max(100).optional(),
  });

  const FleetSummarySchema = z.strictObject({
    total: z.int().min(0),
    cleared: z.int().min(0),
    excepted: z.int().min(0),
    outstanding: z.int().min(0),
  });

  return z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('step.save'),
      stepId,
      /**
       * The whole form, replacing the stored draft: how saves were written before drafts were
       * merged. Still read (old logs replay as they were written), no longer written.
       */
      draft: z.record(z.string(), z.json()).optional(),
      /** Only the fields this form changed, with their new values (draftMerge.ts). */
      changes: z.record(z.string(), z.json()).optional(),
      /** For each changed field, the stored value the form started from; absent: none. */
      base: z.record(z.string(), z.json()).optional(),
      /** Conflicts this save settles: for each field, every value the person chose between. */
      resolves: z.record(z.string(), z.array(z.json()).max(100)).optional(),
      ...meta,
    }),
    z.strictObject({
      type: z.literal('step.complete'),
      stepId,
      evidence: z.record(z.string(), z.json()),
      fleet: FleetSummarySchema.optional(),
      ...meta,
    }),
    z.strictObject({ type: z.literal('step.not-applicable'), stepId, reason: z.string(), ...meta }),
    z.strictObject({
      type: z.literal('step.risk-accept'),
      stepId,
      reason: z.string(),
      reviewDate: z.string(),
      evidence: z.record(z.string(), z.json()).optional(),
      ...meta,
    }),
    z.strictObject({
      type: z.literal('step.approve'),
      stepId,
      approver: ApproverSchema,
      statement: z.string().max(5000).optional(),
      ...meta,
    }),
    z.strictObject({
      type: z.literal('step.reject'),
      stepId,
      approver: ApproverSchema,
      reason: z.string(),
      ...meta,
    }),
    z.strictObject({ type: z.literal('step.reopen'), stepId, reason: z.string(), ...meta }),
    z.strictObject({
      type: z.literal('run.return'),
      returns: z.array(z.strictObject({ stepId, reason: z.string().min(1) })).min(1),
      approver: ApproverSchema,
      ...meta,
    }),
    z.strictObject({
      /** A staged sign-off before the last (the go-ahead): locks the steps it covers. */
      type: z.literal('run.signoff'),
      signoff: z.string().min(1).max(100),
      recordDigest: z.string().regex(/^[0-9a-f]{64}$/),
      ...meta,
    }),
    z.strictObject({
      type: z.literal('run.lock'),
      recordDigest: z.string().regex(/^[0-9a-f]{64}$/),
      ...meta,
    }),
  ]);
}

/** Every event a machine accepts; checked before the machine sees it. */
export const MachineEventSchema = z.lazy(buildMachineEventSchema);

export type MachineEvent = z.infer<ReturnType<typeof buildMachineEventSchema>>;
export type FleetSummary = NonNullable<Extract<MachineEvent, { type: 'step.complete' }>['fleet']>;
export type StepEvent = Extract<MachineEvent, { stepId: string }>;
export type MachineEventType = MachineEvent['type'];
