// Importing a device inventory from CSV: the file is read and checked in a Web Worker with a
// progress bar; headings are matched to columns automatically (and can be changed); a preview
// shows what will be read; and nothing is stored unless every row is valid.
import { useEffect, useRef, useState } from 'react';
import {
  columnLabels,
  inventoryColumns,
  type ColumnMapping,
  type InventoryColumn,
} from '../../inventory/columns.ts';
import { encodingLabels, type CsvRow, type InventoryEncoding } from '../../inventory/csv.ts';
import {
  duplicateChoiceLabels,
  rejectedToCsv,
  resolveDuplicates,
  type DuplicateChoice,
  type Validation,
} from '../../inventory/validate.ts';
import type { WorkerReply, WorkerRequest } from '../../inventory/workerProtocol.ts';
import { importDevices } from '../../db/devices.ts';
import { DataTable } from '../components/DataTable.tsx';
import { BackLink } from '../components/BackLink.tsx';
import { ProgressBar } from '../components/ProgressBar.tsx';
import { downloadText } from '../download.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { RecordGate } from '../components/RecordGate.tsx';
import { WhoIsWorking } from '../components/WhoIsWorking.tsx';
import { navigate } from '../router.ts';
import { useActor } from '../useActor.ts';
import { usePageTitle } from '../usePageTitle.ts';
import { useRecord } from '../useRecord.ts';
import { useReferenceTable } from '../useReferenceTable.ts';
import '../styles/pages.scss';

type Stage =
  | { kind: 'choose' }
  | { kind: 'working'; label: string; fraction: number }
  | {
      kind: 'mapping';
      headings: string[];
      preview: CsvRow[];
      rowCount: number;
      encoding: InventoryEncoding;
      warnings: string[];
      mapping: ColumnMapping;
    }
  | { kind: 'rejected'; headings: string[]; validation: Validation }
  | { kind: 'ready'; headings: string[]; validation: Validation }
  | { kind: 'failed'; message: string };

/** The columns confirmed for the last file, wherever the same headings are in this one. */
function keepMapping(
  confirmed: Partial<Record<InventoryColumn, string>>,
  headings: readonly string[],
  detected: ColumnMapping,
): ColumnMapping {
  const kept = { ...detected };
  const used = new Set<number>();
  for (const column of inventoryColumns) {
    if (!(column in confirmed)) continue;
    const heading = confirmed[column];
    const index = heading === undefined ? -1 : headings.indexOf(heading);
    kept[column] = index >= 0 ? index : heading === undefined ? null : detected[column];
    if (kept[column] !== null) used.add(kept[column]);
  }
  // A heading now taken by a kept choice is not also guessed for another column.
  for (const column of inventoryColumns)
    if (!(column in confirmed) && kept[column] !== null && used.has(kept[column]))
      kept[column] = null;
  return kept;
}

