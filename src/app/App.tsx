// The composition root: layout, routes, storage status and the update prompt.
import { Layout } from '../ui/Layout.tsx';
import { useLocation } from '../ui/router.ts';
import { useStorageStatus } from '../ui/storage.ts';
import { renderRoute } from './routes.tsx';
import { UpdatePrompt } from './UpdatePrompt.tsx';

export function App() {
  const location = useLocation();
  const storage = useStorageStatus();
  return (
    <Layout location={location} storage={storage} banner={<UpdatePrompt />}>
      {renderRoute(location)}
    </Layout>
  );
}
