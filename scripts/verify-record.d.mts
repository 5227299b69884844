// Types for scripts/verify-record.mjs, so the tests can call it as a module too.
export declare const RECORD_FORMAT: string;
export declare const RECORD_FORMAT_VERSION: number;
export declare function canonicalize(value: unknown): string;
export interface ScriptApprovalCheck {
  stepId: string;
  stepTitle: string;
  name: string;
  verdict: 'valid' | 'bad' | 'no-key' | 'unsigned';
  message: string;
}
export declare function checkApprovals(record: Record<string, unknown>): ScriptApprovalCheck[];
export type ScriptVerification =
  | {
      valid: true;
      record: Record<string, unknown>;
      approvals: ScriptApprovalCheck[];
      fingerprint: string;
      digest: string;
    }
  | { valid: false; reason: string; message: string };
export declare function verifyRecordBytes(
  bytes: Uint8Array,
  options?: { paperFingerprint?: string },
): ScriptVerification;
export declare function main(args: string[], print?: (line: string) => void): number;
