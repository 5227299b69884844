// The composition root: layout, routes, storage status and the update prompt.
import { Layout } from '../ui/Layout.tsx';
import { useLocation } from '../ui/router.ts';
import { useStorageStatus } from '../ui/storage.ts';
import { renderRoute } from './routes.tsx';
import { useServiceWorkerPrompts } from './UpdatePrompt.tsx';

export function App() {
  const location = useLocation();
  const storage = useStorageStatus();
  const prompts = useServiceWorkerPrompts();
  return (
    <Layout
      location={location}
      storage={storage}
      banner={prompts.update}
      footerNotice={prompts.offlineNotice}
    >
      {renderRoute(location)}
    </Layout>
  );
}
