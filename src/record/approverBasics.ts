// What the pages need to know about approvers without their cryptography or schemas: the limits a
// form checks, the errors a sign-off can meet, a fingerprint as people read it, and which
// approvers can sign here. Kept apart from keys.ts so that showing a record, its summary or a
// fingerprint does not load JOSE and build zod schemas first.
import type { ApproverKey, PublicApprover } from './keys.ts';

export const MIN_PASSPHRASE_LENGTH = 12;

/** The longest name or role an approver may have: what a record can carry for them. */
export const APPROVER_TEXT_MAX = 200;

export class PassphraseTooShortError extends Error {
  override name = 'PassphraseTooShortError';
  constructor() {
    super(`The passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long`);
  }
}

export class WrongPassphraseError extends Error {
  override name = 'WrongPassphraseError';
  constructor(approverName: string) {
    super(`The passphrase is not right for ${approverName}`);
  }
}

/** A stored key that does not hold together (edited, truncated or from another program). */
export class DamagedKeyError extends Error {
  override name = 'DamagedKeyError';
}

/** Characters as people count them (grapheme clusters), not UTF-16 code units. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(
    text.normalize('NFC'),
  ))
    count++;
  return count;
}

/** "NzbLsXh8uDCc…" → "NzbL sXh8 uDCc …": groups of four to read aloud or compare on paper. */
export function formatFingerprint(thumbprint: string): string {
  return (thumbprint.match(/.{1,4}/g) ?? []).join(' ');
}

/** A row of the approvers table: one who can sign here, or one known by public key only. */
export type StoredApprover = ApproverKey | PublicApprover;

export function canSignHere(approver: StoredApprover): approver is ApproverKey {
  return approver.wrapped !== undefined;
}

/** The approver without any private part: what travels between devices. */
export function publicPart(approver: StoredApprover): PublicApprover {
  return {
    id: approver.id,
    name: approver.name,
    role: approver.role,
    publicJwk: approver.publicJwk,
    fingerprint: approver.fingerprint,
    createdAt: approver.createdAt,
    // The roles travel too: the receiving device offers the approver the same decisions.
    ...(approver.roles ? { roles: approver.roles } : {}),
  };
}
