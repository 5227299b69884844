// The record bundle: one JSON document that carries records between devices by hand (a USB
// stick, a shared drive) — run headers, every event, the checklists they pin, the inventory,
// evidence files stored once by SHA-256, signed records, approvers' public keys, fork
// resolutions — with a signed manifest of run heads and part digests. This zod schema is the
// only source of the format; checklists/schema/bundle.schema.json is generated from it.
import { z } from 'zod';
import { MachineEventSchema } from '../checklist/events.ts';
import { OrganisationSchema } from '../run/header.ts';
import { ApproverKeySchema, PublicApproverSchema, PublicJwkSchema } from '../record/keys.ts';

export const BUNDLE_FORMAT = 'reconnect-bundle';
export const BUNDLE_FORMAT_VERSION = 1;
/** The JWS "typ" of a bundle's manifest signature. */
export const BUNDLE_JWS_TYPE = 'reconnect-bundle-manifest+jws';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 digest in lower-case hex');
const fingerprint = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a key fingerprint');
const instant = z.iso.datetime({ offset: true });
const idText = z.string().min(1).max(100);
const shortText = z.string().max(500);

export const ChecklistPinSchema = z.strictObject({
  id: idText,
  version: z.string().max(50),
  contentHash: sha256,
});

export const RunHeaderSchema = z.strictObject({
  runId: idText,
  kind: z.enum(['organisation', 'device']),
  organisation: OrganisationSchema,
  checklist: ChecklistPinSchema,
  parentRunId: idText.optional(),
  deviceId: idText.optional(),
  revisionOf: z.strictObject({ runId: idText, recordDigest: sha256 }).optional(),
  createdAt: instant,
  createdBy: z.string().min(1).max(200),
});

export const LogEntrySchema = z.strictObject({
  runId: idText,
  seq: z.int().min(1),
  event: MachineEventSchema,
  prevHash: sha256,
  hash: sha256,
});

export const PinnedChecklistSchema = z.strictObject({
  contentHash: sha256,
  /** The definition exactly as hashed: checked against contentHash, then compiled. */
  definition: z.record(z.string(), z.json()),
});

export const InventoryDeviceSchema = z.strictObject({
  id: idText,
  key: z.string().min(1).max(300),
  hostname: shortText.optional(),
  assetTag: shortText.optional(),
  ip: shortText.optional(),
  mac: shortText.optional(),
  osCaption: shortText.optional(),
  osVersion: shortText.optional(),
  servicePack: shortText.optional(),
  osRow: z.string().max(200).nullable(),
  osBecause: shortText,
  location: shortText.optional(),
  owner: shortText.optional(),
  deviceClass: shortText.optional(),
  lastLogon: shortText.optional(),
  identifiers: z.record(z.string().max(200), z.string().max(500)).optional(),
  source: z.strictObject({
    file: shortText,
    line: z.int().min(0),
    importedAt: instant,
    importedBy: z.string().max(200),
  }),
});

export const InventorySchema = z.strictObject({
  orgRunId: idText,
  devices: z.array(InventoryDeviceSchema),
  updatedAt: instant,
});

export const FileMetaSchema = z.strictObject({
  id: idText,
  runId: idText,
  stepId: z.string().min(1).max(200),
  fieldId: z.string().min(1).max(200),
  name: z.string().max(255),
  type: z.string().max(255),
  size: z.int().min(0),
  sha256,
  addedAt: instant,
  addedBy: z.string().max(200),
});

/** A file's bytes, once per SHA-256 however many evidence fields list it. */
export const BlobSchema = z.strictObject({ sha256, base64: z.string() });

export const SignedRecordSchema = z.strictObject({
  recordId: idText,
  runId: idText,
  digest: sha256,
  /** The exported file, byte for byte: verified again on import. */
  text: z.string().min(1),
  signer: z.strictObject({
    name: z.string().max(200),
    role: z.string().max(200),
    keyFingerprint: fingerprint,
  }),
  outcome: z.enum(['approved', 'approved-with-conditions']),
  createdAt: instant,
});

