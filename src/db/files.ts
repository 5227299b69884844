// Evidence files (a WSUS report, scan output, a photo of a label): stored as blobs with their
// SHA-256 and size, in the same transaction as the draft that references them.
import type { FileRef } from '../checklist/fields.ts';
import { getDatabase, type FileRow, type ReconnectDatabase } from './database.ts';
import { appendEvent } from './runs.ts';

/** Largest file accepted as evidence. */
export const maxFileBytes = 25 * 1024 * 1024;

export class FileRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileRejectedError';
  }
}

export async function sha256OfBuffer(buffer: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface AttachInput {
  runId: string;
  stepId: string;
  fieldId: string;
  file: File;
  actor: string;
  /** The files the form lists in this field now, to which the new file is added. */
  files: readonly FileRef[];
  /** The stored draft the form started from: the save changes this field on top of it. */
  base: Readonly<Record<string, unknown>>;
  maxFiles: number;
}

/** Stores the file and saves the field that lists it, in one transaction. */
export async function attachFile(
  input: AttachInput,
  db: ReconnectDatabase = getDatabase(),
): Promise<FileRef> {
  const { file } = input;
  if (file.size === 0)
    throw new FileRejectedError(`“${file.name}” is empty. Choose a file with something in it.`);
  if (file.size > maxFileBytes)
    throw new FileRejectedError(
      `“${file.name}” is ${(file.size / 1024 / 1024).toFixed(1)} MB. The largest file you can attach is ${String(maxFileBytes / 1024 / 1024)} MB.`,
    );
  const existing = input.files;
  if (existing.length >= input.maxFiles)
    throw new FileRejectedError(
      `You can attach up to ${String(input.maxFiles)} files here. Remove one first.`,
    );
  const buffer = await file.arrayBuffer();
  const ref: FileRef = {
    id: crypto.randomUUID(),
    name: file.name.slice(0, 255),
    size: file.size,
    type: file.type.slice(0, 255),
    sha256: await sha256OfBuffer(buffer),
  };
  const at = new Date().toISOString();
  // Only this field changes; another tab's answers in other fields stay as they are.
  const changes = { [input.fieldId]: [...existing, ref] };
  const base: { base?: Record<string, never> } = Object.hasOwn(input.base, input.fieldId)
    ? { base: { [input.fieldId]: input.base[input.fieldId] as never } }
    : {};
  await appendEvent(
    input.runId,
    {
      type: 'step.save',
      stepId: input.stepId,
      changes: changes,
      ...base,
      actor: { name: input.actor },
      at,
    },
    db,
    {
      tables: ['files'],
      write: async () => {
        await db.files.add({
          ...ref,
          runId: input.runId,
          stepId: input.stepId,
          fieldId: input.fieldId,
          blob: new Blob([buffer], { type: file.type }),
          addedAt: at,
          addedBy: input.actor,
        });
      },
    },
  );
  return ref;
}

export async function readFile(
  id: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<FileRow | undefined> {
  return db.files.get(id);
}
