// A file-evidence field: choose files to attach (each is stored, hashed, and saved with the
// draft at once), see what is attached, view, download or remove it.
import { useId, useState } from 'react';
import type { FileRef } from '../../checklist/fields.ts';
import type { Field } from '../../checklist/schema.ts';
import { FileRejectedError, maxFileBytes } from '../../db/files.ts';
import { describedBy, ErrorMessage, fieldIds, FormGroup, Hint } from './FormField.tsx';
import { FileLink } from './FileLink.tsx';

export interface FileEvidenceProps {
  runId: string;
  field: Extract<Field, { type: 'file' }>;
  files: FileRef[];
  error: string | undefined;
  attach: (file: File) => Promise<void>;
  remove: (id: string) => Promise<void>;
}

export function FileEvidence({ runId, field, files, error, attach, remove }: FileEvidenceProps) {
  const ids = fieldIds(field.id);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const statusId = useId();
  const shown = problem ?? error;

  async function onChoose(list: FileList | null) {
    if (!list || list.length === 0) return;
    setProblem(null);
    setBusy(true);
    try {
      for (const file of Array.from(list)) await attach(file);
    } catch (e) {
      setProblem(e instanceof FileRejectedError || e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <FormGroup error={shown}>
      <label className="nhsuk-label nhsuk-label--s" htmlFor={ids.input}>
        {field.label}
        {field.required ? '' : ' (optional)'}
      </label>
      <Hint id={ids.hint}>
        {field.help ? `${field.help} ` : ''}Up to {field.maxFiles} files, each up to{' '}
        {maxFileBytes / 1024 / 1024} MB. Files are kept on this device with a SHA-256 fingerprint.
      </Hint>
      <ErrorMessage id={ids.error} message={shown} />
      {files.length > 0 && (
        <ul className="nhsuk-list" aria-label={`Attached to ${field.label}`}>
          {files.map((f) => (
            <li key={f.id}>
              <FileLink runId={runId} file={f} />{' '}
              <button type="button" className="app-link-button" onClick={() => void remove(f.id)}>
                {'Remove '}
                <span className="nhsuk-u-visually-hidden">{f.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        className="nhsuk-file-upload__input"
        id={ids.input}
        type="file"
        multiple={field.maxFiles > 1}
        disabled={busy}
        aria-describedby={describedBy(ids, true, Boolean(shown))}
        onChange={(e) => {
          void onChoose(e.target.files).then(() => {
            e.target.value = '';
          });
        }}
      />
      <p className="nhsuk-body-s" role="status" id={statusId}>
        {busy ? 'Attaching…' : ''}
      </p>
    </FormGroup>
  );
}
