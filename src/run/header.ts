// What a run is about, fixed when it starts: the organisation, the checklist version it pins,
// and who started it when. The header is hashed into the first link of the event chain, so
// changing it afterwards breaks the chain like changing any event would.
import { z } from 'zod';
import { odsCodePattern } from './odsCode.ts';

export const OrganisationSchema = z.strictObject({
  name: z
    .string({ error: 'Enter the organisation name' })
    .trim()
    .min(1, 'Enter the organisation name')
    .max(200, 'The organisation name must be 200 characters or fewer'),
  odsCode: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .refine((v) => v === '' || odsCodePattern.test(v), {
      error:
        'Enter an ODS code of 3 to 6 letters and numbers, like RNQ or A81001, or leave it blank',
    })
    .optional(),
  site: z.string().trim().max(200, 'The site must be 200 characters or fewer').optional(),
  incidentReference: z
    .string()
    .trim()
    .max(100, 'The incident reference must be 100 characters or fewer')
    .optional(),
});
export type Organisation = z.infer<typeof OrganisationSchema>;

export interface ChecklistPin {
  id: string;
  version: string;
  contentHash: string;
}

export interface RunHeader {
  runId: string;
  kind: 'organisation' | 'device';
  organisation: Organisation;
  checklist: ChecklistPin;
  /** For a device's clearance run: the organisation record and the device it belongs to. */
  parentRunId?: string;
  deviceId?: string;
  /** For a new revision of a signed record: the record it revises. */
  revisionOf?: { runId: string; recordDigest: string };
  createdAt: string;
  createdBy: string;
}

/** Drops blank optional organisation details so they are absent rather than empty. */
export function normaliseOrganisation(input: Organisation): Organisation {
  const out: Organisation = { name: input.name.trim() };
  if (input.odsCode?.trim()) out.odsCode = input.odsCode.trim().toUpperCase();
  if (input.site?.trim()) out.site = input.site.trim();
  if (input.incidentReference?.trim()) out.incidentReference = input.incidentReference.trim();
  return out;
}
