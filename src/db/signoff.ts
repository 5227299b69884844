// Approvers and sign-off: registering an approver's key on this device, approving or returning
// a step with a signature, and signing a record off — the record built from the run, signed,
// stored and the run locked, with a check that nothing changed while the approver signed.
import { canonicalJson } from '../checklist/canonical.ts';
import type { MachineEvent } from '../checklist/events.ts';
import {
  buildCompletionRecord,
  type RecordDeviceSource,
  type RecordSource,
} from '../record/build.ts';
import { approvalPayload } from '../record/approvals.ts';
import { roleOf, roleRefusal, signedStage, stageOfStep, stagesOf } from '../checklist/signoffs.ts';
import type { Decision } from '../record/format.ts';
import { createApproverKey, unlockSigningKey, type ApproverKey } from '../record/keys.ts';
import { signApproval, signRecord } from '../record/sign.ts';
import { clearanceLabels } from '../run/fleet.ts';
import { formatValue } from '../run/display.ts';
import { stepStatuses } from '../run/status.ts';
import { getDatabase, type ReconnectDatabase } from './database.ts';
import { loadDevices } from './devices.ts';
import { readinessReport } from './readiness.ts';
import { ActionRejectedError, appendEvent, headerOf, loadPinnedChecklist } from './runs.ts';

export async function registerApprover(
  input: { name: string; role: string; passphrase: string; roles?: string[] },
  db: ReconnectDatabase = getDatabase(),
): Promise<ApproverKey> {
  const created = await createApproverKey(input);
  const key = input.roles?.length ? { ...created, roles: [...new Set(input.roles)] } : created;
  await db.approvers.add(key);
  return key;
}

/**
 * Sets the checklist roles an approver holds (a plain field of their row: no index, so no new
 * database version). Changing roles needs no passphrase: it decides what they are offered, and
 * every decision they then sign says which role it was taken under.
 */
export async function setApproverRoles(
  approverId: string,
  roles: string[],
  db: ReconnectDatabase = getDatabase(),
): Promise<void> {
  const updated = await db.approvers.update(approverId, { roles: [...new Set(roles)] });
  if (updated === 0) throw new Error('That approver is no longer registered on this device.');
}

/** The public keys of every approver registered here (with or without a private key). */
async function approverKeys(db: ReconnectDatabase): Promise<NonNullable<RecordSource['keys']>> {
  const rows = await db.approvers.toArray();
  return new Map(
    rows
      .filter((r) => typeof r.fingerprint === 'string' && typeof r.publicJwk === 'object')
      .map((r) => [r.fingerprint, { name: r.name, role: r.role, publicJwk: r.publicJwk }]),
  );
}

