// Approvers on this device: who can approve steps, accept risks and sign records off. Each
// registers a name, a role and a passphrase; their signing key is made here and kept only
// wrapped under that passphrase. The key's fingerprint is what the printed record shows.
import { useEffect, useState, type SyntheticEvent } from 'react';
import { useApprovers } from '../../db/liveApprovers.ts';
import { registerApprover, setApproverRoles } from '../../db/signoff.ts';
import { loadBundledChecklists } from '../../checklist/catalogue.ts';
import type { Role } from '../../checklist/schema.ts';
import {
  APPROVER_TEXT_MAX,
  characterCount,
  formatFingerprint,
  MIN_PASSPHRASE_LENGTH,
} from '../../record/approverBasics.ts';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorSummary, type SummaryError } from '../components/ErrorSummary.tsx';
import { ErrorMessage, FormGroup, Hint } from '../components/FormField.tsx';
import { formatDateTime } from '../format.ts';
import { usePageTitle } from '../usePageTitle.ts';
import '../styles/pages.scss';

export function ApproversPage() {
  usePageTitle('Approvers');
  const approvers = useApprovers();
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [roles, setRoles] = useState<string[]>([]);
  const declared = useDeclaredRoles();

  async function onSubmit(e: SyntheticEvent) {
    e.preventDefault();
    const next: Record<string, string> = {};
    // As the stored key counts them (UTF-16 units), so a name the form accepts can always sign.
    const tooLong = (text: string) => text.trim().length > APPROVER_TEXT_MAX;
    if (!name.trim()) next.name = 'Enter the approver’s name';
    else if (tooLong(name))
      next.name = `The name must be ${String(APPROVER_TEXT_MAX)} characters or fewer`;
    if (!role.trim()) next.role = 'Enter the approver’s role, such as SIRO or IT director';
    else if (tooLong(role))
      next.role = `The role must be ${String(APPROVER_TEXT_MAX)} characters or fewer`;
    if (characterCount(passphrase) < MIN_PASSPHRASE_LENGTH)
      next.passphrase = `The passphrase must be at least ${String(MIN_PASSPHRASE_LENGTH)} characters`;
    else if (confirm !== passphrase) next.confirm = 'The two passphrases are not the same';
    setErrors(next);
    setAttempt((n) => n + 1);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    try {
      const key = await registerApprover({
        name: name.trim(),
        role: role.trim(),
        passphrase,
        roles,
      });
      setCreated(
        `${key.name} is registered. Key fingerprint: ${formatFingerprint(key.fingerprint)}`,
      );
      setName('');
      setRole('');
      setPassphrase('');
      setConfirm('');
    } catch (error) {
      setErrors({ other: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  const summary: SummaryError[] = Object.entries(errors).map(([field, text]) => ({
    ...(field === 'other' ? {} : { href: `approver-${field}` }),
    text,
  }));
  const field = (
    key: 'name' | 'role',
    label: string,
    hint: string,
    value: string,
    set: (v: string) => void,
  ) => (
    <FormGroup error={errors[key]}>
      <label className="nhsuk-label" htmlFor={`approver-${key}`}>
        {label}
      </label>
      <Hint id={`approver-${key}-hint`}>{hint}</Hint>
      <ErrorMessage id={`approver-${key}-error`} message={errors[key]} />
      <input
        className={`nhsuk-input nhsuk-u-width-two-thirds${errors[key] ? ' nhsuk-input--error' : ''}`}
        id={`approver-${key}`}
        value={value}
        autoComplete={key === 'name' ? 'name' : 'organization-title'}
        aria-describedby={`approver-${key}-hint${errors[key] ? ` approver-${key}-error` : ''}`}
        onChange={(ev) => {
          set(ev.target.value);
        }}
      />
    </FormGroup>
  );

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={summary} attempt={attempt} />
        {created && (
          <div
            className="nhsuk-notification-banner nhsuk-notification-banner--success"
            role="alert"
          >
            <div className="nhsuk-notification-banner__content">
              <p className="nhsuk-notification-banner__heading">{created}</p>
            </div>
          </div>
        )}
        <h1>Approvers</h1>
        <p>
          Approvers approve steps, accept risks and sign the record off. Each signs with a key made
          on this device and kept only under their passphrase: without it, nothing can be signed in
          their name.
        </p>
        {approvers.state === 'ready' && approvers.value.length > 0 ? (
          <DataTable
            caption="Registered on this device"
            rows={approvers.value}
            rowKey={(a) => a.id}
            columns={[
              {
                header: 'Approver',
                cell: (a) => (
                  <>
                    {a.name}
                    <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{a.role}</div>
                  </>
                ),
              },
              {
                header: 'Key fingerprint',
                className: 'app-mono',
                cell: (a) => formatFingerprint(a.fingerprint),
              },
              {
                header: 'Decides as',
                cell: (a) => (
                  <RoleChoices
                    idPrefix={`approver-${a.id}`}
                    legend={`Roles ${a.name} holds`}
                    declared={declared}
                    value={a.roles ?? []}
                    onChange={(next) => void setApproverRoles(a.id, next)}
                  />
                ),
              },
              { header: 'Registered', cell: (a) => formatDateTime(a.createdAt) },
            ]}
          />
        ) : (
          <p>No approver is registered on this device yet.</p>
        )}
        <h2>Register an approver</h2>
        <form onSubmit={(ev) => void onSubmit(ev)} noValidate>
          {field('name', 'Full name', 'As it should appear on the signed record.', name, setName)}
          {field(
            'role',
            'Role',
            'For example, Senior Information Risk Owner (SIRO), IT director.',
            role,
            setRole,
          )}
          <FormGroup>
            <RoleChoices
              idPrefix="approver-new"
              legend="Decisions they may take"
              hint="A checklist names the role each decision needs; only its holders are offered it."
              declared={declared}
              value={roles}
              onChange={setRoles}
            />
          </FormGroup>
          <FormGroup error={errors.passphrase}>
            <label className="nhsuk-label" htmlFor="approver-passphrase">
              Passphrase
            </label>
            <Hint id="approver-passphrase-hint">
              At least {MIN_PASSPHRASE_LENGTH} characters. A few unrelated words are easy to
              remember and hard to guess. It cannot be recovered: if it is forgotten, register
              again.
            </Hint>
            <ErrorMessage id="approver-passphrase-error" message={errors.passphrase} />
            <input
              className={`nhsuk-input nhsuk-u-width-two-thirds${errors.passphrase ? ' nhsuk-input--error' : ''}`}
              id="approver-passphrase"
              type="password"
              autoComplete="new-password"
              value={passphrase}
              aria-describedby={`approver-passphrase-hint${errors.passphrase ? ' approver-passphrase-error' : ''}`}
              onChange={(ev) => {
                setPassphrase(ev.target.value);
              }}
            />
          </FormGroup>
          <FormGroup error={errors.confirm}>
            <label className="nhsuk-label" htmlFor="approver-confirm">
              Passphrase again
            </label>
            <ErrorMessage id="approver-confirm-error" message={errors.confirm} />
            <input
              className={`nhsuk-input nhsuk-u-width-two-thirds${errors.confirm ? ' nhsuk-input--error' : ''}`}
              id="approver-confirm"
              type="password"
              autoComplete="new-password"
              value={confirm}
              aria-describedby={errors.confirm ? 'approver-confirm-error' : undefined}
              onChange={(ev) => {
                setConfirm(ev.target.value);
              }}
            />
          </FormGroup>
          {errors.other && <ErrorMessage id="approver-other" message={errors.other} />}
          <button type="submit" className="nhsuk-button" disabled={busy}>
            {busy ? 'Making the key…' : 'Register approver'}
          </button>
        </form>
      </div>
    </div>
  );
}

/** The roles the shipped checklists declare, each once, in the order first declared. */
function useDeclaredRoles(): Role[] {
  const [roles, setRoles] = useState<Role[]>([]);
  useEffect(() => {
    let cancelled = false;
    void loadBundledChecklists().then((checklists) => {
      const seen = new Map<string, Role>();
      for (const c of checklists)
        for (const r of c.definition.roles ?? []) if (!seen.has(r.id)) seen.set(r.id, r);
      if (!cancelled) setRoles([...seen.values()]);
    });
    return () => {
      cancelled = true;
    };
  }, []);
  return roles;
}

function RoleChoices({
  idPrefix,
  legend,
  hint,
  declared,
  value,
  onChange,
}: {
  idPrefix: string;
  legend: string;
  hint?: string;
  declared: Role[];
  value: string[];
  onChange: (roles: string[]) => void;
}) {
  if (declared.length === 0) return null;
  return (
    <fieldset
      className="nhsuk-fieldset"
      aria-describedby={hint ? `${idPrefix}-roles-hint` : undefined}
    >
      <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
      {hint && (
        <div className="nhsuk-hint" id={`${idPrefix}-roles-hint`}>
          {hint}
        </div>
      )}
      <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
        {declared.map((r) => (
          <div className="nhsuk-checkboxes__item" key={r.id}>
            <input
              className="nhsuk-checkboxes__input"
              id={`${idPrefix}-role-${r.id}`}
              type="checkbox"
              checked={value.includes(r.id)}
              onChange={(e) => {
                onChange(e.target.checked ? [...value, r.id] : value.filter((v) => v !== r.id));
              }}
            />
            <label
              className="nhsuk-label nhsuk-checkboxes__label"
              htmlFor={`${idPrefix}-role-${r.id}`}
            >
              {r.title}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
