// Building the completion record from a complete run: every step with its outcome and its
// answers as people read them, the exceptions, the devices, the evidence files and the head of
// the audit log — checked against the record schema before anything is signed.
import { sharedFacts } from '../run/facts.ts';
import type { Evidence, EvidenceValue, FileRef } from '../checklist/fields.ts';
import { isRiskOnly } from '../checklist/checks.ts';
import type { Step } from '../checklist/schema.ts';
import type { CompiledChecklist } from '../checklist/machine.ts';
import type { Approval } from '../checklist/evaluate.ts';
import { formatValue } from '../run/display.ts';
import { roleTitle, signedStage, stagesOf } from '../checklist/signoffs.ts';
import type { RunHeader } from '../run/header.ts';
import type { RunState } from '../run/replay.ts';
import { stepStatuses } from '../run/status.ts';
import {
  CompletionRecordSchema,
  RECORD_FORMAT,
  RECORD_FORMAT_VERSION,
  type CompletionRecord,
  type Decision,
  type RecordApproval,
  type RecordApprover,
  type RecordStage,
  type RecordDevice,
  type RecordException,
  type RecordFile,
  type RecordStep,
} from './format.ts';

export interface RecordDeviceSource {
  hostname: string;
  assetTag?: string;
  owner?: string;
  deviceClass?: string;
  os: string;
  status: 'cleared' | 'excepted';
  zone?: string;
  /** For an excepted device: the risk its approver accepted, and how it is contained. */
  exception?: {
    reason: string;
    reviewDate: string;
    approver: { name: string; role: string };
    answers?: { label: string; display: string }[];
  };
  /** What cleared it (srv.sys version or scan result and why), who recorded that, and when. */
  evidence?: { label: string; display: string }[];
  clearedBy?: string;
  clearedAt?: string;
}

export interface RecordSource {
  recordId: string;
  revision: { number: number; previousRecordDigest?: string };
  header: RunHeader;
  compiled: CompiledChecklist;
  state: RunState;
  devices: readonly RecordDeviceSource[];
  auditLog: { events: number; headHash: string };
  decision: Decision;
  signer: { name: string; role: string; keyFingerprint: string };
  createdAt: string;
  /**
   * The public keys of the approvers on this device, by fingerprint: every key that signed an
   * approval in the record, and the signer's, goes into it (format version 2). Without them
   * the record is written in format version 1, as before keys were carried.
   */
  keys?: ReadonlyMap<
    string,
    { name: string; role: string; publicJwk: RecordApprover['publicJwk'] }
  >;
  /** The staged sign-off being signed, when the checklist stages its sign-off. */
  stageId?: string;
}

export class RecordNotReadyError extends Error {
  constructor(readonly problems: string[]) {
    super(`The record cannot be made yet: ${problems.join('; ')}`);
    this.name = 'RecordNotReadyError';
  }
}

function approvalOf(
  approval: Approval | undefined,
  definition: CompiledChecklist['definition'],
  withRoles: boolean,
): RecordApproval | undefined {
  if (!approval) return undefined;
  return {
    ...(approval.roleId && withRoles
      ? { takenAs: { id: approval.roleId, title: roleTitle(definition, approval.roleId) } }
      : {}),
    name: approval.name,
    role: approval.role,
    ...(approval.keyFingerprint ? { keyFingerprint: approval.keyFingerprint } : {}),
    ...(approval.signature ? { signature: approval.signature } : {}),
    at: approval.at,
    ...(approval.statement ? { statement: approval.statement } : {}),
  };
}

