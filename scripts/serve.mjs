// Serves the built app (dist/) on localhost and prints its address. `npm start` runs this
// after installing and building. PORT overrides the default 4173.
import { existsSync } from 'node:fs';
import { preview } from 'vite';

if (!existsSync('dist/index.html')) {
  console.error('There is no build in dist/. Run `npm start` (installs, builds and serves).');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 4173);
const server = await preview({
  logLevel: 'warn',
  preview: { port, strictPort: false, host: 'localhost', open: false },
});
const address = server.httpServer.address();
const actualPort = typeof address === 'object' && address ? address.port : port;
console.log('');
console.log(`  Reconnect is running at http://localhost:${actualPort}/`);
console.log('');
console.log('  Open it once with this server running; after that it works with no network.');
console.log('  Press Ctrl+C to stop the server.');
