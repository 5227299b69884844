// A bulk action: one step of the device clearance checklist, its answers entered once and
// recorded for every selected device — one event per device, each checked by that device's
// own machine, so a device that is not ready for it is reported, not forced, and left exactly
// as it was. Answers left blank are taken from each device's own draft, or from what the
// inventory says of it (hostname, identifiers, OS…); any text answer can instead be taken, per
// device, from a column of the inventory.
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { isBlank } from '../../checklist/fields.ts';
import type { HashedChecklist, Step } from '../../checklist/schema.ts';
import type { DeviceRow, InventoryDevice } from '../../db/database.ts';
import { identifiersText, inventoryAnswers } from '../../db/devices.ts';
import { recordForDevices } from '../../db/bulkDevices.ts';
import { describeFailure } from '../useDispatch.ts';
import { EvidenceField } from '../fields/EvidenceField.tsx';
import { initialFormValues, toDraft, type FormValues } from '../fields/formValues.ts';
import { ProgressBar } from './ProgressBar.tsx';

interface Outcome {
  done: number;
  /** Devices that could not take it, grouped by why. */
  failed: { message: string; devices: string[] }[];
}

/** Columns of the inventory a text answer can be taken from, per device. */
const inventorySources: {
  id: string;
  label: string;
  read: (d: InventoryDevice) => string | undefined;
}[] = [
  { id: 'hostname', label: 'Hostname', read: (d) => d.hostname },
  { id: 'assetTag', label: 'Asset tag', read: (d) => d.assetTag },
  { id: 'ip', label: 'IP address', read: (d) => d.ip },
  { id: 'mac', label: 'MAC address', read: (d) => d.mac },
  { id: 'osCaption', label: 'Operating system (as recorded)', read: (d) => d.osCaption },
  {
    id: 'osVersion',
    label: 'OS version and service pack',
    read: (d) => [d.osVersion, d.servicePack].filter(Boolean).join(' ') || undefined,
  },
  { id: 'location', label: 'Location', read: (d) => d.location },
  { id: 'owner', label: 'Owner', read: (d) => d.owner },
  { id: 'deviceClass', label: 'Device class', read: (d) => d.deviceClass },
  { id: 'lastLogon', label: 'Last logon', read: (d) => d.lastLogon },
  { id: 'identifiers', label: 'Every other identifier', read: identifiersText },
];

function sourcesFor(devices: readonly DeviceRow[]) {
  const headings = new Set<string>();
  for (const d of devices) for (const h of Object.keys(d.identifiers ?? {})) headings.add(h);
  return [
    ...inventorySources.filter((s) => devices.some((d) => s.read(d))),
    ...[...headings].map((h) => ({
      id: `identifier:${h}`,
      label: h,
      read: (d: InventoryDevice) => d.identifiers?.[h],
    })),
  ];
}

// One transaction for a whole estate's usual selection; larger selections in parts, each all
// or nothing, so progress shows and no transaction grows without bound.
const batchSize = 2500;

/** Records the step for every device, in batches, and says what happened to each. */
async function runBulk(input: {
  step: Step;
  checklist: HashedChecklist;
  orgRunId: string;
  devices: readonly DeviceRow[];
  actor: string;
  values: FormValues;
  fromColumn: Record<string, string>;
  sources: ReturnType<typeof sourcesFor>;
  onProgress: (fraction: number) => void;
}): Promise<Outcome> {
  const { step, checklist, orgRunId, devices, actor, fromColumn, sources } = input;
  const started = performance.now();
  const shared = Object.fromEntries(
    Object.entries(toDraft(step.fields, input.values)).filter(
      ([id, v]) => !isBlank(v) && !fromColumn[id],
    ),
  );
  const columns = Object.entries(fromColumn).flatMap(([field, source]) => {
    const read = sources.find((s) => s.id === source)?.read;
    return read ? [[field, read] as const] : [];
  });
  const result: Outcome = { done: 0, failed: [] };
  const failures = new Map<string, string[]>();
  const name = new Map(devices.map((d) => [d.id, d.hostname ?? d.assetTag ?? d.id]));
  try {
    for (let from = 0; from < devices.length; from += batchSize) {
      const batch = devices.slice(from, from + batchSize);
      const at = new Date().toISOString();
      const outcome = await recordForDevices(
        orgRunId,
        checklist,
        actor,
        batch.map((device) => ({
          deviceId: device.id,
          event: (state) => {
            // A device not started yet has no draft: what the inventory says of it stands in.
            const own =
              state?.context.steps[step.id]?.draft ??
              (state === undefined && step.id === 'identify'
                ? Object.fromEntries(
                    Object.entries(inventoryAnswers(device)).filter(
                      ([id, v]) => v && step.fields.some((f) => f.id === id),
                    ),
                  )
                : {});
            const perDevice = Object.fromEntries(
              columns.flatMap(([field, read]) => {
                const value = read(device);
                return value ? [[field, value]] : [];
              }),
            );
            return {
              type: 'step.complete',
              stepId: step.id,
              evidence: { ...own, ...shared, ...perDevice } as never,
              actor: { name: actor },
              at,
            };
          },
        })),
      );
      result.done += outcome.recorded.length;
      for (const refused of outcome.refused) {
        const list = failures.get(refused.rejection.message) ?? [];
        list.push(name.get(refused.deviceId) ?? refused.deviceId);
        failures.set(refused.rejection.message, list);
      }
      input.onProgress(Math.min(1, (from + batch.length) / devices.length));
    }
  } catch (error) {
    // The browser refused a batch (storage full, the record locked): nothing of it stored.
    failures.set(describeFailure(error).message, ['the devices not yet recorded']);
  }
  result.failed = [...failures].map(([message, list]) => ({ message, devices: list }));
  performance.measure('reconnect:bulk-action', {
    start: started,
    end: performance.now(),
    detail: { devices: devices.length, recorded: result.done },
  });
  return result;
}

