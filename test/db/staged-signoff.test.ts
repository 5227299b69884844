// Staged sign-off on the database: the go-ahead signed before any link decision, each decision
// taken by a holder of the role the checklist names (and refused to others), then the closure
// that names the go-ahead by digest — both records verifying in the app and in the script,
// every approval signature included.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendEvent, createRun } from '../../src/db/runs.ts';
import { readinessReport } from '../../src/db/readiness.ts';
import { decideStep, registerApprover, signOff } from '../../src/db/signoff.ts';
import { verifyRecordFile } from '../../src/record/verify.ts';
import { verifyRecordBytes } from '../../scripts/verify-record.mjs';
import { ev, fixture } from '../helpers/checklists.ts';
import { freshDatabase } from './helpers.ts';

const passphrase = 'correct horse battery staple';
const staged = () => fixture('staged', join(import.meta.dirname, '../fixtures/staged-checklist'));

describe('staged sign-off', () => {
  it('signs the go-ahead, takes link decisions by role, then signs the closure', async () => {
    const db = freshDatabase();
    const c = staged();
    const run = await createRun(
      {
        organisation: { name: 'Staged Trust', odsCode: 'RNQ' },
        checklist: { definition: c.definition, contentHash: c.contentHash },
        actor: 'Sam',
      },
      db,
    );
    const runId = run.runId;
    const siro = await registerApprover(
      { name: 'Sipho Siro', role: 'Director', passphrase, roles: ['siro'] },
      db,
    );
    const lead = await registerApprover(
      { name: 'Ines Lead', role: 'Head of IT', passphrase, roles: ['incident-lead'] },
      db,
    );
    const decide = (stepId: string, approver: typeof siro) =>
      decideStep(
        { runId, stepId, approver, passphrase, decision: 'approve', text: 'Agreed', actor: 'Sam' },
        db,
      );
    const sign = (approver: typeof siro) =>
      signOff(
        {
          runId,
          approver,
          passphrase,
          decision: { outcome: 'approved' },
          statement: 'Signed.',
          actor: approver.name,
        },
        db,
      );

    await appendEvent(runId, ev.complete('patched', { note: 'All patched' }), db);
    // The SIRO's step, refused to the incident lead with the reason, before the passphrase.
    await expect(decide('patched', lead)).rejects.toMatchObject({
      rejection: { code: 'role-missing' },
    });
    await decide('patched', siro);

    // The go-ahead is ready while the link decision and the after step are still open.
    const before = await readinessReport(runId, db);
    expect(before.stage.id).toBe('go-ahead');
    expect(before.ready).toBe(true);
    expect(before.statuses.get('go-link')?.kind).toBe('cannot-start');
    await expect(sign(lead)).rejects.toMatchObject({ rejection: { code: 'role-missing' } });
    const goAhead = await sign(siro);

    // It locks what it covers; the link decision opens, bound to it.
    await expect(
      appendEvent(runId, ev.reopen('patched', 'A late change'), db),
    ).rejects.toMatchObject({ rejection: { code: 'step-locked' } });
    await appendEvent(runId, ev.complete('go-link', { decision: 'reconnect' }), db);
    await expect(decide('go-link', siro)).rejects.toMatchObject({
      rejection: {
        code: 'role-missing',
        message: expect.stringContaining('Incident lead') as unknown,
      },
    });
    await decide('go-link', lead);
    await appendEvent(runId, ev.complete('watched', { note: 'Quiet week' }), db);

    const after = await readinessReport(runId, db);
    expect(after.stage.id).toBe('closure');
    expect(after.ready).toBe(true);
    const closure = await sign(siro);

    const rows = await db.signedRecords.where('runId').equals(runId).sortBy('createdAt');
    expect(rows.map((r) => r.stage?.id)).toEqual(['go-ahead', 'closure']);
    const [first, second] = await Promise.all(rows.map((r) => verifyRecordFile(r.text)));
    if (!first?.valid || !second?.valid) throw new Error('a staged record did not verify');
    expect(first.digest).toBe(goAhead.digest);
    expect(first.record.formatVersion).toBe(2);
    expect(first.record.steps.map((s) => s.id)).toEqual(['patched']);
    expect(first.record.stage).toMatchObject({ id: 'go-ahead', closes: false });
    expect(second.digest).toBe(closure.digest);
    expect(second.record.steps.map((s) => s.id)).toEqual(['patched', 'go-link', 'watched']);
    expect(second.record.stage?.previous).toEqual({
      id: 'go-ahead',
      title: 'Go-ahead to reconnect',
      recordDigest: goAhead.digest,
    });
    const link = second.record.steps.find((s) => s.id === 'go-link');
    expect(link && 'approval' in link ? link.approval?.takenAs : null).toEqual({
      id: 'incident-lead',
      title: 'Incident lead',
    });
    expect(second.approvals.map((a) => [a.stepId, a.verdict])).toEqual([
      ['patched', 'valid'],
      ['go-link', 'valid'],
    ]);
    expect(second.record.approvers?.map((a) => a.name).sort()).toEqual(['Ines Lead', 'Sipho Siro']);

    // The script outside the app agrees, approval signatures included.
    for (const row of rows) {
      const script = verifyRecordBytes(new TextEncoder().encode(row.text));
      expect(script.valid).toBe(true);
      if (script.valid) expect(script.approvals.every((a) => a.verdict === 'valid')).toBe(true);
    }
  }, 120_000);
});
