// The evidence form for an open step: react-hook-form validated by the step's own zod schema
// (the same schema the machine checks), drafts saved as the user goes — only the fields changed,
// on top of what the form loaded, so another tab's answers are never overwritten unseen — and
// the NHS error summary when something needs correcting.
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import {
  cachedEvidenceSchema,
  type Evidence,
  type EvidenceIssue,
  type FileRef,
} from '../../checklist/fields.ts';
import type { Field, ReferenceTable, Step } from '../../checklist/schema.ts';
import { attachFile } from '../../db/files.ts';
import { EvidenceField, fieldError, focusTarget } from '../fields/EvidenceField.tsx';
import { initialFormValues, toDraft, type FormValues } from '../fields/formValues.ts';
import { sameValue, type DraftSave } from '../../checklist/draftMerge.ts';
import { DraftConflicts, type ConflictCandidate } from './DraftConflicts.tsx';
import { ErrorSummary, type SummaryError } from './ErrorSummary.tsx';
import { FileEvidence } from './FileEvidence.tsx';

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }
  | { kind: 'unchanged' }
  | { kind: 'failed'; message: string };

export interface StepFormProps {
  runId: string;
  step: Step;
  actor: string | undefined;
  draft: Record<string, unknown> | undefined;
  evidence: Evidence | undefined;
  /**
   * Starting values for fields nobody has answered yet: facts given when the record started,
   * which the step carries (its fields' `prefill`). Editable; completing records them as answers.
   */
  prefill?: Readonly<Record<string, string>>;
  /** Draft fields saved differently by two writers, for the person to choose between. */
  conflicts?: Readonly<Record<string, readonly ConflictCandidate[]>> | undefined;
  referenceTables: Record<string, ReferenceTable>;
  needsApproval: boolean;
  saveDraft: (save: DraftSave) => Promise<string | null>;
  complete: (evidence: Evidence) => Promise<{ message: string; issues?: EvidenceIssue[] } | null>;
  /** The main button's label; null for a step that is not completed from this form. */
  completeLabel?: string | null;
  /** For another form on the page that sends these answers (a risk acceptance). */
  handle?: Ref<StepFormHandle>;
}

export interface StepFormHandle {
  /**
   * Checks the answers as completing would: the valid evidence, or null with the errors shown
   * in this form. `problem` shows a refusal from the machine against these answers.
   */
  collect: () => Promise<Evidence | null>;
  problem: (problem: { message: string; issues?: EvidenceIssue[] }) => void;
}

const AUTOSAVE_MS = 800;

