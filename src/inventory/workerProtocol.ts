// Messages between the page and the inventory worker.
import type { ColumnMapping } from './columns.ts';
import type { CsvRow, InventoryEncoding } from './csv.ts';
import type { Validation } from './validate.ts';

export type WorkerRequest =
  { type: 'parse'; file: File } | { type: 'validate'; mapping: ColumnMapping };

export type WorkerReply =
  | { type: 'progress'; stage: 'reading' | 'checking'; fraction: number }
  | { type: 'failed'; message: string }
  | {
      type: 'parsed';
      headings: string[];
      preview: CsvRow[];
      rowCount: number;
      /** How the bytes were read: anything but UTF-8 is said on the preview. */
      encoding: InventoryEncoding;
      /** What was read but should be checked by a person before importing. */
      warnings: string[];
      mapping: ColumnMapping;
    }
  | { type: 'validated'; headings: string[]; validation: Validation };