export const ForkResolutionSchema = z.strictObject({
  id: idText,
  runId: idText,
  /** The head of the branch kept (before the other branch's actions were replayed on it). */
  keptHead: sha256,
  /** The head of the branch not kept: it stays stored and verifiable. */
  abandonedHead: sha256,
  /** For two device runs of one device: the run not kept. */
  abandonedRunId: idText.optional(),
  resolvedBy: z.string().min(1).max(200),
  resolvedAt: instant,
  /** Each replayed action: the event it repeats, and the new event on the kept branch. */
  replayed: z.array(z.strictObject({ from: sha256, to: sha256 })),
  /** Actions the machine refused on the kept branch: for a person to redo. */
  refused: z.array(
    z.strictObject({ from: sha256, what: z.string().max(1000), why: z.string().max(2000) }),
  ),
});
export type ForkResolution = z.infer<typeof ForkResolutionSchema>;

export const SettingSchema = z.strictObject({ key: z.string().min(1).max(200), value: z.json() });

/** Approvers travel as public keys; a full backup may, if the user chose, carry wrapped keys. */
export const BundleApproverSchema = z.union([ApproverKeySchema, PublicApproverSchema]);

export const PartsSchema = z.strictObject({
  checklists: z.array(PinnedChecklistSchema),
  runs: z.array(RunHeaderSchema),
  events: z.array(LogEntrySchema),
  inventories: z.array(InventorySchema),
  files: z.array(FileMetaSchema),
  blobs: z.array(BlobSchema),
  signedRecords: z.array(SignedRecordSchema),
  approvers: z.array(BundleApproverSchema),
  resolutions: z.array(ForkResolutionSchema),
  /** Only in a full backup: this device's settings. */
  settings: z.array(SettingSchema),
});
export type Parts = z.infer<typeof PartsSchema>;
export type PartName = keyof Parts;
export const partNames = [
  'checklists',
  'runs',
  'events',
  'inventories',
  'files',
  'blobs',
  'signedRecords',
  'approvers',
  'resolutions',
  'settings',
] as const satisfies readonly PartName[];

export const BundleKindSchema = z.enum([
  /** One or more records, to continue on another device. */
  'handoff',
  /** Everything on a device. */
  'backup',
  /** A record for an approver to review and sign on their own device. */
  'signoff-request',
  /** What an approver did (signed, sent back, approved a step), back to the technician. */
  'signoff-reply',
]);
export type BundleKind = z.infer<typeof BundleKindSchema>;

export const DeviceIdentitySchema = z.strictObject({
  id: idText,
  /** What the person called this device when its key was made, e.g. "Ward laptop 3". */
  name: z.string().min(1).max(200),
  publicJwk: PublicJwkSchema,
  fingerprint,
});
export type DeviceIdentity = z.infer<typeof DeviceIdentitySchema>;

export const ManifestSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  kind: BundleKindSchema,
  createdAt: instant,
  /** The person working on the device that made it. */
  createdBy: z.string().min(1).max(200),
  device: DeviceIdentitySchema,
  /** The organisation records it is about (empty for a backup of an empty device). */
  records: z.array(z.strictObject({ runId: idText, organisation: z.string().max(200) })),
  /** Each run's head as the sending device had it: last seq and hash. */
  heads: z.array(z.strictObject({ runId: idText, seq: z.int().min(0), hash: z.string() })),
  /** A SHA-256 of each part's canonical JSON, and how many items it holds. */
  parts: z.strictObject(
    Object.fromEntries(
      partNames.map((name) => [name, z.strictObject({ count: z.int().min(0), sha256 })]),
    ) as Record<PartName, z.ZodObject<{ count: z.ZodInt; sha256: typeof sha256 }>>,
  ),
  /** True only for a backup whose maker ticked "include approver keys". */
  includesWrappedKeys: z.boolean(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export const BundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  manifest: ManifestSchema,
  /** ES256 flattened JWS over the manifest's RFC 8785 form, with the payload left out. */
  signature: z.strictObject({ protected: z.string(), signature: z.string() }),
  parts: PartsSchema,
});
export type Bundle = z.infer<typeof BundleSchema>;

export function emptyParts(): Parts {
  return {
    checklists: [],
    runs: [],
    events: [],
    inventories: [],
    files: [],
    blobs: [],
    signedRecords: [],
    approvers: [],
    resolutions: [],
    settings: [],
  };
}
