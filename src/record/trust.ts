// Whether the key that signed a record belongs to an approver registered on this device: the
// signature shows a file is intact, never who holds the key. Rows may be full approvers or,
// later, public keys imported from another device (no private key): both count as known.

export type SignerTrust =
  /** The key is registered here under the name the record gives. */
  | { kind: 'known'; name: string; role: string }
  /** The key is registered here, but under another name than the record gives. */
  | { kind: 'other-name'; registeredAs: string; role: string }
  /** No approver here has the key (someone of the record's name may have another key). */
  | { kind: 'unknown'; sameNameOtherKey: boolean };

export function signerTrust(
  signer: { name: string; fingerprint: string },
  approvers: readonly { name?: unknown; role?: unknown; fingerprint?: unknown }[],
): SignerTrust {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const same = (a: string, b: string) =>
    a.trim().toLocaleLowerCase('en-GB') === b.trim().toLocaleLowerCase('en-GB');
  const byKey = approvers.find((a) => a.fingerprint === signer.fingerprint);
  if (byKey)
    return same(text(byKey.name), signer.name)
      ? { kind: 'known', name: text(byKey.name), role: text(byKey.role) }
      : { kind: 'other-name', registeredAs: text(byKey.name), role: text(byKey.role) };
  return {
    kind: 'unknown',
    sameNameOtherKey: approvers.some((a) => same(text(a.name), signer.name)),
  };
}
