// The route table: which page answers which path. Pages other than the home page load on
// demand, so the first paint stays small; the service worker precaches every chunk.
import { lazy, Suspense, type ReactNode } from 'react';
import { matchPath, type RouteParams } from '../ui/router.ts';
import { HomePage } from '../ui/pages/HomePage.tsx';
import { NotFoundPage } from '../ui/pages/NotFoundPage.tsx';

const NewRecordPage = lazy(() =>
  import('../ui/pages/NewRecordPage.tsx').then((m) => ({ default: m.NewRecordPage })),
);
const RecordPage = lazy(() =>
  import('../ui/pages/RecordPage.tsx').then((m) => ({ default: m.RecordPage })),
);
const StepPage = lazy(() =>
  import('../ui/pages/StepPage.tsx').then((m) => ({ default: m.StepPage })),
);
const AuditLogPage = lazy(() =>
  import('../ui/pages/AuditLogPage.tsx').then((m) => ({ default: m.AuditLogPage })),
);
const FleetPage = lazy(() =>
  import('../ui/pages/FleetPage.tsx').then((m) => ({ default: m.FleetPage })),
);
const ImportDevicesPage = lazy(() =>
  import('../ui/pages/ImportDevicesPage.tsx').then((m) => ({ default: m.ImportDevicesPage })),
);
const DevicePage = lazy(() =>
  import('../ui/pages/DevicePage.tsx').then((m) => ({ default: m.DevicePage })),
);
const SummaryPage = lazy(() =>
  import('../ui/pages/SummaryPage.tsx').then((m) => ({ default: m.SummaryPage })),
);
const CompletionRecordPage = lazy(() =>
  import('../ui/pages/CompletionRecordPage.tsx').then((m) => ({ default: m.CompletionRecordPage })),
);
const ApproversPage = lazy(() =>
  import('../ui/pages/ApproversPage.tsx').then((m) => ({ default: m.ApproversPage })),
);
const VerifyPage = lazy(() =>
  import('../ui/pages/VerifyPage.tsx').then((m) => ({ default: m.VerifyPage })),
);
const DeleteRecordPage = lazy(() =>
  import('../ui/pages/DeleteRecordPage.tsx').then((m) => ({ default: m.DeleteRecordPage })),
);
const ExchangePage = lazy(() =>
  import('../ui/pages/ExchangePage.tsx').then((m) => ({ default: m.ExchangePage })),
);
const SyncPage = lazy(() =>
  import('../ui/pages/SyncPage.tsx').then((m) => ({ default: m.SyncPage })),
);
const VersionsPage = lazy(() =>
  import('../ui/pages/VersionsPage.tsx').then((m) => ({ default: m.VersionsPage })),
);

interface Route {
  pattern: string;
  render: (params: RouteParams) => ReactNode;
}

const id = (params: RouteParams, key: string) => params[key] ?? '';

export const routes: Route[] = [
  { pattern: '/', render: () => <HomePage /> },
  { pattern: '/records/new', render: () => <NewRecordPage /> },
  { pattern: '/approvers', render: () => <ApproversPage /> },
  { pattern: '/verify', render: () => <VerifyPage /> },
  { pattern: '/share', render: () => <ExchangePage /> },
  { pattern: '/sync', render: () => <SyncPage /> },
  {
    pattern: '/records/:runId/versions',
    render: (p) => <VersionsPage runId={id(p, 'runId')} />,
  },
  { pattern: '/records/:runId/summary', render: (p) => <SummaryPage runId={id(p, 'runId')} /> },
  {
    pattern: '/records/:runId/record',
    render: (p) => <CompletionRecordPage runId={id(p, 'runId')} />,
  },
  { pattern: '/records/:runId', render: (p) => <RecordPage runId={id(p, 'runId')} /> },
  { pattern: '/records/:runId/log', render: (p) => <AuditLogPage runId={id(p, 'runId')} /> },
  { pattern: '/records/:runId/delete', render: (p) => <DeleteRecordPage runId={id(p, 'runId')} /> },
  { pattern: '/records/:runId/devices', render: (p) => <FleetPage runId={id(p, 'runId')} /> },
  {
    pattern: '/records/:runId/devices/import',
    render: (p) => <ImportDevicesPage runId={id(p, 'runId')} />,
  },
  {
    pattern: '/records/:runId/devices/:deviceId',
    render: (p) => <DevicePage runId={id(p, 'runId')} deviceId={id(p, 'deviceId')} />,
  },
  {
    pattern: '/records/:runId/steps/:stepId',
    render: (p) => <StepPage runId={id(p, 'runId')} stepId={id(p, 'stepId')} />,
  },
];

export function renderRoute(location: string): ReactNode {
  for (const route of routes) {
    const params = matchPath(route.pattern, location);
    if (params)
      return <Suspense fallback={<p role="status">Loading…</p>}>{route.render(params)}</Suspense>;
  }
  return <NotFoundPage />;
}
