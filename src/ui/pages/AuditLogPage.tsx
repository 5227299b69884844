// A record's audit log: every event in order — who, when, what changed — and a check of the
// hash chain that says "intact" or names the first broken event.
import type { MachineEvent } from '../../checklist/events.ts';
import type { CompiledChecklist } from '../../checklist/machine.ts';
import { useEvents } from '../../db/hooks.ts';
import { headerOf } from '../../db/runs.ts';
import { describeLog } from '../../run/audit.ts';
import { verifyChain } from '../../run/log.ts';
import { DataTable } from '../components/DataTable.tsx';
import { BackLink } from '../components/BackLink.tsx';
import { RecordGate } from '../components/RecordGate.tsx';
import { formatDateTime } from '../format.ts';
import { usePageTitle } from '../usePageTitle.ts';
import { useRecord } from '../useRecord.ts';
import '../styles/pages.scss';

const actionWords: Record<MachineEvent['type'], string> = {
  'step.save': 'Saved a draft',
  'step.complete': 'Completed',
  'step.not-applicable': 'Marked not applicable',
  'step.risk-accept': 'Asked for risk acceptance',
  'step.approve': 'Approved',
  'step.reject': 'Sent back',
  'step.reopen': 'Reopened to correct',
  'run.return': 'Sent the record back',
  'run.signoff': 'Signed (staged sign-off)',
  'run.lock': 'Signed off and locked',
};

function stepTitle(compiled: CompiledChecklist, event: MachineEvent): string | null {
  return 'stepId' in event ? (compiled.index.steps.get(event.stepId)?.title ?? event.stepId) : null;
}

export function AuditLogPage({ runId }: { runId: string }) {
  const view = useRecord(runId);
  const events = useEvents(runId);
  usePageTitle('Audit log');
  return (
    <RecordGate view={view}>
      {({ run, compiled }) => {
        if (events.state === 'loading') return <p role="status">Loading the audit log…</p>;
        const check = verifyChain(headerOf(run), events.value);
        const changes = describeLog(
          compiled,
          events.value.map((e) => e.event),
        );
        const headMatches =
          check.intact && (events.value.length === 0 || check.head === run.head.hash);
        return (
          <>
            <BackLink href={`/records/${runId}`}>Back to {run.organisation.name}</BackLink>
            <h1>Audit log</h1>
            <p>
              Record for {run.organisation.name}, started by {run.createdBy} on{' '}
              {formatDateTime(run.createdAt)} on {compiled.definition.title} version{' '}
              {run.checklist.version}.
            </p>
            {check.intact && headMatches ? (
              <div
                className="nhsuk-notification-banner nhsuk-notification-banner--success"
                role="status"
              >
                <div className="nhsuk-notification-banner__content">
                  <p className="nhsuk-notification-banner__heading">Hash chain intact</p>
                  <p>
                    All {check.length} events link to the record’s details and to each other. Head
                    hash: <span className="app-mono">{check.head}</span>
                  </p>
                </div>
              </div>
            ) : (
              <div className="nhsuk-error-summary" role="alert" tabIndex={-1}>
                <h2 className="nhsuk-error-summary__title">Hash chain broken</h2>
                <div className="nhsuk-error-summary__body">
                  <p>
                    {check.intact
                      ? 'The events link correctly, but the record’s stored head does not match the last event.'
                      : `The first broken event is number ${String(check.brokenAt)}: ${check.reason}.`}{' '}
                    Everything from there on cannot be trusted as recorded.
                  </p>
                </div>
              </div>
            )}
            <div className="app-table-scroll" role="region" aria-label="Events" tabIndex={0}>
              <DataTable
                caption="Every event, oldest first"
                rows={events.value}
                rowKey={(entry) => entry.seq}
                columns={[
                  {
                    header: '#',
                    cell: (entry) => (
                      <>
                        {entry.seq}
                        {!check.intact && entry.seq >= check.brokenAt && (
                          <strong className="nhsuk-tag nhsuk-tag--red app-tag-inline">
                            broken
                          </strong>
                        )}
                      </>
                    ),
                  },
                  {
                    header: 'When',
                    className: 'app-nowrap',
                    cell: (entry) => formatDateTime(entry.event.at),
                  },
                  { header: 'Who', cell: (entry) => entry.event.actor.name },
                  {
                    header: 'What',
                    cell: (entry) => {
                      const title = stepTitle(compiled, entry.event);
                      return (
                        <>
                          {actionWords[entry.event.type]}
                          {title && <>: {title}</>}
                        </>
                      );
                    },
                  },
                  {
                    header: 'Details',
                    cell: (_entry, i) => {
                      const lines = changes[i] ?? [];
                      return lines.length > 0 ? (
                        <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                          {lines.map((c, j) => (
                            <li key={j} className="app-pre-wrap">
                              {c}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        '—'
                      );
                    },
                  },
                ]}
              />
            </div>
          </>
        );
      }}
    </RecordGate>
  );
}
