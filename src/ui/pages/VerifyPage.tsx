// Verify a completion record file, offline: "valid", with who signed and when, or "not valid"
// and why. Anyone can use this page; it needs no record on this device.
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { formatFingerprint } from '../../record/approverBasics.ts';
import type { VerifyReply } from '../../record/verifyFile.ts';
import { formatDateTime } from '../format.ts';
import { usePageTitle } from '../usePageTitle.ts';
import { useApprovers } from '../../db/liveApprovers.ts';
import type { ApprovalCheck } from '../../record/approvals.ts';
import { signerTrust } from '../../record/trust.ts';
import '../styles/pages.scss';

// The page opens with a file chooser: the checker (which runs in a worker) and the record's
// layout load only once there is a file to check and a record to show.
const RecordDocument = lazy(() =>
  import('../components/RecordDocument.tsx').then((m) => ({ default: m.RecordDocument })),
);

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
  if (typeof Worker === 'undefined')
    return {
      result: import('../../record/verifyFile.ts').then((m) => m.readAndVerify(file)),
      stop: () => undefined,
    };
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
              <div data-testid="verify-result" role="alert">
                <div className="nhsuk-notification-banner nhsuk-notification-banner--success">
                  <div className="nhsuk-notification-banner__content">
                    <p className="nhsuk-notification-banner__heading">Intact</p>
                    <p>
                      {result.file} has not been changed since it was signed on{' '}
                      {formatDateTime(result.signedAt)}: its signature matches the key it carries.
                      That shows it is intact, not who holds the key.
                    </p>
                    <p className="app-mono">
                      Key fingerprint {formatFingerprint(result.signer.fingerprint)}
                    </p>
                    <p className="app-mono">Record digest {result.digest}</p>
                  </div>
                </div>
                <SignerPanel
                  name={result.signer.name}
                  role={result.signer.role}
                  fingerprint={result.signer.fingerprint}
                />
                <ApprovalsPanel approvals={result.approvals} />
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
      {result?.valid && (
        <Suspense fallback={<p className="nhsuk-body">Laying out the record…</p>}>
          <RecordDocument record={result.record} digest={result.digest} />
        </Suspense>
      )}
    </>
  );
}

/** Who signed: the fingerprint to compare with paper, and whether this device knows the key. */
function SignerPanel({
  name,
  role,
  fingerprint,
}: {
  name: string;
  role: string;
  fingerprint: string;
}) {
  const approvers = useApprovers();
  if (approvers.state !== 'ready') return null;
  const trust = signerTrust({ name, fingerprint }, approvers.value);
  const known = trust.kind === 'known';
  return (
    <div className={known ? 'nhsuk-inset-text' : 'nhsuk-warning-callout'}>
      <h2 className={known ? 'nhsuk-heading-s' : 'nhsuk-warning-callout__label'}>
        {known
          ? 'Signer: known on this device'
          : trust.kind === 'other-name'
            ? 'Signer: known on this device under another name'
            : 'Signer: not known on this device'}
      </h2>
      <p>
        The record says it was signed by {name} ({role}).{' '}
        {trust.kind === 'known'
          ? `The key is that of ${trust.name} (${trust.role}), registered on this device.`
          : trust.kind === 'other-name'
            ? `But this key is registered on this device as ${trust.registeredAs} (${trust.role}), not as ${name}.`
            : trust.sameNameOtherKey
              ? `An approver of that name is registered on this device with a different key: this file was not signed with their key.`
              : 'No approver registered on this device has this key.'}
      </p>
      <p>
        Compare the key fingerprint above with the one printed on the signed paper copy, or given by
        the signer in person. Anyone can sign a file with a key of their own.
      </p>
    </div>
  );
}

const verdictWords: Record<ApprovalCheck['verdict'], string> = {
  valid: 'Signature valid',
  bad: 'Does not check out',
  'no-key': 'Cannot be checked',
  unsigned: 'Not signed',
};

/** Every approval inside the record, each with its own verdict. */
function ApprovalsPanel({ approvals }: { approvals: ApprovalCheck[] }) {
  if (approvals.length === 0) return null;
  const valid = approvals.filter((a) => a.verdict === 'valid').length;
  return (
    <>
      <h2 className="nhsuk-heading-m">Approvals inside the record</h2>
      <p>
        {valid} of {approvals.length} approval signatures checked against the approvers’ keys the
        record carries, and valid.
      </p>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
          Approvals inside the record
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">
              Step
            </th>
            <th scope="col" className="nhsuk-table__header">
              Approver
            </th>
            <th scope="col" className="nhsuk-table__header">
              Signature
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {approvals.map((a) => (
            <tr className="nhsuk-table__row" key={a.stepId}>
              <td className="nhsuk-table__cell">{a.stepTitle}</td>
              <td className="nhsuk-table__cell">
                {a.name} ({a.role})
              </td>
              <td className="nhsuk-table__cell">
                <strong>{verdictWords[a.verdict]}</strong>. {a.message}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