export function ImportDevicesPage({ runId }: { runId: string }) {
  const view = useRecord(runId);
  const actor = useActor();
  const table = useReferenceTable();
  const [stage, setStage] = useState<Stage>({ kind: 'choose' });
  const [fileName, setFileName] = useState('');
  const [manual, setManual] = useState<Record<string, string>>({});
  // What to keep of each duplicated device: one choice for all, and any made per device.
  const [duplicateDefault, setDuplicateDefault] = useState<DuplicateChoice>('newest');
  const [duplicateChoices, setDuplicateChoices] = useState<Record<string, DuplicateChoice>>({});
  // The columns the person last confirmed, by heading: a corrected copy of the same file keeps
  // them rather than being matched afresh.
  const confirmed = useRef<Partial<Record<InventoryColumn, string>>>({});
  const worker = useRef<Worker | null>(null);
  // When each stage started, for the benchmark's figures (performance.measure).
  const started = useRef(0);
  const measure = (name: string) => {
    performance.measure(name, { start: started.current, end: performance.now() });
  };
  usePageTitle('Import devices');

  useEffect(() => {
    const w = new Worker(new URL('../../inventory/csvWorker.ts', import.meta.url), {
      type: 'module',
    });
    w.onmessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      if (reply.type === 'progress')
        setStage({
          kind: 'working',
          label: reply.stage === 'reading' ? 'Reading the file' : 'Checking every row',
          fraction: reply.fraction,
        });
      else if (reply.type === 'failed') setStage({ kind: 'failed', message: reply.message });
      else if (reply.type === 'parsed') {
        measure('reconnect:import-read');
        setStage({
          kind: 'mapping',
          ...reply,
          mapping: keepMapping(confirmed.current, reply.headings, reply.mapping),
        });
      } else {
        measure('reconnect:import-check');
        setStage(
          reply.validation.rejected.length > 0
            ? { kind: 'rejected', headings: reply.headings, validation: reply.validation }
            : { kind: 'ready', headings: reply.headings, validation: reply.validation },
        );
      }
    };
    worker.current = w;
    return () => {
      w.terminate();
    };
  }, []);

  const send = (request: WorkerRequest) => {
    worker.current?.postMessage(request);
  };

  return (
    <RecordGate view={view}>
      {({ run }) => (
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-full">
            <BackLink href={`/records/${runId}/devices`}>Back to devices</BackLink>
            {stage.kind === 'failed' && (
              <ErrorSummary
                errors={[{ href: 'inventory-file', text: stage.message }]}
                attempt={1}
                title="This file cannot be imported"
              />
            )}
            {stage.kind === 'rejected' && (
              <ErrorSummary
                attempt={1}
                title="Nothing was imported"
                errors={[
                  {
                    href: 'rejected-rows',
                    text: `${String(stage.validation.rejected.length)} of ${String(stage.validation.rejected.length + stage.validation.devices.length + stage.validation.duplicates.reduce((n, g) => n + g.rows.length, 0))} rows cannot be imported. Fix them and import the file again: a file goes in whole or not at all.`,
                  },
                ]}
              />
            )}
            <span className="nhsuk-caption-l">{run.organisation.name}</span>
            <h1>Import devices from a CSV file</h1>
            <WhoIsWorking compact />
            {(stage.kind === 'choose' || stage.kind === 'failed' || stage.kind === 'rejected') && (
              <div className="nhsuk-form-group">
                <label className="nhsuk-label nhsuk-label--s" htmlFor="inventory-file">
                  Inventory file (CSV)
                </label>
                <div className="nhsuk-hint" id="inventory-file-hint">
                  An export from SCCM, WSUS, Active Directory, a network scan or an asset register,
                  with a heading row. Separated by commas, semicolons or tabs. Up to 20 MB. Devices
                  already on this record are updated, not duplicated.
                </div>
                <input
                  className="nhsuk-file-upload__input"
                  id="inventory-file"
                  type="file"
                  accept=".csv,.txt,text/csv,text/plain"
                  aria-describedby="inventory-file-hint"
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    if (!file) return;
                    setFileName(file.name);
                    setDuplicateChoices({});
                    setStage({ kind: 'working', label: 'Reading the file', fraction: 0 });
                    started.current = performance.now();
                    send({ type: 'parse', file });
                    e.target.value = '';
                  }}
                />
              </div>
            )}
            {stage.kind === 'working' && (
              <ProgressBar label={stage.label} fraction={stage.fraction} />
            )}
            {stage.kind === 'mapping' && (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  confirmed.current = Object.fromEntries(
                    inventoryColumns.map((c) => {
                      const index = stage.mapping[c];
                      return [c, index === null ? undefined : stage.headings[index]];
                    }),
                  );
                  setStage({ kind: 'working', label: 'Checking every row', fraction: 0 });
                  started.current = performance.now();
                  send({ type: 'validate', mapping: stage.mapping });
                }}
              >
                <p>
                  <strong>{fileName}</strong>: {stage.rowCount} rows. Check which heading holds each
                  detail; Reconnect has matched the ones it recognised.
                </p>
                {stage.warnings.length > 0 && (
                  <div className="nhsuk-warning-callout">
                    <h2 className="nhsuk-warning-callout__label">
                      <span className="nhsuk-u-visually-hidden">Important: </span>
                      Check the file before importing
                    </h2>
                    {stage.warnings.map((warning) => (
                      <p key={warning}>{warning}</p>
                    ))}
                  </div>
                )}
                {stage.encoding === 'windows-1252' && (
                  <div className="nhsuk-inset-text">
                    <span className="nhsuk-u-visually-hidden">Information: </span>
                    <p>
                      This file is not UTF-8, so it was read as {encodingLabels[stage.encoding]},
                      the encoding Excel uses when saving as “CSV”. Check that names with accents or
                      symbols look right in the preview.
                    </p>
                  </div>
                )}
                <fieldset className="nhsuk-fieldset">
                  <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
                    Columns
                  </legend>
                  <div className="app-mapping">
                    {inventoryColumns.map((column: InventoryColumn) => (
                      <div className="nhsuk-form-group" key={column}>
                        <label className="nhsuk-label" htmlFor={`map-${column}`}>
                          {columnLabels[column]}
                        </label>
                        <select
                          className="nhsuk-select"
                          id={`map-${column}`}
                          value={
                            stage.mapping[column] === null ? '' : String(stage.mapping[column])
                          }
                          onChange={(e) => {
                            const value = e.target.value === '' ? null : Number(e.target.value);
                            setStage({ ...stage, mapping: { ...stage.mapping, [column]: value } });
                          }}
                        >
                          <option value="">Not in this file</option>
                          {stage.headings.map((h, i) => (
                            <option key={`${h}-${String(i)}`} value={String(i)}>
                              {h || `Column ${String(i + 1)}`}
                            </option>
                          ))}
                        </select>
                      </div>
                    ))}
                  </div>
                </fieldset>
                <h2 className="nhsuk-heading-m">Preview</h2>
                <div
                  className="app-table-scroll"
                  role="region"
                  aria-label="Preview of the first rows"
                  tabIndex={0}
                >
                  <DataTable
                    caption="The first rows of the file, as they will be read"
                    captionHidden
                    rows={stage.preview}
                    rowKey={(row) => row.line}
                    columns={[
                      { header: 'Line', cell: (row) => row.line },
                      ...inventoryColumns
                        .filter((c) => stage.mapping[c] !== null)
                        .map((c) => ({
                          header: columnLabels[c],
                          cell: (row: (typeof stage.preview)[number]) =>
                            row.cells[stage.mapping[c] ?? 0],
                        })),
                    ]}
                  />
                </div>
                <button type="submit" className="nhsuk-button">
                  Check every row
                </button>
              </form>
            )}
            {stage.kind === 'rejected' && (
              <>
                <h2 className="nhsuk-heading-m" id="rejected-rows" tabIndex={-1}>
                  Rows that cannot be imported
                </h2>
                <p>
                  <button
                    type="button"
                    className="nhsuk-button nhsuk-button--secondary"
                    onClick={() => {
                      downloadText(
                        `rejected-rows-${fileName}`,
                        rejectedToCsv(stage.headings, stage.validation.rejected),
                        'text/csv',
                      );
                    }}
                  >
                    Download the rejected rows (CSV)
                  </button>
                </p>
                <div
                  className="app-table-scroll"
                  role="region"
                  aria-label="Rejected rows"
                  tabIndex={0}
                >
                  <DataTable
                    caption="Rejected rows and why"
                    captionHidden
                    rows={stage.validation.rejected.slice(0, 200)}
                    rowKey={(row) => row.line}
                    columns={[
                      { header: 'Line', cell: (row) => row.line },
                      { header: 'Why', cell: (row) => row.reasons.join('; ') },
                    ]}
                  />
                </div>
                {stage.validation.rejected.length > 200 && (
                  <p>The first 200 are shown; the download has them all.</p>
                )}
              </>
            )}
            {stage.kind === 'ready' &&
              (() => {
                const { devices, outcomes } = resolveDuplicates(
                  stage.validation,
                  duplicateChoices,
                  duplicateDefault,
                );
                return (
                  <>
                    <div className="nhsuk-inset-text">
                      <span className="nhsuk-u-visually-hidden">Information: </span>
                      <p>
                        Every row can be imported: <strong>{devices.length} devices</strong> from{' '}
                        {fileName}.
                      </p>
                    </div>
                    {stage.validation.duplicates.length > 0 && (
                      <DuplicateChoices
                        validation={stage.validation}
                        outcomes={outcomes}
                        fallback={duplicateDefault}
                        setFallback={setDuplicateDefault}
                        choices={duplicateChoices}
                        setChoice={(key, choice) => {
                          setDuplicateChoices({ ...duplicateChoices, [key]: choice });
                        }}
                      />
                    )}
                    {stage.validation.unknownOs.length > 0 && (
                      <fieldset className="nhsuk-fieldset">
                        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
                          Operating systems not recognised
                        </legend>
                        <p>
                          Reconnect could not tell which Windows release these are, so it cannot say
                          which updates they need. Choose one for each, or leave them to map later
                          on the devices page.
                        </p>
                        {stage.validation.unknownOs.map((os) => (
                          <div className="nhsuk-form-group" key={os.key}>
                            <label className="nhsuk-label" htmlFor={`os-${os.key}`}>
                              {[os.caption, os.version, os.servicePack]
                                .filter(Boolean)
                                .join(' · ') || 'No operating system recorded'}{' '}
                              ({os.count} {os.count === 1 ? 'device' : 'devices'})
                            </label>
                            <div className="nhsuk-hint" id={`os-${os.key}-hint`}>
                              {os.because}
                            </div>
                            <select
                              className="nhsuk-select"
                              id={`os-${os.key}`}
                              aria-describedby={`os-${os.key}-hint`}
                              value={manual[os.key] ?? ''}
                              onChange={(e) => {
                                setManual({ ...manual, [os.key]: e.target.value });
                              }}
                            >
                              <option value="">Leave unrecognised</option>
                              {table?.rows.map((row) => (
                                <option key={row.id} value={row.id}>
                                  {row.label}
                                </option>
                              ))}
                            </select>
                          </div>
                        ))}
                      </fieldset>
                    )}
                    <button
                      type="button"
                      className="nhsuk-button"
                      onClick={() => {
                        if (!actor.name) {
                          setStage({
                            kind: 'failed',
                            message: 'Tell us who is working before importing.',
                          });
                          return;
                        }
                        const chosen = Object.fromEntries(
                          Object.entries(manual).filter(([, v]) => v),
                        );
                        setStage({ kind: 'working', label: 'Storing the devices', fraction: 0.5 });
                        started.current = performance.now();
                        importDevices(
                          runId,
                          devices,
                          { file: fileName, actor: actor.name },
                          chosen,
                        ).then(
                          (outcome) => {
                            measure('reconnect:import-store');
                            navigate(
                              `/records/${runId}/devices?imported=${String(outcome.added)}-${String(outcome.updated)}`,
                            );
                          },
                          (error: unknown) => {
                            setStage({
                              kind: 'failed',
                              message: `Nothing was imported: ${error instanceof Error ? error.message : String(error)}`,
                            });
                          },
                        );
                      }}
                    >
                      Import {devices.length} devices
                    </button>
                  </>
                );
              })()}
          </div>
        </div>
      )}
    </RecordGate>
  );
}