/** An approver's signed decision on one step: approve, or send back with a reason. */
export async function decideStep(
  input: {
    runId: string;
    stepId: string;
    approver: ApproverKey;
    passphrase: string;
    decision: 'approve' | 'return';
    text: string;
    actor: string;
  },
  db: ReconnectDatabase = getDatabase(),
): Promise<void> {
  const run = await db.runs.get(input.runId);
  if (!run) throw new Error(`There is no record ${input.runId} on this device.`);
  const compiled = await loadPinnedChecklist(run.checklist, db);
  const step = compiled.index.steps.get(input.stepId);
  // Refused before the passphrase is even tried: the decision is not this approver's to take.
  const refusal = roleRefusal(compiled.definition, step?.approval?.role, input.approver);
  if (refusal && input.decision === 'approve')
    throw new ActionRejectedError({ code: 'role-missing', message: refusal });
  const roleId =
    step?.approval && roleOf(compiled.definition, step.approval.role) && !refusal
      ? step.approval.role
      : undefined;
  const signingKey = await unlockSigningKey(input.approver, input.passphrase);
  const pending = run.snapshot.context.steps[input.stepId];
  const at = new Date().toISOString();
  // The go-ahead this decision comes after, when the step's sign-off follows one: bound to it.
  const gate = stageOfStep(compiled, input.stepId);
  const stages = stagesOf(compiled.definition);
  const before = gate ? stages[stages.findIndex((s) => s.id === gate.id) - 1] : undefined;
  const signedBefore = before
    ? signedStage(compiled.definition, run.snapshot.context, before.id)
    : undefined;
  // What the approver saw and decided on: signed, so the decision cannot be moved to other answers.
  const payload = approvalPayload({
    decision: input.decision,
    runId: input.runId,
    stepId: input.stepId,
    outcome: pending?.pending?.outcome ?? null,
    evidence: pending?.evidence ?? {},
    reason: pending?.pending?.reason ?? null,
    text: input.text.trim(),
    at,
    ...(roleId ? { roleId } : {}),
    ...(before && signedBefore
      ? { after: { signoff: before.id, recordDigest: signedBefore.recordDigest } }
      : {}),
  });
  const signature = await signApproval(payload, input.approver, signingKey);
  const approver = {
    name: input.approver.name,
    role: input.approver.role,
    keyFingerprint: input.approver.fingerprint,
    signature,
    ...(roleId ? { roleId } : {}),
  };
  const event: MachineEvent =
    input.decision === 'approve'
      ? {
          type: 'step.approve',
          stepId: input.stepId,
          approver,
          ...(input.text.trim() ? { statement: input.text.trim() } : {}),
          actor: { name: input.actor },
          at,
        }
      : {
          type: 'step.reject',
          stepId: input.stepId,
          approver,
          reason: input.text,
          actor: { name: input.actor },
          at,
        };
  await appendEvent(input.runId, event, db);
}

