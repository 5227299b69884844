// What a record page shows while its record loads, when it does not exist, or fails to load.
import type { ReactNode } from 'react';
import type { RecordView } from '../useRecord.ts';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { SyncStatusLine } from './SyncStatus.tsx';

export function RecordGate({
  view,
  children,
}: {
  view: RecordView;
  children: (ready: Extract<RecordView, { state: 'ready' }>) => ReactNode;
}) {
  if (view.state === 'loading') return <p role="status">Loading the record…</p>;
  if (view.state === 'missing') return <NotFoundPage />;
  if (view.state === 'error')
    return (
      <div className="nhsuk-error-summary" role="alert">
        <h1 className="nhsuk-error-summary__title">This record cannot be opened</h1>
        <div className="nhsuk-error-summary__body">
          <p>{view.message}</p>
        </div>
      </div>
    );
  return (
    <>
      <SyncStatusLine />
      {children(view)}
    </>
  );
}