/** What to keep of each device the file lists more than once, and what that keeps. */
function DuplicateChoices({
  validation,
  outcomes,
  fallback,
  setFallback,
  choices,
  setChoice,
}: {
  validation: Validation;
  outcomes: ReturnType<typeof resolveDuplicates>['outcomes'];
  fallback: DuplicateChoice;
  setFallback: (choice: DuplicateChoice) => void;
  choices: Record<string, DuplicateChoice>;
  setChoice: (key: string, choice: DuplicateChoice) => void;
}) {
  const groups = validation.duplicates;
  const anyLastLogon = groups.some((g) => g.hasLastLogon);
  const options = (hasLastLogon: boolean): DuplicateChoice[] =>
    hasLastLogon ? ['newest', 'first', 'skip'] : ['first', 'skip'];
  const shown = groups.slice(0, 100);
  const outcomeOf = new Map(outcomes.map((o) => [o.key, o]));
  return (
    <section aria-labelledby="duplicates-title">
      <h2 className="nhsuk-heading-m" id="duplicates-title">
        {groups.length === 1
          ? 'One device is listed more than once'
          : `${String(groups.length)} devices are listed more than once`}
      </h2>
      <p>
        The same hostname is on more than one row (a re-imaged PC often is). Choose which row to
        keep for each, or skip the device. Nothing is stored until you import.
      </p>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor="duplicates-all">
          For every device listed more than once
        </label>
        <select
          className="nhsuk-select"
          id="duplicates-all"
          value={fallback}
          onChange={(e) => {
            setFallback(e.target.value as DuplicateChoice);
          }}
        >
          {options(anyLastLogon).map((o) => (
            <option key={o} value={o}>
              {duplicateChoiceLabels[o]}
            </option>
          ))}
        </select>
      </div>
      <div
        className="app-table-scroll"
        role="region"
        aria-label="Devices listed more than once"
        tabIndex={0}
      >
        <DataTable
          caption="Devices listed more than once, and what will be kept"
          captionHidden
          rows={shown}
          rowKey={(g) => g.key}
          columns={[
            { header: 'Device', cell: (g) => g.name },
            {
              header: 'Rows',
              cell: (g) =>
                g.rows
                  .map(
                    (r) =>
                      `line ${String(r.line)}${r.lastLogon ? ` (last logon ${r.lastLogon})` : ''}`,
                  )
                  .join('; '),
            },
            {
              header: 'Keep',
              cell: (g) => (
                <select
                  className="nhsuk-select"
                  aria-label={`What to keep of ${g.name}`}
                  value={
                    choices[g.key] ??
                    (fallback === 'newest' && !g.hasLastLogon ? 'first' : fallback)
                  }
                  onChange={(e) => {
                    setChoice(g.key, e.target.value as DuplicateChoice);
                  }}
                >
                  {options(g.hasLastLogon).map((o) => (
                    <option key={o} value={o}>
                      {duplicateChoiceLabels[o]}
                    </option>
                  ))}
                </select>
              ),
            },
            {
              header: 'Will keep',
              cell: (g) => {
                const outcome = outcomeOf.get(g.key);
                if (!outcome) return '';
                return outcome.kept === null
                  ? 'Nothing: skipped'
                  : `Line ${String(outcome.kept)}: ${outcome.because}`;
              },
            },
          ]}
        />
      </div>
      {groups.length > shown.length && (
        <p>
          The first {shown.length} are listed; the other {groups.length - shown.length} take the
          choice for every device above.
        </p>
      )}
    </section>
  );
}
