// Reading a chosen record file and verifying it, as one step that never throws: what the
// verify worker runs, and what the page runs itself where there are no workers.
import { verifyRecordFile, type RecordVerification } from './verify.ts';

export interface VerifyRequest {
  file: File;
}

/** The verdict, or why the file could not be read at all. */
export type VerifyReply =
  RecordVerification | { valid: false; reason: 'unreadable'; message: string };

/** Larger than any record (10,000 devices make a few megabytes); not read into memory. */
export const MAX_RECORD_BYTES = 100 * 1024 * 1024;

export async function readAndVerify(file: File): Promise<VerifyReply> {
  if (file.size > MAX_RECORD_BYTES)
    return {
      valid: false,
      reason: 'unknown-format',
      message: `This is not a Reconnect record: at ${(file.size / 1024 / 1024).toFixed(0)} MB it is far larger than any record.`,
    };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    return {
      valid: false,
      reason: 'unreadable',
      message: `The file could not be read (${error instanceof Error || error instanceof DOMException ? error.message : String(error)}). Choose it again, or copy it to this device first.`,
    };
  }
  try {
    return await verifyRecordFile(bytes);
  } catch (error) {
    // verifyRecordFile answers rather than throws; this is for what no one foresaw (memory).
    return {
      valid: false,
      reason: 'unknown-format',
      message: `This file could not be checked (${error instanceof Error ? error.message : String(error)}), so it cannot be relied on.`,
    };
  }
}
