// Start a new record: the organisation, and which checklist (and so which version) it follows.
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { bundledCatalogue, loadBundledChecklists } from '../../checklist/catalogue.ts';
import { createRun, StorageFullError } from '../../db/runs.ts';
import { OrganisationSchema } from '../../run/header.ts';
import { normaliseOrganisation } from '../../run/header.ts';
import { BackLink } from '../components/BackLink.tsx';
import { ErrorSummary, type SummaryError } from '../components/ErrorSummary.tsx';
import { describedBy, ErrorMessage, fieldIds, FormGroup, Hint } from '../components/FormField.tsx';
import { WhoIsWorking, whoIsWorkingInputId } from '../components/WhoIsWorking.tsx';
import { navigate } from '../router.ts';
import { useActor } from '../useActor.ts';
import { usePageTitle } from '../usePageTitle.ts';
import '../styles/pages.scss';

const organisationChecklists = bundledCatalogue.filter((c) => !c.perDevice);

const NewRecordSchema = OrganisationSchema.extend({
  checklistId: z
    .string({ error: 'Select the checklist to use' })
    .refine((id) => organisationChecklists.some((c) => c.id === id), {
      error: 'Select the checklist to use',
    }),
});
type NewRecordInput = z.input<typeof NewRecordSchema>;
type NewRecordValues = z.output<typeof NewRecordSchema>;

const textFields = [
  {
    name: 'name',
    label: 'Organisation name',
    hint: 'For example, Kettering General Hospital NHS Foundation Trust.',
    width: '',
  },
  {
    name: 'odsCode',
    label: 'ODS code (optional)',
    hint: 'The organisation’s code in the NHS Organisation Data Service, such as RNQ or A81001.',
    width: 'nhsuk-input--width-10',
  },
  {
    name: 'site',
    label: 'Site (optional)',
    hint: 'If this record covers one site only.',
    width: '',
  },
  {
    name: 'incidentReference',
    label: 'Incident reference (optional)',
    hint: 'Your local incident number, or one you were given.',
    width: 'nhsuk-input--width-20',
  },
] as const;

export function NewRecordPage() {
  usePageTitle('Start a new record');
  const actor = useActor();
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting, submitCount },
  } = useForm<NewRecordInput, unknown, NewRecordValues>({
    resolver: zodResolver(NewRecordSchema),
    // The error summary takes focus, as on every other form; then its links lead to the fields.
    shouldFocusError: false,
    defaultValues: {
      name: '',
      odsCode: '',
      site: '',
      incidentReference: '',
      checklistId: organisationChecklists.length === 1 ? organisationChecklists[0]?.id : undefined,
    },
  });

  async function onValid(values: NewRecordValues) {
    if (!actor.name) {
      setFailure('Enter your name in “Who is working?” before starting a record');
      return;
    }
    setFailure(null);
    try {
      const checklist = (await loadBundledChecklists()).find(
        (c) => c.definition.id === values.checklistId,
      );
      if (!checklist) throw new Error('That checklist is not in this version of the app.');
      const { checklistId: _id, ...organisation } = values;
      const run = await createRun({
        organisation: normaliseOrganisation(organisation),
        checklist,
        actor: actor.name,
      });
      navigate(`/records/${run.runId}`);
    } catch (error) {
      setFailure(
        error instanceof StorageFullError || error instanceof Error ? error.message : String(error),
      );
    }
  }

  const summary: SummaryError[] = [];
  for (const field of textFields) {
    const message = errors[field.name]?.message;
    if (message) summary.push({ href: fieldIds(field.name).input, text: message });
  }
  if (errors.checklistId?.message)
    summary.push({ href: fieldIds('checklistId-0').input, text: errors.checklistId.message });
  if (failure)
    summary.push(actor.name ? { text: failure } : { href: whoIsWorkingInputId, text: failure });

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink href="/">Back to your records</BackLink>
        {submitCount > 0 || failure ? (
          <ErrorSummary errors={summary} attempt={submitCount + (failure ? 1 : 0)} />
        ) : null}
        <h1>Start a new record</h1>
        <WhoIsWorking compact />
        <form onSubmit={(e) => void handleSubmit(onValid)(e)} noValidate>
          {textFields.map((field) => {
            const ids = fieldIds(field.name);
            const message = errors[field.name]?.message;
            return (
              <FormGroup key={field.name} error={message}>
                <label className="nhsuk-label" htmlFor={ids.input}>
                  {field.label}
                </label>
                <Hint id={ids.hint}>{field.hint}</Hint>
                <ErrorMessage id={ids.error} message={message} />
                <input
                  className={`nhsuk-input ${field.width}${message ? ' nhsuk-input--error' : ''}`}
                  id={ids.input}
                  type="text"
                  spellCheck={false}
                  autoComplete={field.name === 'name' ? 'organization' : 'off'}
                  aria-describedby={describedBy(ids, true, Boolean(message))}
                  {...register(field.name)}
                />
              </FormGroup>
            );
          })}
          <FormGroup error={errors.checklistId?.message}>
            <fieldset
              className="nhsuk-fieldset"
              aria-describedby={errors.checklistId ? 'checklist-error' : undefined}
            >
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
                Checklist to use
              </legend>
              <ErrorMessage id="checklist-error" message={errors.checklistId?.message} />
              <div className="nhsuk-radios">
                {organisationChecklists.map((c, i) => {
                  const id = fieldIds(`checklistId-${String(i)}`).input;
                  return (
                    <div className="nhsuk-radios__item" key={c.id}>
                      <input
                        className="nhsuk-radios__input"
                        id={id}
                        type="radio"
                        value={c.id}
                        aria-describedby={`${id}-hint`}
                        {...register('checklistId')}
                      />
                      <label className="nhsuk-label nhsuk-radios__label" htmlFor={id}>
                        {c.title} (version {c.version})
                      </label>
                      <div className="nhsuk-hint nhsuk-radios__hint" id={`${id}-hint`}>
                        {c.summary}
                      </div>
                    </div>
                  );
                })}
              </div>
            </fieldset>
          </FormGroup>
          <button type="submit" className="nhsuk-button" disabled={isSubmitting}>
            Start record
          </button>
        </form>
      </div>
    </div>
  );
}
