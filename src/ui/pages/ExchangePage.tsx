// Share and back up: hand a record to another device (or to an approver, and back), import
// what others made, and back up everything on this device. Every file goes in through one
// door that checks it whole before anything is written; this page shows what the door says.
import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import { useDeviceIdentity, useExchanges } from '../../db/liveExchange.ts';
import { useOrganisationRuns } from '../../db/liveLists.ts';
import { exportBundle, type ExportScope } from '../../db/exportBundle.ts';
import { forgetCheckedBundle, importBundle, type BundleImport } from '../../db/importBundle.ts';
import { formatFingerprint } from '../../record/approverBasics.ts';
import { downloadText } from '../download.ts';
import { formatDateTime } from '../format.ts';
import { Link } from '../Link.tsx';
import { useActor } from '../useActor.ts';
import { usePageTitle } from '../usePageTitle.ts';
import { WhoIsWorking } from '../components/WhoIsWorking.tsx';
import { DataTable } from '../components/DataTable.tsx';

const kindLabels: Record<string, string> = {
  handoff: 'Hand-over',
  'signoff-request': 'Sign-off request',
  'signoff-reply': 'Sign-off reply',
  backup: 'Backup',
};

interface Preview {
  file: string;
  text: string;
  result: BundleImport;
}

export function ExchangePage() {
  usePageTitle('Share and back up');
  const { name: person } = useActor();
  const identity = useDeviceIdentity();
  const runs = useOrganisationRuns();
  const history = useExchanges();
  const [deviceName, setDeviceName] = useState('');
  const [recordId, setRecordId] = useState('');
  const [scopeKind, setScopeKind] = useState<'handoff' | 'signoff-request' | 'signoff-reply'>(
    'handoff',
  );
  const [withKeys, setWithKeys] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const ids = { device: useId(), file: useId(), keys: useId(), error: useId() };

  // The file checked for a preview is kept for its import; not once the person leaves.
  useEffect(() => forgetCheckedBundle, []);

  const records = runs.state === 'ready' ? runs.value : [];
  const chosen = recordId || (records[0]?.runId ?? '');

  async function download(scope: ExportScope) {
    if (!person) return;
    setBusy('Making the file…');
    setError(null);
    setDone(null);
    try {
      const bundle = await exportBundle(scope, {
        person,
        deviceName: deviceName.trim() || `${person}’s device`,
      });
      downloadText(bundle.fileName, bundle.text, 'application/json');
      setDone(`Saved ${bundle.fileName}. Keep it safe: it holds the record’s evidence.`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

  async function choose(files: FileList | null) {
    const file = files?.[0];
    setPreview(null);
    setDone(null);
    setError(null);
    if (!file) {
      forgetCheckedBundle();
      return;
    }
    setBusy('Checking the file…');
    try {
      const text = await file.text();
      const result = await importBundle(text, { preview: true });
      setPreview({ file: file.name, text, result });
    } catch (e) {
      setError(`${file.name}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(null);
    }
  }

  async function confirmImport(event: SyntheticEvent) {
    event.preventDefault();
    if (!preview) return;
    setBusy('Importing…');
    setError(null);
    try {
      const result = await importBundle(preview.text);
      const s = result.summary;
      const toReconcile = s.forks.length + s.deviceForks.length;
      setDone(
        `Imported ${preview.file}: ${String(s.newEvents)} new changes, ${String(s.newRuns)} new and ${String(s.updatedRuns)} updated checklists${toReconcile ? `. ${String(toReconcile)} ${toReconcile === 1 ? 'part has' : 'parts have'} two versions to reconcile` : ''}${s.releasedRuns ? '. The record is no longer held for approval here: it can be worked on on this device' : ''}.`,
      );
      setPreview(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <h1>Share and back up</h1>
      <p className="nhsuk-lede-text">
        Hand a record to another laptop, send it to an approver to sign on their own device, take in
        what others did, and back up everything kept here.
      </p>
      {!person && <WhoIsWorking />}
      {error && (
        <div className="nhsuk-error-summary" tabIndex={-1} aria-labelledby={ids.error}>
          <div role="alert">
            <h2 className="nhsuk-error-summary__title" id={ids.error}>
              There is a problem
            </h2>
            <div className="nhsuk-error-summary__body">
              <p>{error}</p>
            </div>
          </div>
        </div>
      )}
      {done && (
        <div className="nhsuk-inset-text" role="status">
          <p>{done}</p>
        </div>
      )}
      {busy && <p role="status">{busy}</p>}

      <h2>This device</h2>
      {identity.state === 'ready' && identity.value ? (
        <dl className="nhsuk-summary-list">
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Name</dt>
            <dd className="nhsuk-summary-list__value">{identity.value.name}</dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Signing key fingerprint</dt>
            <dd className="nhsuk-summary-list__value">
              <code data-testid="device-fingerprint">
                {formatFingerprint(identity.value.fingerprint)}
              </code>
            </dd>
          </div>
        </dl>
      ) : (
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor={ids.device}>
            Name of this device
          </label>
          <div className="nhsuk-hint">
            Every file made here is signed with this device’s own key, made with the first file. The
            name and the key’s fingerprint show whoever imports it where it came from.
          </div>
          <input
            className="nhsuk-input nhsuk-u-width-two-thirds"
            id={ids.device}
            value={deviceName}
            maxLength={200}
            placeholder={person ? `${person}’s device` : undefined}
            onChange={(e) => {
              setDeviceName(e.target.value);
            }}
          />
        </div>
      )}

      <h2>Hand over a record</h2>
      {records.length === 0 ? (
        <p>There are no records on this device yet.</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void download({ kind: scopeKind, orgRunId: chosen });
          }}
        >
          <div className="nhsuk-form-group">
            <fieldset className="nhsuk-fieldset">
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Record</legend>
              <div className="nhsuk-radios">
                {records.map((r) => (
                  <div className="nhsuk-radios__item" key={r.runId}>
                    <input
                      className="nhsuk-radios__input"
                      id={`record-${r.runId}`}
                      type="radio"
                      name="record"
                      checked={chosen === r.runId}
                      onChange={() => {
                        setRecordId(r.runId);
                      }}
                    />
                    <label
                      className="nhsuk-label nhsuk-radios__label"
                      htmlFor={`record-${r.runId}`}
                    >
                      {r.organisation.name}
                      {r.revisionOf ? ' (revision)' : ''}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          <div className="nhsuk-form-group">
            <fieldset className="nhsuk-fieldset">
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
                What the file is for
              </legend>
              <div className="nhsuk-radios">
                {(
                  [
                    [
                      'handoff',
                      'To carry on on another device',
                      'Everything: checklists, devices, evidence files, signed records.',
                    ],
                    [
                      'signoff-request',
                      'For an approver to review and sign on their own device',
                      'The same, marked as a sign-off request.',
                    ],
                    [
                      'signoff-reply',
                      'To send back what the approver did',
                      'Only the organisation checklist, its signed record and approvers’ public keys: a small file.',
                    ],
                  ] as const
                ).map(([value, label, hint]) => (
                  <div className="nhsuk-radios__item" key={value}>
                    <input
                      className="nhsuk-radios__input"
                      id={`scope-${value}`}
                      type="radio"
                      name="scope"
                      checked={scopeKind === value}
                      aria-describedby={`scope-${value}-hint`}
                      onChange={() => {
                        setScopeKind(value);
                      }}
                    />
                    <label className="nhsuk-label nhsuk-radios__label" htmlFor={`scope-${value}`}>
                      {label}
                    </label>
                    <div className="nhsuk-hint nhsuk-radios__hint" id={`scope-${value}-hint`}>
                      {hint}
                    </div>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          <button className="nhsuk-button" type="submit" disabled={!person || busy !== null}>
            Download the file
          </button>
        </form>
      )}

      <h2>Import a file</h2>
      <p>
        A hand-over, a sign-off request or reply, or a backup. It is merged with what is here:
        nothing already saved is overwritten, and a file that has been changed is refused whole.
      </p>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor={ids.file}>
          Reconnect file (.reconnect)
        </label>
        <input
          className="nhsuk-file-upload"
          id={ids.file}
          type="file"
          accept=".reconnect,application/json"
          onChange={(e) => {
            void choose(e.target.files);
          }}
        />
      </div>
      {preview && (
        <ImportPreview
          preview={preview}
          onImport={(e) => {
            void confirmImport(e);
          }}
          onCancel={() => {
            setPreview(null);
          }}
          busy={busy !== null}
        />
      )}

      <h2>Back up everything on this device</h2>
      <p>
        One file with every record, its evidence and this device’s settings. Restore it by importing
        it above, on this or a new device.
      </p>
      <div className="nhsuk-form-group">
        <div className="nhsuk-checkboxes">
          <div className="nhsuk-checkboxes__item">
            <input
              className="nhsuk-checkboxes__input"
              id={ids.keys}
              type="checkbox"
              checked={withKeys}
              aria-describedby={`${ids.keys}-hint`}
              onChange={(e) => {
                setWithKeys(e.target.checked);
              }}
            />
            <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={ids.keys}>
              Include the approvers’ signing keys kept on this device
            </label>
            <div className="nhsuk-hint nhsuk-checkboxes__hint" id={`${ids.keys}-hint`}>
              They stay locked by each approver’s passphrase, but anyone with the file can try to
              guess it. Leave this unticked unless the approver asks for it.
            </div>
          </div>
        </div>
      </div>
      <button
        className="nhsuk-button nhsuk-button--secondary"
        type="button"
        disabled={!person || busy !== null}
        onClick={() => {
          void download({ kind: 'backup', includeWrappedKeys: withKeys });
        }}
      >
        Download a backup
      </button>

      <h2>Sync with a server instead</h2>
      <p>
        When the internal network is trusted again, laptops can stay in step through your
        organisation&apos;s CouchDB server without carrying files.{' '}
        <Link href="/sync">Set up sync with a server</Link>
      </p>

      <h2>Files made and imported here</h2>
      {history.state === 'ready' && history.value.length > 0 ? (
        <DataTable
          caption="Files made and imported here"
          captionHidden
          rows={history.value}
          rowKey={(r) => r.id}
          columns={[
            { header: 'When', cell: (r) => formatDateTime(r.at) },
            {
              header: 'What',
              cell: (r) =>
                `${r.direction === 'export' ? 'Made' : 'Imported'}: ${kindLabels[r.kind] ?? r.kind}`,
            },
            {
              header: 'From',
              cell: (r) => (
                <>
                  {r.device.name}, {r.by}
                  <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                    key {formatFingerprint(r.device.fingerprint)}
                  </div>
                </>
              ),
            },
            { header: 'Result', cell: (r) => r.summary },
          ]}
        />
      ) : (
        <p>No files yet.</p>
      )}
      <p>
        <Link href="/">Back to your records</Link>
      </p>
    </>
  );
}

function ImportPreview({
  preview,
  onImport,
  onCancel,
  busy,
}: {
  preview: Preview;
  onImport: (e: SyntheticEvent) => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const { manifest, summary, newApprovers } = preview.result;
  const toReconcile = summary.forks.length + summary.deviceForks.length;
  return (
    <form
      className="nhsuk-card"
      onSubmit={(e) => {
        onImport(e);
      }}
      aria-labelledby="import-preview-title"
    >
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading" id="import-preview-title">
          {kindLabels[manifest.kind] ?? manifest.kind} checked: {preview.file}
        </h3>
        <dl className="nhsuk-summary-list">
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Made by</dt>
            <dd className="nhsuk-summary-list__value">
              {manifest.createdBy} on {manifest.device.name}, {formatDateTime(manifest.createdAt)}
            </dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Device key fingerprint</dt>
            <dd className="nhsuk-summary-list__value">
              <code>{formatFingerprint(manifest.device.fingerprint)}</code>
            </dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Records</dt>
            <dd className="nhsuk-summary-list__value">
              {manifest.records.map((r) => r.organisation).join(', ') || 'None'}
            </dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">What it adds</dt>
            <dd className="nhsuk-summary-list__value" data-testid="import-preview-summary">
              {summary.newEvents === 0 &&
              summary.newRuns === 0 &&
              preview.result.newFiles === 0 &&
              preview.result.newSignedRecords === 0 &&
              newApprovers.length === 0 &&
              summary.releasedRuns === 0
                ? 'Nothing: everything in it is already on this device.'
                : `${String(summary.newEvents)} new changes, ${String(summary.newRuns)} new and ${String(summary.updatedRuns)} updated checklists, ${String(preview.result.newFiles)} files, ${String(preview.result.newSignedRecords)} signed records`}
              {toReconcile > 0 &&
                `. ${String(toReconcile)} ${toReconcile === 1 ? 'part was' : 'parts were'} changed here and there from the same point: both versions will be kept for you to reconcile`}
              {summary.releasedRuns > 0 &&
                '. The record is held here for approval; this hand-off opens it for work on this device'}
            </dd>
          </div>
        </dl>
        {newApprovers.length > 0 && (
          <div className="nhsuk-warning-callout">
            <h4 className="nhsuk-warning-callout__label">
              <span role="text">
                <span className="nhsuk-u-visually-hidden">Important: </span>
                Approvers this file registers here
              </span>
            </h4>
            <p>
              Compare each fingerprint with the one the approver reads out from their own device
              before you rely on their signature.
            </p>
            <ul>
              {newApprovers.map((a) => (
                <li key={a.fingerprint}>
                  {a.name} ({a.role}): <code>{formatFingerprint(a.fingerprint)}</code>
                  {a.canSignHere ? ' — with their locked signing key' : ' — public key only'}
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="nhsuk-button-group">
          <button className="nhsuk-button" type="submit" disabled={busy}>
            Import
          </button>
          <button className="nhsuk-button nhsuk-button--secondary" type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </form>
  );
}