export function buildCompletionRecord(source: RecordSource): CompletionRecord {
  const { compiled, state, header } = source;
  const keys = source.keys;
  if (!keys && source.stageId !== undefined)
    throw new RecordNotReadyError(['a staged sign-off needs the approvers’ public keys']);
  const statuses = stepStatuses(compiled, state);
  const problems: string[] = [];
  const steps: RecordStep[] = [];
  const files: RecordFile[] = [];
  const exceptions: RecordException[] = [];

  const evidenceOf = (step: Step, given: Evidence | undefined) =>
    step.fields.flatMap((field) => {
      const value: EvidenceValue | undefined = given?.[field.id];
      if (value === undefined) return [];
      if (field.type === 'file')
        for (const file of value as FileRef[])
          files.push({ stepId: step.id, name: file.name, size: file.size, sha256: file.sha256 });
      return [{ field: field.id, label: field.label, display: formatValue(field, value), value }];
    });

  // A staged sign-off before the last covers only its own phases; the last covers them all.
  const stages = stagesOf(compiled.definition);
  const stageAt =
    source.stageId === undefined ? -1 : stages.findIndex((s) => s.id === source.stageId);
  const stage = stages[stageAt];
  if (source.stageId !== undefined && !stage)
    throw new RecordNotReadyError([`this checklist has no sign-off “${source.stageId}”`]);
  const closes = stageAt === stages.length - 1;
  const covered = (phaseId: string) => !stage || closes || stage.phases.includes(phaseId);
  for (const phase of compiled.definition.phases) {
    if (!covered(phase.id)) continue;
    for (const step of phase.steps) {
      const status = statuses.get(step.id);
      const context = state.context.steps[step.id];
      const common = { id: step.id, phaseId: phase.id, phaseTitle: phase.title, title: step.title };
      const resolution = context?.resolution;
      const by = { by: resolution?.by ?? '', at: resolution?.at ?? '' };
      const approval = approvalOf(resolution?.approval, compiled.definition, keys !== undefined);
      switch (status?.kind) {
        case 'completed': {
          const evidence = evidenceOf(step, context?.evidence);
          steps.push({
            ...common,
            status: 'completed',
            evidence,
            ...(approval ? { approval } : {}),
            ...by,
          });
          break;
        }
        case 'not-applicable':
          steps.push({
            ...common,
            status: 'not-applicable',
            evidence: [],
            reason: status.reason,
            ...(approval ? { approval } : {}),
            ...by,
          });
          break;
        case 'risk-accepted':
          if (!approval) {
            problems.push(`“${step.title}” was risk-accepted without an approver`);
            break;
          }
          steps.push({
            ...common,
            status: 'risk-accepted',
            // A risk-only step's answers (how the exception is contained) go with it.
            evidence: isRiskOnly(step) ? evidenceOf(step, context?.evidence) : [],
            reason: status.reason,
            reviewDate: status.reviewDate,
            approval,
            ...by,
          });
          exceptions.push({
            kind: 'step',
            subject: step.id,
            reason: status.reason,
            approver: { name: approval.name, role: approval.role },
            reviewDate: status.reviewDate,
          });
          break;
        case 'not-needed':
          steps.push({ ...common, status: 'not-needed', evidence: [], reason: status.because });
          break;
        default:
          problems.push(`“${step.title}” is not resolved`);
      }
    }
  }

  const list: RecordDevice[] = [];
  const byOs = new Map<string, number>();
  let cleared = 0;
  for (const device of source.devices) {
    byOs.set(device.os, (byOs.get(device.os) ?? 0) + 1);
    if (device.status === 'cleared') cleared++;
    else if (!device.exception)
      problems.push(`device ${device.hostname} is excepted but its exception is missing`);
    list.push({
      hostname: device.hostname,
      ...(device.assetTag ? { assetTag: device.assetTag } : {}),
      ...(device.owner ? { owner: device.owner } : {}),
      ...(device.deviceClass ? { deviceClass: device.deviceClass } : {}),
      os: device.os,
      status: device.status,
      ...(device.zone ? { zone: device.zone } : {}),
      ...(device.status === 'excepted' && device.exception
        ? { exceptionReviewDate: device.exception.reviewDate }
        : {}),
      ...(keys && device.evidence?.length ? { evidence: device.evidence } : {}),
      ...(keys && device.clearedBy ? { clearedBy: device.clearedBy } : {}),
      ...(keys && device.clearedAt ? { clearedAt: device.clearedAt } : {}),
      ...(keys && device.status === 'excepted' && device.exception
        ? {
            exception: {
              reason: device.exception.reason,
              approver: device.exception.approver,
              reviewDate: device.exception.reviewDate,
              answers: device.exception.answers ?? [],
            },
          }
        : {}),
    });
    if (device.status === 'excepted' && device.exception)
      exceptions.push({
        kind: 'device',
        subject: device.hostname,
        reason: device.exception.reason,
        reviewDate: device.exception.reviewDate,
        approver: device.exception.approver,
      });
  }

  // Every key that signed something in the record, with its public half, so anyone can check.
  const approvers: RecordApprover[] = [];
  const wanted = [
    source.signer.keyFingerprint,
    ...steps.flatMap((s) =>
      'approval' in s && s.approval?.keyFingerprint ? [s.approval.keyFingerprint] : [],
    ),
  ];
  for (const fingerprint of keys ? new Set(wanted) : []) {
    const key = keys?.get(fingerprint);
    if (!key) {
      problems.push(
        `the public key ${fingerprint} that signed an approval is not registered on this device`,
      );
      continue;
    }
    approvers.push({
      name: key.name,
      role: key.role,
      keyFingerprint: fingerprint,
      publicJwk: key.publicJwk,
    });
  }

  let recordStage: RecordStage | undefined;
  if (stage && compiled.definition.signoffs) {
    const before = stages[stageAt - 1];
    const previous = before
      ? signedStage(compiled.definition, state.context, before.id)
      : undefined;
    if (before && !previous) problems.push(`“${before.title}” has not been signed`);
    recordStage = {
      id: stage.id,
      title: stage.title,
      summary: stage.summary,
      role: { id: stage.role, title: roleTitle(compiled.definition, stage.role) },
      phases: closes ? compiled.definition.phases.map((p) => p.id) : stage.phases,
      ...(before && previous
        ? { previous: { id: before.id, title: before.title, recordDigest: previous.recordDigest } }
        : {}),
      closes,
    };
  }
  if (problems.length > 0) throw new RecordNotReadyError(problems);

  const record = {
    format: RECORD_FORMAT,
    formatVersion: keys ? RECORD_FORMAT_VERSION : 1,
    ...(recordStage ? { stage: recordStage } : {}),
    ...(keys ? { approvers } : {}),
    recordId: source.recordId,
    revision: source.revision,
    // One value for each fact: the step that carries it, if answered, else as the run started.
    organisation: sharedFacts(compiled.definition, header.organisation, state.context.steps),
    checklist: {
      id: header.checklist.id,
      version: header.checklist.version,
      contentHash: header.checklist.contentHash,
      title: compiled.definition.title,
    },
    steps,
    exceptions,
    devices: {
      summary: {
        total: list.length,
        cleared,
        excepted: list.length - cleared,
        outstanding: 0,
        byOs: [...byOs]
          .map(([os, count]) => ({ os, count }))
          .sort((a, b) => b.count - a.count || a.os.localeCompare(b.os)),
      },
      list,
    },
    files,
    auditLog: source.auditLog,
    decision: source.decision,
    signer: source.signer,
    createdAt: source.createdAt,
  };
  const parsed = CompletionRecordSchema.safeParse(record);
  if (!parsed.success)
    throw new RecordNotReadyError(
      parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`),
    );
  return parsed.data;
}
