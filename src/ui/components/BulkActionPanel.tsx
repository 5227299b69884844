// A bulk action: one step of the device clearance checklist, its answers entered once and
// recorded for every selected device — one event per device, each checked by that device's
// own machine, so a device that is not ready for it is reported, not forced. Answers left
// blank are taken from each device's own draft (the inventory's hostname, asset tag, OS…).
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { isBlank } from '../../checklist/fields.ts';
import type { HashedChecklist, Step } from '../../checklist/schema.ts';
import type { DeviceRow } from '../../db/database.ts';
import { startClearance } from '../../db/devices.ts';
import { getDatabase } from '../../db/database.ts';
import { appendEvent } from '../../db/runs.ts';
import { describeFailure } from '../useDispatch.ts';
import { EvidenceField } from '../fields/EvidenceField.tsx';
import { initialFormValues, toDraft, type FormValues } from '../fields/formValues.ts';
import { ProgressBar } from './ProgressBar.tsx';

interface Outcome {
  done: number;
  failed: { device: string; message: string }[];
}

function BulkForm({
  step,
  checklist,
  devices,
  actor,
}: {
  step: Step;
  checklist: HashedChecklist;
  devices: readonly DeviceRow[];
  actor: string;
}) {
  // No resolver: each device's machine checks its own merged answers.
  const form = useForm<FormValues>({
    defaultValues: initialFormValues(step.fields, undefined, undefined),
  });
  const [progress, setProgress] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function apply(values: FormValues) {
    const shared = Object.fromEntries(
      Object.entries(toDraft(step.fields, values)).filter(([, v]) => !isBlank(v)),
    );
    const result: Outcome = { done: 0, failed: [] };
    setOutcome(null);
    for (let i = 0; i < devices.length; i++) {
      const device = devices[i];
      if (!device) continue;
      setProgress((i + 1) / devices.length);
      try {
        const runId = await startClearance(device, checklist, actor);
        const own =
          (await getDatabase().runs.get(runId))?.snapshot.context.steps[step.id]?.draft ?? {};
        await appendEvent(runId, {
          type: 'step.complete',
          stepId: step.id,
          evidence: { ...own, ...shared } as never,
          actor: { name: actor },
          at: new Date().toISOString(),
        });
        result.done++;
      } catch (error) {
        result.failed.push({
          device: device.hostname ?? device.assetTag ?? device.id,
          message: describeFailure(error).message,
        });
      }
    }
    setProgress(null);
    setOutcome(result);
  }

  return (
    <form
      onSubmit={(e) => void form.handleSubmit(apply)(e)}
      noValidate
      aria-label={`Bulk answers for ${step.title}`}
    >
      {step.fields
        .filter((f) => f.type !== 'file')
        .map((field) => (
          <EvidenceField
            key={field.id}
            field={field}
            register={form.register}
            control={form.control}
            errors={form.formState.errors}
            referenceTables={checklist.definition.referenceTables}
          />
        ))}
      {progress !== null && (
        <ProgressBar
          label={`Recording for ${String(devices.length)} devices`}
          fraction={progress}
        />
      )}
      {outcome && (
        <div
          className={`nhsuk-notification-banner${outcome.failed.length ? '' : ' nhsuk-notification-banner--success'}`}
          role="status"
        >
          <div className="nhsuk-notification-banner__content">
            <p className="nhsuk-notification-banner__heading">
              Recorded for {outcome.done} {outcome.done === 1 ? 'device' : 'devices'}
              {outcome.failed.length > 0 && `; ${String(outcome.failed.length)} could not take it`}
            </p>
            {outcome.failed.length > 0 && (
              <ul className="nhsuk-list nhsuk-list--bullet">
                {outcome.failed.slice(0, 50).map((f) => (
                  <li key={f.device}>
                    {f.device}: {f.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
      <button type="submit" className="nhsuk-button" disabled={progress !== null}>
        Record “{step.title}” for {devices.length} {devices.length === 1 ? 'device' : 'devices'}
      </button>
    </form>
  );
}

export function BulkActionPanel({
  checklist,
  devices,
  actor,
}: {
  checklist: HashedChecklist | undefined;
  devices: readonly DeviceRow[];
  actor: string | undefined;
}) {
  const [stepId, setStepId] = useState('');
  if (!checklist || devices.length === 0) return null;
  const steps = checklist.definition.phases
    .flatMap((p) => p.steps)
    .filter((s) => s.outcomes.includes('completed'));
  const step = steps.find((s) => s.id === stepId);
  return (
    <section className="nhsuk-card" aria-labelledby="bulk-title">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading nhsuk-heading-m" id="bulk-title">
          Record a step for the {devices.length} selected{' '}
          {devices.length === 1 ? 'device' : 'devices'}
        </h2>
        <p>
          For example, “patched by WSUS deployment X, report Y” for every device it covered. Each
          device gets its own event, checked by its own checklist.
        </p>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="bulk-step">
            Step
          </label>
          <select
            className="nhsuk-select"
            id="bulk-step"
            value={stepId}
            onChange={(e) => {
              setStepId(e.target.value);
            }}
          >
            <option value="">Choose a step</option>
            {steps.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </div>
        {step && actor && (
          <BulkForm
            key={step.id}
            step={step}
            checklist={checklist}
            devices={devices}
            actor={actor}
          />
        )}
      </div>
    </section>
  );
}
