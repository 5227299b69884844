// An attached evidence file: its name, size and SHA-256, with view and download from the copy
// stored on this device.
import { useState } from 'react';
import type { FileRef } from '../../checklist/fields.ts';
import { readFile } from '../../db/files.ts';
import { formatBytes } from '../storage.ts';

async function objectUrl(id: string): Promise<string | null> {
  const row = await readFile(id);
  return row ? URL.createObjectURL(row.blob) : null;
}

export function FileLink({ file }: { runId: string; file: FileRef }) {
  const [missing, setMissing] = useState(false);
  async function open(download: boolean) {
    const url = await objectUrl(file.id);
    if (!url) {
      setMissing(true);
      return;
    }
    const a = document.createElement('a');
    a.href = url;
    if (download) a.download = file.name;
    else {
      a.target = '_blank';
      a.rel = 'noopener';
    }
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 60_000);
  }
  return (
    <span>
      <strong>{file.name}</strong> ({formatBytes(file.size)}){' '}
      <button type="button" className="app-link-button" onClick={() => void open(false)}>
        {'View '}
        <span className="nhsuk-u-visually-hidden">{file.name}</span>
      </button>{' '}
      <button type="button" className="app-link-button" onClick={() => void open(true)}>
        {'Download '}
        <span className="nhsuk-u-visually-hidden">{file.name}</span>
      </button>
      <br />
      <span className="nhsuk-body-s app-mono">SHA-256 {file.sha256}</span>
      {missing && (
        <span className="nhsuk-error-message">This file is not stored on this device.</span>
      )}
    </span>
  );
}
