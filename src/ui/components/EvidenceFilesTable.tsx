// The evidence files attached to a record, with the SHA-256 digest that lets a reader match a
// file kept elsewhere to the one the record names. Shown on the summary and in the record.
import { formatBytes } from '../storage.ts';
import { DataTable } from './DataTable.tsx';

interface EvidenceFile {
  name: string;
  size: number;
  sha256: string;
}

export function EvidenceFilesTable({ files }: { files: readonly EvidenceFile[] }) {
  return (
    <DataTable
      caption="Evidence files"
      captionHidden
      rows={files}
      rowKey={(f, i) => `${i}-${f.sha256}`}
      columns={[
        { header: 'File', cell: (f) => f.name },
        { header: 'Size', className: 'app-nowrap', cell: (f) => formatBytes(f.size) },
        { header: 'SHA-256', className: 'app-mono', cell: (f) => f.sha256 },
      ]}
    />
  );
}
