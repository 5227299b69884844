// Web Worker: reads, parses and checks an inventory CSV off the main thread, reporting progress,
// so a 10,000-device file never freezes the page. The main thread only stores the result.
import '../checklist/jitless.ts';
import { detectMapping, type ColumnMapping } from './columns.ts';
import {
  decodeInventory,
  maxInventoryBytes,
  parseInventoryCsv,
  tooLargeMessage,
  type ParsedCsv,
} from './csv.ts';
import { validateInventory } from './validate.ts';
import type { WorkerReply, WorkerRequest } from './workerProtocol.ts';

let parsed: ParsedCsv | null = null;

function reply(message: WorkerReply): void {
  (self as unknown as { postMessage: (m: WorkerReply) => void }).postMessage(message);
}

async function handle(request: WorkerRequest): Promise<void> {
  if (request.type === 'parse') {
    parsed = null;
    if (request.file.size > maxInventoryBytes) {
      reply({ type: 'failed', message: tooLargeMessage(request.file.size) });
      return;
    }
    reply({ type: 'progress', stage: 'reading', fraction: 0 });
    const { text, encoding, warnings } = decodeInventory(
      new Uint8Array(await request.file.arrayBuffer()),
    );
    const result = parseInventoryCsv(text, (fraction) => {
      reply({ type: 'progress', stage: 'reading', fraction });
    });
    if (!result.ok) {
      reply({ type: 'failed', message: result.message });
      return;
    }
    parsed = result.csv;
    reply({
      type: 'parsed',
      headings: result.csv.headings,
      preview: result.csv.rows.slice(0, 10),
      rowCount: result.csv.rows.length,
      encoding,
      warnings: [...warnings, ...result.csv.warnings],
      mapping: detectMapping(result.csv.headings),
    });
    return;
  }
  if (!parsed) {
    reply({ type: 'failed', message: 'Choose the file again: it is no longer loaded.' });
    return;
  }
  reply({ type: 'progress', stage: 'checking', fraction: 0 });
  const mapping: ColumnMapping = request.mapping;
  const validation = validateInventory(parsed, mapping);
  reply({ type: 'progress', stage: 'checking', fraction: 1 });
  reply({ type: 'validated', headings: parsed.headings, validation });
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  handle(event.data).catch((error: unknown) => {
    reply({
      type: 'failed',
      message: `The file could not be read: ${error instanceof Error ? error.message : String(error)}`,
    });
  });
};
