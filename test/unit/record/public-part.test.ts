// What travels of an approver between devices: everything but the wrapped private key,
// including the roles they hold, so that the receiving device offers them the same decisions.
import { describe, expect, it } from 'vitest';
import { createApproverKey, publicPart } from '../../../src/record/keys.ts';

describe('publicPart', () => {
  it('keeps the roles and drops the private key', async () => {
    const approver = {
      ...(await createApproverKey({
        name: 'Dr Alison Hart',
        role: 'SIRO',
        passphrase: 'a long passphrase here',
      })),
      roles: ['siro', 'incident-lead'],
    };
    const shared = publicPart(approver);
    expect(shared.roles).toEqual(['siro', 'incident-lead']);
    expect('wrapped' in shared).toBe(false);
    expect(shared.fingerprint).toBe(approver.fingerprint);
  });

  it('leaves roles out for an approver registered before roles existed', async () => {
    const approver = await createApproverKey({
      name: 'Mark Ellison',
      role: 'IT lead',
      passphrase: 'another long passphrase',
    });
    expect('roles' in publicPart(approver)).toBe(false);
  });
});
