// A status as an NHS tag, from the one status map (statusTags.ts).
import { statusTag, type StatusKind } from '../statusTags.ts';

export function StatusTag({ kind }: { kind: StatusKind }) {
  const { label, className } = statusTag(kind);
  return <strong className={className}>{label}</strong>;
}
