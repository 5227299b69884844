// Sync settings: the server, database and user name this device syncs with, kept on this
// device; the password, typed to start each session and kept only in this tab's memory. With
// nothing set, nothing leaves the device and the page's policy lets it reach its own origin only.
import { useState, type SyntheticEvent } from 'react';
import { useSetting } from '../../db/liveSetting.ts';
import { writeSetting } from '../../db/settings.ts';
import { checkSyncTarget, type SyncTarget } from '../../sync/status.ts';
import { ErrorSummary, type SummaryError } from '../components/ErrorSummary.tsx';
import { ErrorMessage, FormGroup, Hint } from '../components/FormField.tsx';
import { SyncStatusDetails } from '../components/SyncStatus.tsx';
import { allowedSyncOrigins, allowSyncOrigin } from '../syncOrigin.ts';
import {
  parseSyncTarget,
  startSync,
  stopSync,
  SYNC_TARGET_SETTING,
  useSyncView,
} from '../syncClient.ts';
import { usePageTitle } from '../usePageTitle.ts';

type FieldName = 'server' | 'database' | 'username' | 'password';

function TextField(props: {
  name: FieldName;
  label: string;
  hint?: string;
  value: string;
  error: string | undefined;
  type?: 'text' | 'password' | 'url';
  autoComplete: string;
  onChange: (value: string) => void;
}) {
  const id = `sync-${props.name}`;
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <FormGroup error={props.error}>
      <label className="nhsuk-label" htmlFor={id}>
        {props.label}
      </label>
      {props.hint && <Hint id={`${id}-hint`}>{props.hint}</Hint>}
      <ErrorMessage id={`${id}-error`} message={props.error} />
      <input
        className={`nhsuk-input${props.error ? ' nhsuk-input--error' : ''}`}
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        spellCheck={false}
        autoCapitalize="none"
        autoComplete={props.autoComplete}
        value={props.value}
        {...(described ? { 'aria-describedby': described } : {})}
        onChange={(e) => {
          props.onChange(e.target.value);
        }}
      />
    </FormGroup>
  );
}

function summaryOf(errors: Partial<Record<FieldName, string>>): SummaryError[] {
  return (Object.entries(errors) as [FieldName, string][]).map(([name, text]) => ({
    href: `#sync-${name}`,
    text,
  }));
}

function ServerForm() {
  const [values, setValues] = useState({ server: '', database: '', username: '' });
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: SyntheticEvent) {
    e.preventDefault();
    setAttempt((a) => a + 1);
    const checked = checkSyncTarget(values);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    await writeSetting(SYNC_TARGET_SETTING, checked.target);
    await allowSyncOrigin(checked.origin);
    // The page's policy is read when it loads: reload so it may reach this server.
    window.location.reload();
  }

  const field = (name: 'server' | 'database' | 'username') => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
  };
  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)}>
      <ErrorSummary errors={summaryOf(errors)} attempt={attempt} />
      <TextField
        name="server"
        label="Sync server address"
        hint="The CouchDB server your IT team set up, like https://couch.trust.example:6984"
        type="url"
        autoComplete="url"
        value={values.server}
        error={errors.server}
        onChange={field('server')}
      />
      <TextField
        name="database"
        label="Database name"
        hint="One database per organisation, like rxx-reconnect"
        autoComplete="off"
        value={values.database}
        error={errors.database}
        onChange={field('database')}
      />
      <TextField
        name="username"
        label="Sync user name"
        hint="Your user name on the sync server"
        autoComplete="username"
        value={values.username}
        error={errors.username}
        onChange={field('username')}
      />
      <button className="nhsuk-button" type="submit" disabled={busy}>
        Save and allow this server
      </button>
    </form>
  );
}

function SignIn({ target }: { target: SyncTarget }) {
  const view = useSyncView();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const starting = !view.running && view.starting;

  async function onSubmit(e: SyntheticEvent) {
    e.preventDefault();
    setAttempt((a) => a + 1);
    if (password === '') {
      setError('Enter your sync password');
      return;
    }
    setError(undefined);
    const typed = password;
    setPassword('');
    await startSync(target, typed);
  }
  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)}>
      <ErrorSummary errors={summaryOf(error ? { password: error } : {})} attempt={attempt} />
      {!view.running && view.problem && (
        <div className="nhsuk-warning-callout" role="alert">
          <p>{view.problem}</p>
        </div>
      )}
      <TextField
        name="password"
        label="Sync password"
        hint="Used only while this tab is open, and never stored. After a reload, enter it again."
        type="password"
        autoComplete="current-password"
        value={password}
        error={error}
        onChange={setPassword}
      />
      <button className="nhsuk-button" type="submit" disabled={starting}>
        Start syncing
      </button>
    </form>
  );
}

export function SyncPage() {
  usePageTitle('Sync with a server');
  const target = useSetting(SYNC_TARGET_SETTING, parseSyncTarget);
  const view = useSyncView();
  const [forgetting, setForgetting] = useState(false);

  async function forget() {
    setForgetting(true);
    await stopSync();
    await writeSetting(SYNC_TARGET_SETTING, null);
    await allowSyncOrigin(null);
    window.location.reload();
  }

  if (!target.loaded) return null;
  const t = target.value;
  const allowed = t ? allowedSyncOrigins().includes(t.server) : false;
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>Sync with a server</h1>
        <p>
          Once your organisation&apos;s internal network is trusted again, laptops can keep each
          other up to date through a CouchDB server your IT team runs, instead of passing files.
          Sync is optional: with no server set, nothing leaves this device.
        </p>
        {!t && <ServerForm />}
        {t && (
          <>
            <dl className="nhsuk-summary-list">
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Server</dt>
                <dd className="nhsuk-summary-list__value">{t.server}</dd>
              </div>
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Database</dt>
                <dd className="nhsuk-summary-list__value">{t.database}</dd>
              </div>
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">User name</dt>
                <dd className="nhsuk-summary-list__value">{t.username}</dd>
              </div>
            </dl>
            {!allowed && (
              <>
                <p>The app must reload before it may reach this server.</p>
                <button
                  className="nhsuk-button"
                  type="button"
                  onClick={() => {
                    window.location.reload();
                  }}
                >
                  Reload the app
                </button>
              </>
            )}
            {allowed && view.running && (
              <>
                <SyncStatusDetails status={view.status} />
                <button
                  className="nhsuk-button nhsuk-button--secondary"
                  type="button"
                  onClick={() => void stopSync()}
                >
                  Stop syncing
                </button>
              </>
            )}
            {allowed && !view.running && <SignIn target={t} />}
            <h2>Stop using this server</h2>
            <p>
              This device stops syncing and forgets the server. Records already on this device stay.
            </p>
            <button
              className="nhsuk-button nhsuk-button--warning"
              type="button"
              disabled={forgetting}
              onClick={() => void forget()}
            >
              Forget this server
            </button>
          </>
        )}
      </div>
    </div>
  );
}
