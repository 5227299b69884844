// Dotted version numbers (e.g. srv.sys 6.1.7601.23689), compared numerically part by part:
// 6.1.7601.23689 is newer than 6.1.7601.3689, which a string comparison gets wrong.

export function parseVersion(text: string): number[] | null {
  if (!/^\d+(?:\.\d+){1,3}$/.test(text.trim())) return null;
  return text
    .trim()
    .split('.')
    .map((part) => Number(part));
}

/** Negative when a < b, zero when equal, positive when a > b. Missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) throw new Error(`not a dotted version: ${!pa ? a : b}`);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

export function versionAtLeast(version: string, minimum: string): boolean {
  return compareVersions(version, minimum) >= 0;
}
