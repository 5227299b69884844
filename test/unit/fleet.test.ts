// The fleet roll-up rules: a device counts only when cleared, or isolated under an approved
// exception. (The organisation step gated on the fleet is tested on the real checklist in
// test/checklists/reconnection-branches.test.ts.)
import { describe, expect, it } from 'vitest';
import { initialRunState } from '../../src/run/replay.ts';
import { clearanceStatus, fleetSummary, isFleetClear } from '../../src/run/fleet.ts';
import { ev, fixture, run } from '../helpers/checklists.ts';

describe('fleet summary', () => {
  it('counts cleared and excepted devices as done, everything else as outstanding', () => {
    expect(
      fleetSummary(['cleared', 'excepted', 'in-progress', 'needs-approval', 'not-started']),
    ).toEqual({
      total: 5,
      cleared: 1,
      excepted: 1,
      outstanding: 3,
    });
    expect(isFleetClear(fleetSummary(['cleared', 'excepted']))).toBe(true);
    expect(isFleetClear(fleetSummary([]))).toBe(true);
    expect(isFleetClear(fleetSummary(['needs-approval']))).toBe(false);
  });
});

describe('a device’s clearance status from its run', () => {
  const c = fixture('per-device');

  it('is not started, then in progress, then needs approval, then excepted once approved', () => {
    expect(clearanceStatus(c, initialRunState(c))).toBe('not-started');
    const events = [
      ev.complete('identify', { os: 'os-a' }),
      ev.complete('patch', { 'driver-version': '1.0', kbs: 'KB1000000' }),
    ];
    expect(clearanceStatus(c, run(c, events.slice(0, 1)))).toBe('in-progress');
    const risky = [...events, ev.risk('exception', 'Isolated on VLAN 99')];
    expect(clearanceStatus(c, run(c, risky))).toBe('needs-approval');
    expect(clearanceStatus(c, run(c, [...risky, ev.approve('exception', 'Risk owner')]))).toBe(
      'excepted',
    );
  });

  it('is cleared when complete with no risk accepted', () => {
    const state = run(c, [
      ev.complete('identify', { os: 'os-a' }),
      ev.complete('patch', { 'driver-version': '6.1.7601.23689', kbs: 'KB4012212' }),
      ev.complete('kb-note', { note: 'ok' }),
    ]);
    expect(clearanceStatus(c, state)).toBe('cleared');
  });
});