export function StepForm(props: StepFormProps) {
  const { runId, step, actor, referenceTables } = props;
  const schema = cachedEvidenceSchema(step.fields);
  const [defaults] = useState(() =>
    initialFormValues(step.fields, props.draft, props.evidence, props.prefill),
  );
  const form = useForm<FormValues, unknown, Evidence>({
    resolver: zodResolver(schema as never) as never,
    defaultValues: defaults,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
    // The NHS pattern: focus goes to the error summary, whose links lead to each field.
    shouldFocusError: false,
  });
  const { register, control, handleSubmit, getValues, setValue, setError, formState } = form;
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  const [failure, setFailure] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  // What each field's value is based on: the stored draft value this form last loaded or saved
  // (`base`, sent with a save so the store can tell whether someone else changed it since), and
  // the same as the form holds it (`formBase`, to tell which fields the person has changed).
  const base = useRef<Record<string, unknown>>({ ...(props.draft ?? {}) });
  const formBase = useRef<Record<string, unknown>>(toDraft(step.fields, defaults));
  // Fields whose save is on its way: another tab's value is not taken into them meanwhile.
  const inflight = useRef(new Set<string>());
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const watched = useWatch({ control });
  const [updatedElsewhere, setUpdatedElsewhere] = useState<string[]>([]);

  const conflicted = (fieldId: string) => (latest.current.conflicts?.[fieldId]?.length ?? 0) > 1;

  /**
   * Fields the person changed since they were loaded or saved (a conflict is settled by choosing).
   * A field whose save is still on its way counts from the value being saved, so what is typed
   * while it lands is saved too.
   */
  function changedFields(values: Record<string, unknown>): string[] {
    return step.fields
      .map((f) => f.id)
      .filter((id) => !conflicted(id) && !sameValue(values[id], formBase.current[id]));
  }

  /** Marks a field as based on a stored value, as the form holds it. */
  function settle(fieldId: string, stored: unknown, formValue: unknown) {
    base.current[fieldId] = stored;
    formBase.current[fieldId] = formValue;
  }

  // Another tab's saved changes come in through the live query: each field the person has not
  // touched takes the stored value; a field they have changed keeps theirs, and saving it then
  // keeps both values as a conflict for them to choose between.
  function takeStoredChanges() {
    const { draft = {}, evidence } = latest.current;
    const stored = toDraft(step.fields, initialFormValues(step.fields, draft, evidence));
    const current = toDraft(step.fields, getValues());
    const taken: string[] = [];
    for (const field of step.fields) {
      const id = field.id;
      if (inflight.current.has(id) || !Object.hasOwn(draft, id)) continue;
      if (Object.hasOwn(base.current, id) && sameValue(draft[id], base.current[id])) continue;
      if (conflicted(id)) continue;
      if (sameValue(current[id], stored[id])) {
        settle(id, draft[id], stored[id]);
      } else if (sameValue(current[id], formBase.current[id])) {
        settle(id, draft[id], stored[id]);
        setValue(id, initialFormValues([field], draft, evidence)[id], { shouldDirty: false });
        taken.push(field.label);
      }
    }
    if (taken.length > 0) setUpdatedElsewhere(taken);
  }

  useEffect(() => {
    // The stored draft arrives from a live query; the form's values live in react-hook-form:
    // this brings one into the other, and says which fields it changed.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    takeStoredChanges();
    // Re-run when what is stored changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.draft, props.evidence, props.conflicts]);

  async function send(save: DraftSave, fields: string[]): Promise<string | null> {
    for (const id of fields) inflight.current.add(id);
    try {
      return await props.saveDraft(save);
    } finally {
      for (const id of fields) inflight.current.delete(id);
    }
  }

  async function save(explicit = false): Promise<string | null> {
    const values = toDraft(step.fields, getValues());
    const changed = changedFields(values);
    if (changed.length === 0) {
      // Nothing new to store: if this visit saved already, that save still stands.
      if (explicit)
        setSaveState((state) => (state.kind === 'saved' ? { ...state } : { kind: 'unchanged' }));
      return null;
    }
    const changes: Record<string, unknown> = {};
    const based: Record<string, unknown> = {};
    const previous = new Map<string, [unknown, boolean, unknown]>();
    for (const id of changed) {
      changes[id] = values[id];
      const had = Object.hasOwn(base.current, id);
      if (had) based[id] = base.current[id];
      previous.set(id, [base.current[id], had, formBase.current[id]]);
      // Marked saved before the commit lands, so the live update it causes is not taken for
      // a change from elsewhere; put back if the save fails.
      settle(id, values[id], values[id]);
    }
    // Say "Saving…" only if the save is slow: a re-render now would compete with the commit
    // for the main thread, and a flash of "Saving…" helps nobody.
    const slow = setTimeout(() => {
      setSaveState({ kind: 'saving' });
    }, 300);
    const problem = await send(
      { changes, ...(Object.keys(based).length > 0 ? { base: based } : {}) },
      changed,
    );
    clearTimeout(slow);
    if (problem) {
      for (const [id, [stored, had, formValue]] of previous) {
        if (had) base.current[id] = stored;
        else Reflect.deleteProperty(base.current, id);
        formBase.current[id] = formValue;
      }
      setSaveState({ kind: 'failed', message: problem });
      setAttempt((n) => n + 1);
      return problem;
    }
    setSaveState({ kind: 'saved', at: new Date().toLocaleTimeString('en-GB') });
    takeStoredChanges();
    return null;
  }

  /** Settles a conflict with the value the person chose (one saved, or the one in the form). */
  async function choose(field: Field, value: unknown): Promise<string | null> {
    const { draft = {}, conflicts = {} } = latest.current;
    const candidates = conflicts[field.id] ?? [];
    const has = Object.hasOwn(draft, field.id);
    const keepsStored = has && sameValue(draft[field.id], value);
    const problem = await send(
      {
        changes: keepsStored ? {} : { [field.id]: value },
        ...(has && !keepsStored ? { base: { [field.id]: draft[field.id] } } : {}),
        resolves: { [field.id]: candidates.map((c) => c.value) },
      },
      [field.id],
    );
    if (problem) return problem;
    const formValue = initialFormValues([field], { [field.id]: value }, undefined)[field.id];
    settle(field.id, value, toDraft([field], { [field.id]: formValue })[field.id]);
    setValue(field.id, formValue, { shouldDirty: true });
    setSaveState({ kind: 'saved', at: new Date().toLocaleTimeString('en-GB') });
    return null;
  }

  // Save a draft shortly after the user stops typing: every change is kept, not just submits.
  useEffect(() => {
    if (changedFields(toDraft(step.fields, getValues())).length === 0) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), AUTOSAVE_MS);
    return () => {
      clearTimeout(timer.current);
    };
    // Re-run on every change of the watched values.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [watched]);

  function showProblem(problem: { message: string; issues?: EvidenceIssue[] }) {
    setFailure(problem.message);
    setAttempt((n) => n + 1);
    for (const issue of problem.issues ?? []) {
      if (issue.field) setError(issue.field, { message: issue.message });
    }
  }

  async function onValid(evidence: Evidence) {
    clearTimeout(timer.current);
    setFailure(null);
    const problem = await props.complete(evidence);
    if (problem) showProblem(problem);
  }

  useImperativeHandle(props.handle, () => ({
    collect: () =>
      new Promise<Evidence | null>((resolve) => {
        setFailure(null);
        void handleSubmit(
          (evidence) => {
            clearTimeout(timer.current);
            resolve(evidence);
          },
          () => {
            setAttempt((n) => n + 1);
            resolve(null);
          },
        )();
      }),
    problem: showProblem,
  }));

  const summary: SummaryError[] = [];
  for (const field of step.fields) {
    const message = fieldError(formState.errors, field.id);
    if (message) summary.push({ href: focusTarget(field), text: message });
  }
  if (failure && summary.length === 0) summary.push({ text: failure });
  if (saveState.kind === 'failed') summary.push({ text: saveState.message });

  const fileField = (field: Extract<Field, { type: 'file' }>) => {
    const files = (getValues(field.id) as FileRef[] | undefined) ?? [];
    return (
      <FileEvidence
        runId={runId}
        field={field}
        files={Array.isArray(files) ? files : []}
        error={fieldError(formState.errors, field.id)}
        attach={async (file) => {
          if (!actor) throw new Error('Tell us who is working before attaching files.');
          const current = Array.isArray(files) ? files : [];
          inflight.current.add(field.id);
          let ref: FileRef;
          try {
            ref = await attachFile({
              runId,
              stepId: step.id,
              fieldId: field.id,
              file,
              actor,
              files: current,
              base: base.current,
              maxFiles: field.maxFiles,
            });
          } finally {
            inflight.current.delete(field.id);
          }
          const next = [...current, ref];
          setValue(field.id, next, { shouldDirty: true });
          const saved = toDraft([field], { [field.id]: next })[field.id];
          settle(field.id, saved, saved);
          setSaveState({ kind: 'saved', at: new Date().toLocaleTimeString('en-GB') });
        }}
        remove={async (id) => {
          setValue(
            field.id,
            (Array.isArray(files) ? files : []).filter((f) => f.id !== id),
            { shouldDirty: true },
          );
          await save();
        }}
      />
    );
  };

  return (
    <>
      <ErrorSummary errors={summary} attempt={attempt + formState.submitCount} />
      <DraftConflicts
        fields={step.fields}
        conflicts={props.conflicts ?? {}}
        mine={(fieldId) => toDraft(step.fields, getValues())[fieldId]}
        choose={(field, value) => choose(field, value)}
      />
      {updatedElsewhere.length > 0 && (
        <p className="nhsuk-body-s" role="status">
          Saved from another window or tab, and shown here: {updatedElsewhere.join(', ')}.
        </p>
      )}
      <form
        onSubmit={(e) => void handleSubmit(onValid)(e)}
        noValidate
        aria-label={`Answers for ${step.title}`}
      >
        {step.fields.length === 0 && (
          <p>This step has no answers to record: mark it complete when it is done.</p>
        )}
        {step.fields.map((field) => (
          <EvidenceField
            key={field.id}
            field={field}
            register={register}
            control={control}
            errors={formState.errors}
            referenceTables={referenceTables}
            renderFile={fileField}
          />
        ))}
        <p className="nhsuk-body-s" role="status" aria-live="polite" data-testid="save-state">
          {saveState.kind === 'saving' && 'Saving…'}
          {saveState.kind === 'saved' && <span className="app-saved">Saved at {saveState.at}</span>}
          {saveState.kind === 'unchanged' &&
            'Nothing has changed since these answers were last saved.'}
          {saveState.kind === 'failed' && 'Not saved — see the message at the top of the page.'}
        </p>
        <div className="nhsuk-button-group">
          {props.completeLabel !== null && (
            <button type="submit" className="nhsuk-button" disabled={formState.isSubmitting}>
              {props.completeLabel ??
                (props.needsApproval ? 'Submit for approval' : 'Mark as complete')}
            </button>
          )}
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary"
            onClick={() => void save(true)}
          >
            Save draft
          </button>
        </div>
      </form>
    </>
  );
}
