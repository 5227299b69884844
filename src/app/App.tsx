// The composition root: layout, routes, storage status and the update prompt.
import { Layout } from '../ui/Layout';
import { useLocation } from '../ui/router';
import { useStorageStatus } from '../ui/storage';
import { renderRoute } from './routes';
import { UpdatePrompt } from './UpdatePrompt';

export function App() {
  const location = useLocation();
  const storage = useStorageStatus();
  return (
    <Layout location={location} storage={storage} banner={<UpdatePrompt />}>
      {renderRoute(location)}
    </Layout>
  );
}