function BulkForm({
  step,
  checklist,
  orgRunId,
  devices,
  actor,
}: {
  step: Step;
  checklist: HashedChecklist;
  orgRunId: string;
  devices: readonly DeviceRow[];
  actor: string;
}) {
  const blank = initialFormValues(step.fields, undefined, undefined);
  // No resolver: each device's machine checks its own merged answers.
  const form = useForm<FormValues>({ defaultValues: blank });
  const [progress, setProgress] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // For text answers: which inventory column each comes from, per device ('' for typed).
  const [fromColumn, setFromColumn] = useState<Record<string, string>>({});
  const sources = sourcesFor(devices);

  async function apply(values: FormValues) {
    setOutcome(null);
    setProgress(0);
    const result = await runBulk({
      step,
      checklist,
      orgRunId,
      devices,
      actor,
      values,
      fromColumn,
      sources,
      onProgress: setProgress,
    });
    setProgress(null);
    setOutcome(result);
    // Done: the form starts again empty for the next action. If nothing was recorded, the
    // answers stay, to be corrected.
    if (result.done > 0) {
      form.reset(blank);
      setFromColumn({});
    }
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
          <div key={field.id}>
            {!fromColumn[field.id] && (
              <EvidenceField
                field={field}
                register={form.register}
                control={form.control}
                errors={form.formState.errors}
                referenceTables={checklist.definition.referenceTables}
              />
            )}
            {(field.type === 'text' || field.type === 'long-text') && sources.length > 0 && (
              <div className="nhsuk-form-group">
                <label className="nhsuk-label nhsuk-label--s" htmlFor={`bulk-from-${field.id}`}>
                  {fromColumn[field.id] ? `${field.label}: ` : ''}Take “{field.label}” from
                </label>
                <select
                  className="nhsuk-select"
                  id={`bulk-from-${field.id}`}
                  value={fromColumn[field.id] ?? ''}
                  onChange={(e) => {
                    setFromColumn({ ...fromColumn, [field.id]: e.target.value });
                  }}
                >
                  <option value="">The answer typed above (blank: each device’s own)</option>
                  {sources.map((s) => (
                    <option key={s.id} value={s.id}>
                      Each device’s inventory: {s.label}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </div>
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
              {outcome.failed.length > 0 &&
                `; ${String(outcome.failed.reduce((n, f) => n + f.devices.length, 0))} could not take it and are unchanged`}
            </p>
            {outcome.failed.length > 0 && (
              <ul className="nhsuk-list nhsuk-list--bullet">
                {outcome.failed.slice(0, 20).map((f) => (
                  <li key={f.message}>
                    {f.message} (
                    {f.devices.length === 1 ? '' : `${String(f.devices.length)} devices: `}
                    {f.devices.slice(0, 10).join(', ')}
                    {f.devices.length > 10 ? ', …' : ''})
                  </li>
                ))}
              </ul>
            )}
            {outcome.done === 0 && outcome.failed.length > 0 && (
              <p>
                Nothing was recorded, so no device has changed. Correct the answers and try again.
              </p>
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
  orgRunId,
  devices,
  actor,
}: {
  checklist: HashedChecklist | undefined;
  orgRunId: string;
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
    <section className="nhsuk-card" aria-labelledby="bulk-title" id="bulk-actions" tabIndex={-1}>
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
            orgRunId={orgRunId}
            devices={devices}
            actor={actor}
          />
        )}
      </div>
    </section>
  );
}