/** The devices as the record lists them, with each excepted device's accepted risk. */
async function recordDevices(
  orgRunId: string,
  db: ReconnectDatabase,
): Promise<RecordDeviceSource[]> {
  const devices = await loadDevices(orgRunId, db);
  const started = devices.filter((d) => d.clearanceRunId);
  const excepted = new Set(devices.filter((d) => d.status === 'excepted').map((d) => d.id));
  const runs = await db.runs.bulkGet(started.map((d) => d.clearanceRunId ?? ''));
  const exceptionOf = new Map<string, RecordDeviceSource['exception']>();
  // What each device's identify step recorded: asset tag, owner and kind of device.
  const identified = new Map<
    string,
    Pick<RecordDeviceSource, 'assetTag' | 'owner' | 'deviceClass'>
  >();
  // What cleared each device, for the record's appendix: the srv.sys version or the scan result
  // and its reason, who recorded it and when; and an exception's answers.
  const evidenceOf = new Map<
    string,
    Pick<RecordDeviceSource, 'evidence' | 'clearedBy' | 'clearedAt'>
  >();
  const shown: Record<string, string[]> = {
    'patch-evidence': ['srv-sys-version'],
    'network-scan': ['result', 'reason'],
  };
  for (const run of runs) {
    if (!run?.deviceId) continue;
    const compiled = await loadPinnedChecklist(run.checklist, db);
    const steps = run.snapshot.context.steps;
    const evidence = steps.identify?.evidence;
    if (evidence) {
      const classField = compiled.index.fields.get('identify.device-class');
      const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
      const kind = text(evidence['device-class']);
      const kindLabel =
        kind && classField?.type === 'choice'
          ? (classField.options.find((o) => o.value === kind)?.label ?? kind)
          : kind;
      const assetTag = text(evidence['asset-tag']);
      const owner = text(evidence.owner);
      identified.set(run.deviceId, {
        ...(assetTag ? { assetTag } : {}),
        ...(owner ? { owner } : {}),
        ...(kindLabel ? { deviceClass: kindLabel } : {}),
      });
    }
    const entries: { label: string; display: string }[] = [];
    let last: { by: string; at: string } | undefined;
    for (const [stepId, fieldIds] of Object.entries(shown)) {
      const step = compiled.index.steps.get(stepId);
      const context = steps[stepId];
      if (!step || !context?.resolution) continue;
      if (!last || context.resolution.at > last.at)
        last = { by: context.resolution.by, at: context.resolution.at };
      if (context.resolution.outcome === 'not-applicable') {
        entries.push({
          label: `${step.title}: not applicable`,
          display: context.resolution.reason ?? '',
        });
        continue;
      }
      for (const fieldId of fieldIds) {
        const field = step.fields.find((f) => f.id === fieldId);
        const value = context.evidence?.[fieldId];
        if (field && value !== undefined)
          entries.push({ label: field.label, display: formatValue(field, value) });
      }
    }
    for (const context of Object.values(steps))
      if (context?.resolution && (!last || context.resolution.at > last.at))
        last = { by: context.resolution.by, at: context.resolution.at };
    evidenceOf.set(run.deviceId, {
      ...(entries.length ? { evidence: entries.filter((e) => e.display.trim() !== '') } : {}),
      ...(last ? { clearedBy: last.by, clearedAt: last.at } : {}),
    });
    if (!excepted.has(run.deviceId)) continue;
    const statuses = stepStatuses(compiled, run.snapshot);
    for (const [stepId, status] of statuses) {
      const approval = steps[stepId]?.resolution?.approval;
      if (status.kind === 'risk-accepted' && approval) {
        const step = compiled.index.steps.get(stepId);
        const given = steps[stepId]?.evidence ?? {};
        const answers = (step?.fields ?? []).flatMap((field) => {
          const value = given[field.id];
          if (value === undefined) return [];
          const display = formatValue(field, value);
          return display.trim() ? [{ label: field.label, display }] : [];
        });
        exceptionOf.set(run.deviceId, {
          reason: status.reason,
          reviewDate: status.reviewDate,
          approver: { name: approval.name, role: approval.role },
          answers,
        });
        break;
      }
    }
  }
  // Operating systems by name, from the reference tables of the checklists on this device.
  const labels = new Map<string, string>();
  for (const pinned of await db.checklists.toArray())
    for (const table of Object.values(pinned.definition.referenceTables))
      for (const row of table.rows) labels.set(row.id, row.label);
  const osLabel = (d: (typeof devices)[number]) =>
    (d.osRow ? labels.get(d.osRow) : undefined) ??
    ([d.osCaption, d.osVersion].filter(Boolean).join(' ') || 'Not recorded');
  return devices.map((d) => {
    if (d.status !== 'cleared' && d.status !== 'excepted')
      throw new ActionRejectedError({
        code: 'fleet-not-cleared',
        message: `Device ${d.hostname ?? d.assetTag ?? d.id} is ${clearanceLabels[d.status].toLowerCase()}.`,
      });
    const exception = exceptionOf.get(d.id);
    const cleared = evidenceOf.get(d.id) ?? {};
    const recorded = identified.get(d.id) ?? {};
    const assetTag = d.assetTag ?? recorded.assetTag;
    const owner = recorded.owner ?? d.owner;
    const deviceClass = recorded.deviceClass ?? d.deviceClass;
    return {
      hostname: d.hostname ?? d.assetTag ?? d.id,
      ...(assetTag && d.hostname ? { assetTag } : {}),
      ...(owner ? { owner } : {}),
      ...(deviceClass ? { deviceClass } : {}),
      os: osLabel(d),
      status: d.status,
      ...(exception ? { exception } : {}),
      ...cleared,
    };
  });
}

export interface SignOffInput {
  runId: string;
  approver: ApproverKey;
  passphrase: string;
  decision: { outcome: 'approved' } | { outcome: 'approved-with-conditions'; conditions: string[] };
  statement: string;
  actor: string;
}

/**
 * Signs the record off: checks readiness, builds the record, signs it, then in one transaction
 * stores the signed file and locks the run — refusing if any event was added meanwhile.
 */
