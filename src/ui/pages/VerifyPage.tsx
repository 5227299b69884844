// Verify a completion record file, offline: "valid", with who signed and when, or "not valid"
// and why. Anyone can use this page; it needs no record on this device.
import { useState } from 'react';
import { formatFingerprint } from '../../record/keys.ts';
import { verifyRecordFile, type RecordVerification } from '../../record/verify.ts';
import { RecordDocument } from '../components/RecordDocument.tsx';
import { formatDateTime } from '../format.ts';
import { usePageTitle } from '../usePageTitle.ts';

type Checked = RecordVerification & { file: string };

/** Larger than any record (10,000 devices make a few megabytes); not read into memory. */
const MAX_RECORD_BYTES = 100 * 1024 * 1024;

async function checkFile(file: File): Promise<Checked> {
  const notValid = (message: string): Checked => ({
    valid: false,
    reason: 'unknown-format',
    message,
    file: file.name,
  });
  if (file.size > MAX_RECORD_BYTES)
    return notValid(
      `This is not a Reconnect record: at ${(file.size / 1024 / 1024).toFixed(0)} MB it is far larger than any record.`,
    );
  try {
    const buffer = await file.arrayBuffer();
    return { ...(await verifyRecordFile(new Uint8Array(buffer))), file: file.name };
  } catch (error) {
    return notValid(
      `The file could not be read (${error instanceof Error || error instanceof DOMException ? error.message : String(error)}). Choose it again, or copy it to this device first.`,
    );
  }
}

export function VerifyPage() {
  usePageTitle('Verify a record');
  const [result, setResult] = useState<Checked | null>(null);
  return (
    <>
      <div className="nhsuk-grid-row app-no-print">
        <div className="nhsuk-grid-column-two-thirds">
          <h1>Verify a completion record</h1>
          <p>
            Choose a record file (.json) exported from Reconnect. It is checked here, on this
            device: its signature, and that not one character has changed since it was signed.
            Compare the key fingerprint with the one printed on the paper copy.
          </p>
          <div className="nhsuk-form-group">
            <label className="nhsuk-label nhsuk-label--s" htmlFor="record-file">
              Record file
            </label>
            <input
              className="nhsuk-file-upload"
              id="record-file"
              type="file"
              accept=".json,application/json"
              aria-describedby={result && !result.valid ? 'verify-result-message' : undefined}
              onChange={(e) => {
                const file = e.target.files?.[0];
                // A new choice clears the last verdict at once: never a green "Valid" left
                // standing beside a different file.
                setResult(null);
                if (file) void checkFile(file).then(setResult);
              }}
            />
          </div>
          {result &&
            (result.valid ? (
              <div
                className="nhsuk-notification-banner nhsuk-notification-banner--success"
                role="alert"
                data-testid="verify-result"
              >
                <div className="nhsuk-notification-banner__content">
                  <p className="nhsuk-notification-banner__heading">Valid</p>
                  <p>
                    {result.file} was signed by {result.signer.name} ({result.signer.role}) on{' '}
                    {formatDateTime(result.signedAt)}, and has not been changed since.
                  </p>
                  <p className="app-mono">
                    Key fingerprint {formatFingerprint(result.signer.fingerprint)}
                  </p>
                  <p className="app-mono">Record digest {result.digest}</p>
                </div>
              </div>
            ) : (
              <div className="nhsuk-error-summary" role="alert" data-testid="verify-result">
                <h2 className="nhsuk-error-summary__title">Not valid</h2>
                <div className="nhsuk-error-summary__body">
                  <p id="verify-result-message">
                    {result.file}: {result.message}
                  </p>
                </div>
              </div>
            ))}
        </div>
      </div>
      {result?.valid && <RecordDocument record={result.record} digest={result.digest} />}
    </>
  );
}
