// The evidence form for an open step: react-hook-form validated by the step's own zod schema
// (the same schema the machine checks), drafts saved as the user goes, and the NHS error
// summary when something needs correcting.
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
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
  referenceTables: Record<string, ReferenceTable>;
  needsApproval: boolean;
  saveDraft: (draft: Record<string, unknown>) => Promise<string | null>;
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
  const defaults = useMemo(
    () => initialFormValues(step.fields, props.draft, props.evidence),
    [step.fields, props.draft, props.evidence],
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
  const lastSaved = useRef(JSON.stringify(toDraft(step.fields, defaults)));
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const watched = useWatch({ control });
  const [external, setExternal] = useState(false);

  // Another tab (or person) saved different answers for this step: offer them, never clobber.
  useEffect(() => {
    const stored = JSON.stringify(
      toDraft(step.fields, initialFormValues(step.fields, props.draft, props.evidence)),
    );
    const current = JSON.stringify(toDraft(step.fields, getValues()));
    if (stored !== lastSaved.current && stored !== current) setExternal(true);
  }, [props.draft, props.evidence, step.fields, getValues]);

  async function save(explicit = false): Promise<string | null> {
    const draft = toDraft(step.fields, getValues());
    const text = JSON.stringify(draft);
    if (text === lastSaved.current) {
      // Nothing new to store: if this visit saved already, that save still stands.
      if (explicit)
        setSaveState((state) => (state.kind === 'saved' ? { ...state } : { kind: 'unchanged' }));
      return null;
    }
    // Say "Saving…" only if the save is slow: a re-render now would compete with the commit
    // for the main thread, and a flash of "Saving…" helps nobody.
    const slow = setTimeout(() => {
      setSaveState({ kind: 'saving' });
    }, 300);
    // Mark it saved before the commit lands, so the live update it causes is not mistaken for
    // a change from elsewhere; put it back if the save fails.
    const previous = lastSaved.current;
    lastSaved.current = text;
    const problem = await props.saveDraft(draft);
    clearTimeout(slow);
    if (problem) {
      lastSaved.current = previous;
      setSaveState({ kind: 'failed', message: problem });
      setAttempt((n) => n + 1);
      return problem;
    }
    setSaveState({ kind: 'saved', at: new Date().toLocaleTimeString('en-GB') });
    return null;
  }

  // Save a draft shortly after the user stops typing: every change is kept, not just submits.
  useEffect(() => {
    if (JSON.stringify(toDraft(step.fields, getValues())) === lastSaved.current) return;
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
          const ref = await attachFile({
            runId,
            stepId: step.id,
            fieldId: field.id,
            file,
            actor,
            draft: toDraft(step.fields, getValues()),
            maxFiles: field.maxFiles,
          });
          const next = [...(Array.isArray(files) ? files : []), ref];
          setValue(field.id, next, { shouldDirty: true });
          lastSaved.current = JSON.stringify(toDraft(step.fields, getValues()));
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
      {external && (
        <div className="nhsuk-warning-callout" role="status">
          <h3 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Changed elsewhere
            </span>
          </h3>
          <p>These answers were changed in another window or tab since you opened this page.</p>
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
            onClick={() => {
              const latest = initialFormValues(step.fields, props.draft, props.evidence);
              form.reset(latest);
              lastSaved.current = JSON.stringify(toDraft(step.fields, latest));
              setExternal(false);
            }}
          >
            Show the latest answers
          </button>
        </div>
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
