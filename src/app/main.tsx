// Entry point: styles, then the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../ui/styles/main.scss';
import { App } from './App.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// For `npm run bench` only (a build in "bench" mode): the app's own save path, so the benchmark
// can time an action to its commit without the browser's rendering of a mouse click. Loaded
// only when called, so it does not change what the first page downloads.
if (import.meta.env.MODE === 'bench') {
  (window as unknown as { reconnectBench: unknown }).reconnectBench = {
    appendEvent: async (...args: Parameters<(typeof import('../db/runs.ts'))['appendEvent']>) =>
      (await import('../db/runs.ts')).appendEvent(...args),
  };
}
