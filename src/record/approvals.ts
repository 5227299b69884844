// Approval signatures: what an approver signs when deciding a step (the payload), and checking
// every approval inside a record against the public keys the record carries — so anyone, not
// only the device that holds the approvers, can tell which decisions are genuine.
import { base64url } from 'jose';
import { canonicalJson, sha256Hex } from '../checklist/canonical.ts';
import type { CompletionRecord, RecordStep } from './format.ts';
import { jwkThumbprint } from './keys.ts';
import { verifyApproval } from './verify.ts';

/** What an approver signs when approving or returning a step (a compact JWS over it). */
export interface ApprovalPayload {
  decision: 'approve' | 'return';
  runId: string;
  stepId: string;
  outcome: string | null;
  /** SHA-256 of the canonical JSON of the answers the approver saw. */
  evidenceDigest: string;
  reason: string | null;
  text: string;
  at: string;
  /** The checklist role the decision is taken under, when the checklist declares roles. */
  roleId?: string;
  /** The signed sign-off this decision comes after and is bound to (the go-ahead). */
  after?: { signoff: string; recordDigest: string };
}

export function approvalPayload(input: {
  decision: 'approve' | 'return';
  runId: string;
  stepId: string;
  outcome: string | null;
  evidence: object;
  reason: string | null;
  text: string;
  at: string;
  roleId?: string;
  after?: { signoff: string; recordDigest: string };
}): ApprovalPayload {
  return {
    decision: input.decision,
    runId: input.runId,
    stepId: input.stepId,
    outcome: input.outcome,
    evidenceDigest: sha256Hex(canonicalJson(input.evidence)),
    reason: input.reason,
    text: input.text,
    at: input.at,
    ...(input.roleId ? { roleId: input.roleId } : {}),
    ...(input.after ? { after: input.after } : {}),
  };
}

export type ApprovalVerdict =
  /** Signed by the key the record lists for this approver, over exactly this decision. */
  | 'valid'
  /** The signature or what it signs does not match: the decision cannot be relied on. */
  | 'bad'
  /** The record does not carry the approver's key (a version 1 record): it cannot be checked. */
  | 'no-key'
  /** The approval carries no signature (taken before approvals were signed). */
  | 'unsigned';

export interface ApprovalCheck {
  stepId: string;
  stepTitle: string;
  name: string;
  role: string;
  keyFingerprint?: string;
  verdict: ApprovalVerdict;
  message: string;
}

function decodePayload(jws: string): Record<string, unknown> | null {
  try {
    const part = jws.split('.')[1] ?? '';
    const value = JSON.parse(new TextDecoder().decode(base64url.decode(part))) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The answers of a step as the run held them when the approver saw them. */
function evidenceOf(step: RecordStep): Record<string, unknown> {
  return Object.fromEntries(step.evidence.map((e) => [e.field, e.value]));
}

/**
 * What in a signed approval's payload does not describe this step's decision in this record, or
 * null when all of it does: the step, approve, the time, the outcome, the role, the answers
 * (for a completed step) and, in a closing record, the go-ahead it follows.
 */
export function approvalMismatch(
  record: Pick<CompletionRecord, 'stage'>,
  step: RecordStep,
  payload: Record<string, unknown>,
): string | null {
  if (!('approval' in step) || !step.approval) return 'the step has no approval';
  const { approval } = step;
  if (payload.stepId !== step.id) return 'it was given for another step';
  if (payload.decision !== 'approve') return 'it is not an approval';
  if (payload.at !== approval.at) return 'it was given at another time';
  if (payload.outcome !== step.status) return 'it approved another outcome';
  if ((payload.roleId ?? null) !== (approval.takenAs?.id ?? null))
    return 'it was taken under another role';
  if (
    step.status === 'completed' &&
    payload.evidenceDigest !== sha256Hex(canonicalJson(evidenceOf(step)))
  )
    return 'it approved other answers';
  const previous = record.stage?.previous;
  const after = payload.after as { signoff?: unknown; recordDigest?: unknown } | undefined;
  if (after !== undefined && previous?.recordDigest !== after.recordDigest)
    return 'it follows a different go-ahead from the one this record names';
  return null;
}

/**
 * Checks every approval in a record. Version 2 records carry each approver's public key; the
 * key must be the one the fingerprint names, and the signature must be over this decision.
 */
export async function checkApprovals(record: CompletionRecord): Promise<ApprovalCheck[]> {
  const keys = new Map((record.approvers ?? []).map((a) => [a.keyFingerprint, a]));
  const checks: ApprovalCheck[] = [];
  for (const step of record.steps) {
    if (!('approval' in step) || !step.approval) continue;
    const { approval } = step;
    const base = {
      stepId: step.id,
      stepTitle: step.title,
      name: approval.name,
      role: approval.takenAs?.title ?? approval.role,
      ...(approval.keyFingerprint ? { keyFingerprint: approval.keyFingerprint } : {}),
    };
    if (!approval.signature || !approval.keyFingerprint) {
      checks.push({ ...base, verdict: 'unsigned', message: 'This approval was not signed.' });
      continue;
    }
    const key = keys.get(approval.keyFingerprint);
    if (!key) {
      checks.push({
        ...base,
        verdict: 'no-key',
        message:
          'This record does not carry the approver’s public key, so the signature cannot be checked here.',
      });
      continue;
    }
    if ((await jwkThumbprint(key.publicJwk)) !== key.keyFingerprint) {
      checks.push({
        ...base,
        verdict: 'bad',
        message: 'The public key listed for this approver is not the key its fingerprint names.',
      });
      continue;
    }
    const payload = decodePayload(approval.signature);
    const signed = payload
      ? await verifyApproval(approval.signature, payload, key.publicJwk)
      : { valid: false as const, message: 'This is not an approval signature.' };
    if (!signed.valid || !payload) {
      checks.push({ ...base, verdict: 'bad', message: signed.valid ? '' : signed.message });
      continue;
    }
    const mismatch = approvalMismatch(record, step, payload);
    checks.push(
      mismatch
        ? {
            ...base,
            verdict: 'bad',
            message: `The signature is genuine, but not for this decision: ${mismatch}.`,
          }
        : {
            ...base,
            verdict: 'valid',
            message: 'Signed by this approver’s key, for this decision.',
          },
    );
  }
  return checks;
}
