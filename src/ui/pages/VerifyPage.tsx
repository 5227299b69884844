// Verify a completion record file, offline: "valid", with who signed and when, or "not valid"
// and why. Anyone can use this page; it needs no record on this device.
import { useEffect, useRef, useState } from 'react';
import { formatFingerprint } from '../../record/keys.ts';
import { readAndVerify, type VerifyReply } from '../../record/verifyFile.ts';
import { RecordDocument } from '../components/RecordDocument.tsx';
import { formatDateTime } from '../format.ts';
import { usePageTitle } from '../usePageTitle.ts';
import '../styles/pages.scss';

type Checked = VerifyReply & { file: string };

interface Check {
  result: Promise<VerifyReply>;
  /** Stops the check (ends its worker); the result then never arrives. */
  stop: () => void;
}

/**
 * Checks a file in a Web Worker, so the page answers clicks while a large or hostile file is
 * read. Where a browser has no workers (or in jsdom tests) the page checks it itself.
 */
function startCheck(file: File): Check {
  if (typeof Worker === 'undefined') return { result: readAndVerify(file), stop: () => undefined };
  const worker = new Worker(new URL('../../record/verifyWorker.ts', import.meta.url), {
    type: 'module',
  });
  const result = new Promise<VerifyReply>((resolve) => {
    worker.onmessage = (event: MessageEvent<VerifyReply>) => {
      resolve(event.data);
      worker.terminate();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      resolve({
        valid: false,
        reason: 'unknown-format',
        message: `This file could not be checked (${event.message || 'the checker stopped'}), so it cannot be relied on.`,
      });
      worker.terminate();
    };
  });
  worker.postMessage({ file });
  return {
    result,
    stop: () => {
      worker.terminate();
    },
  };
}

export function VerifyPage() {
  usePageTitle('Verify a record');
  const [result, setResult] = useState<Checked | null>(null);
  const [checking, setChecking] = useState<string | null>(null);
  const [stopped, setStopped] = useState<string | null>(null);
  const current = useRef<Check | null>(null);
  useEffect(
    () => () => {
      current.current?.stop();
    },
    [],
  );

  const choose = (file: File | undefined) => {
    // A new choice clears the last verdict at once: never a green "Valid" left standing
    // beside a different file.
    current.current?.stop();
    current.current = null;
    setResult(null);
    setStopped(null);
    setChecking(file ? file.name : null);
    if (!file) return;
    const check = startCheck(file);
    current.current = check;
    void check.result.then((reply) => {
      if (current.current !== check) return;
      current.current = null;
      setChecking(null);
      setResult({ ...reply, file: file.name });
    });
  };

  const stop = () => {
    current.current?.stop();
    current.current = null;
    setStopped(checking);
    setChecking(null);
  };
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
              className="nhsuk-file-upload__input"
              id="record-file"
              type="file"
              accept=".json,application/json"
              aria-describedby={result && !result.valid ? 'verify-result-message' : undefined}
              onChange={(e) => {
                choose(e.target.files?.[0]);
              }}
            />
          </div>
          <div role="status">
            {checking !== null && (
              <div className="nhsuk-inset-text">
                <p>Checking {checking}…</p>
                <button
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary"
                  onClick={stop}
                >
                  Stop checking
                </button>
              </div>
            )}
            {stopped !== null && (
              <p className="nhsuk-inset-text">
                Checking {stopped} was stopped. It has not been verified: choose it again to check
                it.
              </p>
            )}
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