export async function signOff(
  input: SignOffInput,
  db: ReconnectDatabase = getDatabase(),
): Promise<{ recordId: string; digest: string }> {
  const report = await readinessReport(input.runId, db);
  const { run, stage } = report;
  const compiled = await loadPinnedChecklist(run.checklist, db);
  // Refused before the passphrase is tried: what blocks it, and who may sign, are known now.
  if (!report.ready)
    throw new ActionRejectedError({
      code: 'checklist-incomplete',
      message: `Not ready for ${report.staged ? `“${stage.title}”` : 'sign-off'}: ${report.blockers.map((b) => b.message).join('; ')}.`,
    });
  const refusal = report.staged
    ? roleRefusal(compiled.definition, stage.role, input.approver)
    : null;
  if (refusal) throw new ActionRejectedError({ code: 'role-missing', message: refusal });
  const signingKey = await unlockSigningKey(input.approver, input.passphrase);
  const stages = stagesOf(compiled.definition);
  const closes = stage.id === stages[stages.length - 1]?.id;
  const createdAt = new Date().toISOString();
  const decision: Decision = {
    ...input.decision,
    statement: input.statement.trim(),
    decidedAt: createdAt,
  };
  const devices = await recordDevices(run.runId, db);
  const record = buildCompletionRecord({
    recordId: crypto.randomUUID(),
    revision: run.revisionOf
      ? {
          number: (await revisionNumber(run.revisionOf.runId, db)) + 1,
          previousRecordDigest: run.revisionOf.recordDigest,
        }
      : { number: 1 },
    header: headerOf(run),
    compiled,
    state: run.snapshot,
    devices,
    auditLog: { events: run.head.seq, headHash: run.head.hash },
    decision,
    signer: {
      name: input.approver.name,
      role: input.approver.role,
      keyFingerprint: input.approver.fingerprint,
    },
    createdAt,
    keys: await approverKeys(db),
    ...(report.staged ? { stageId: stage.id } : {}),
  });
  const signed = await signRecord(record, input.approver, signingKey);
  const actor = { name: input.actor };
  await appendEvent(
    run.runId,
    closes
      ? { type: 'run.lock', recordDigest: signed.digest, actor, at: createdAt }
      : {
          type: 'run.signoff',
          signoff: stage.id,
          recordDigest: signed.digest,
          actor,
          at: createdAt,
        },
    db,
    {
      tables: ['signedRecords'],
      write: async (tx) => {
        // Nothing may have changed between reading the run and signing it.
        if (tx.head.seq !== run.head.seq)
          throw new ActionRejectedError({
            code: 'step-locked',
            message:
              'The record changed while it was being signed. Review the summary again and sign the current version.',
          });
        // Nor may its devices (their runs are separate, so the head does not show them).
        if (canonicalJson(await recordDevices(run.runId, db)) !== canonicalJson(devices))
          throw new ActionRejectedError({
            code: 'step-locked',
            message:
              'The devices changed while the record was being signed. Review the summary again and sign the current version.',
          });
        await db.signedRecords.add({
          recordId: record.recordId,
          runId: run.runId,
          digest: signed.digest,
          text: signed.text,
          signer: record.signer,
          outcome: input.decision.outcome,
          createdAt,
          ...(record.stage ? { stage: { id: record.stage.id, title: record.stage.title } } : {}),
        });
      },
    },
  );
  return { recordId: record.recordId, digest: signed.digest };
}

async function revisionNumber(runId: string, db: ReconnectDatabase): Promise<number> {
  const run = await db.runs.get(runId);
  if (!run?.revisionOf) return 1;
  return 1 + (await revisionNumber(run.revisionOf.runId, db));
}

/** Sends the record back: the reasons, signed by the approver, shown on each affected step. */
export async function returnRecord(
  input: {
    runId: string;
    approver: ApproverKey;
    passphrase: string;
    returns: { stepId: string; reason: string }[];
    actor: string;
  },
  db: ReconnectDatabase = getDatabase(),
): Promise<void> {
  const signingKey = await unlockSigningKey(input.approver, input.passphrase);
  const at = new Date().toISOString();
  const signature = await signApproval(
    { decision: 'return', runId: input.runId, returns: input.returns, at },
    input.approver,
    signingKey,
  );
  await appendEvent(
    input.runId,
    {
      type: 'run.return',
      returns: input.returns,
      approver: {
        name: input.approver.name,
        role: input.approver.role,
        keyFingerprint: input.approver.fingerprint,
        signature,
      },
      actor: { name: input.actor },
      at,
    },
    db,
  );
}
