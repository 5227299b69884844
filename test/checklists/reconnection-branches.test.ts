// The shipped reconnection checklists, walked down their important branches: infected against
// precautionary, patch proved or not, unsupported and medical devices, the rebuild path, the
// per-link go or no-go approvals and the device roll-up gate.
import { describe, expect, it } from 'vitest';
import { applyEvent, replay } from '../../src/run/replay.ts';
import { progressOf, stepStatuses } from '../../src/run/status.ts';
import { ev, kinds, run, shipped } from '../helpers/checklists.ts';
import type { MachineEvent } from '../../src/checklist/events.ts';
import { answers, approve, complete, risk, walk, type Answers } from '../helpers/walk.ts';

// ---------------------------------------------------------------------------------------------
// Organisation
// ---------------------------------------------------------------------------------------------

describe('org-reconnection', () => {
  const c = shipped('org-reconnection');
  const everyLink = ['national-network', 'internet', 'email', 'third-party', 'internal'];
  const precaution = {
    'infection-status': { 'any-infected': false, 'device-count': 0 },
    disconnections: { links: everyLink },
  };
  const infected = {
    'infection-status': { 'any-infected': true, 'device-count': 4 },
    disconnections: { links: everyLink },
  };

  it('precautionary: the credential reset and report are not needed', () => {
    const state = run(c, walk(c, precaution, 'disconnections'));
    expect(kinds(c, state)).toMatchObject({
      'infection-status': 'completed',
      'report-infection': 'not-needed',
      'credential-reset': 'not-needed',
    });
    const attempt = applyEvent(c, state, ev.complete('credential-reset', {}));
    expect(attempt.ok ? null : attempt.rejection.code).toBe('condition-false');
  });

  it('precautionary: the indicator sweep, DoublePulsar sweep and log review still apply', () => {
    const state = run(c, walk(c, precaution, 'disconnections'));
    const k = kinds(c, state);
    expect(k['ioc-sweep']).toBe('not-started');
    expect(k['doublepulsar-sweep']).not.toBe('not-needed');
    expect(k['log-review']).toBe('not-started');
  });

  it('infected: the report, indicator sweep and credential reset become required', () => {
    const state = run(c, walk(c, infected, 'disconnections'));
    expect(kinds(c, state)).toMatchObject({
      'report-infection': 'completed',
      'ioc-sweep': 'not-started',
      'credential-reset': 'not-started',
    });
  });

  it('infected: no link can be reconnected until the credentials are reset', () => {
    const events = walk(c, infected, 'credential-reset');
    const state = run(c, events);
    const status = stepStatuses(c, state).get('go-national-network');
    expect(status?.kind).toBe('cannot-start');
    if (status?.kind === 'cannot-start') expect(status.waitingFor).toContain('credential-reset');
  });

  it('asks for the out-of-band update only when there are Windows XP, 2003 or 8 devices', () => {
    const none = run(
      c,
      walk(c, { ...precaution, 'estate-inventory': { 'oob-count': 0 } }, 'verification-scan'),
    );
    expect(kinds(c, none)['out-of-band-update']).toBe('not-needed');
    const some = run(
      c,
      walk(c, { ...precaution, 'estate-inventory': { 'oob-count': 12 } }, 'out-of-band-update'),
    );
    expect(kinds(c, some)['out-of-band-update']).toBe('not-started');
  });

  it('needs an approver to accept the risk of unpatched devices left connected', () => {
    const given = { ...precaution, 'unpatchable-devices': { 'left-connected': true } };
    const events = walk(c, given, 'unpatchable-risk');
    let state = run(c, events);
    expect(kinds(c, state)['unpatchable-risk']).toBe('not-started');
    expect(applyEvent(c, state, ev.complete('unpatchable-risk', {})).ok).toBe(false);
    // The answers (which devices, how isolated, what watches them) go with the request.
    const bare = applyEvent(c, state, ev.risk('unpatchable-risk', 'Isolated on VLAN 90'));
    expect(bare.ok ? null : bare.rejection.code).toBe('evidence-invalid');
    state = run(c, [...events, risk(c, 'unpatchable-risk', 'Isolated on VLAN 90')]);
    expect(state.context.steps['unpatchable-risk']?.evidence).toEqual(
      answers(c, 'unpatchable-risk'),
    );
    expect(kinds(c, state)['unpatchable-risk']).toBe('needs-approval');
    state = run(c, [...events, risk(c, 'unpatchable-risk'), approve(c, 'unpatchable-risk')]);
    expect(kinds(c, state)['unpatchable-risk']).toBe('risk-accepted');

    const notLeft = run(
      c,
      walk(c, { ...precaution, 'unpatchable-devices': { 'left-connected': false } }, 'log-review'),
    );
    expect(kinds(c, notLeft)['unpatchable-risk']).toBe('not-needed');
  });

  describe('the device roll-up gate', () => {
    const events = walk(c, precaution, 'fleet-clearance');

    it('refuses a roll-up with a device outstanding', () => {
      const attempt = replay(c, [
        ...events,
        ev.complete(
          'fleet-clearance',
          {},
          {
            fleet: { total: 3, cleared: 2, excepted: 0, outstanding: 1 },
          },
        ),
      ]);
      expect(attempt.rejected.map((r) => r.rejection.code)).toEqual(['fleet-not-cleared']);
      expect(kinds(c, attempt.state)['fleet-clearance']).toBe('not-started');
    });

    it('refuses to complete without a roll-up at all', () => {
      const attempt = replay(c, [...events, ev.complete('fleet-clearance', {})]);
      expect(attempt.rejected.map((r) => r.rejection.code)).toEqual(['fleet-not-cleared']);
    });

    it('refuses a roll-up with no devices in it: an empty inventory proves nothing', () => {
      const attempt = replay(c, [
        ...events,
        ev.complete(
          'fleet-clearance',
          {},
          { fleet: { total: 0, cleared: 0, excepted: 0, outstanding: 0 } },
        ),
      ]);
      expect(attempt.rejected.map((r) => r.rejection.message)).toEqual([
        'No devices are on this record yet. Import the device inventory, then clear or except every device.',
      ]);
    });

    it('accepts a roll-up where every device is cleared or under an approved exception', () => {
      const state = run(c, [
        ...events,
        ev.complete(
          'fleet-clearance',
          {},
          {
            fleet: { total: 3, cleared: 2, excepted: 1, outstanding: 0 },
          },
        ),
      ]);
      expect(kinds(c, state)['fleet-clearance']).toBe('completed');
    });

    it('keeps every link waiting until the roll-up is accepted', () => {
      const status = stepStatuses(c, run(c, events)).get('go-internal');
      expect(status?.kind).toBe('cannot-start');
      if (status?.kind === 'cannot-start') expect(status.waitingFor).toContain('fleet-clearance');
    });
  });

  describe('go or no-go, one link at a time', () => {
    const ready = walk(c, precaution, 'go-internal');
    const links = [
      'go-internal',
      'go-nhsmail',
      'go-national-network',
      'go-internet',
      'go-third-party',
    ];

    it('opens every link decision once the readiness steps are resolved', () => {
      const k = kinds(c, run(c, ready));
      for (const link of links) expect(k[link], link).toBe('not-started');
      expect(k['interfaces-checked']).toBe('cannot-start');
    });

    it('needs an approver for a go decision', () => {
      const submitted = [
        ...ready,
        ev.complete('go-national-network', answers(c, 'go-national-network')),
      ];
      expect(kinds(c, run(c, submitted))['go-national-network']).toBe('needs-approval');
      const approved = [...submitted, approve(c, 'go-national-network')];
      const state = run(c, approved);
      expect(kinds(c, state)['go-national-network']).toBe('completed');
      expect(state.context.steps['go-national-network']?.resolution?.approval?.roleId).toBe(
        'incident-lead',
      );
    });

    it('refuses a go decision not taken in the incident lead role, saying which role it needs', () => {
      const submitted = [
        ...ready,
        ev.complete('go-national-network', answers(c, 'go-national-network')),
      ];
      const asSiro = {
        ...ev.approve('go-national-network'),
        approver: { name: 'Pat Manager', role: 'SIRO', roleId: 'siro' },
      } as MachineEvent;
      const result = applyEvent(c, run(c, submitted), asSiro);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.rejection.code).toBe('role-missing');
        expect(result.rejection.message).toContain('Incident lead');
      }
    });

    it('holds every link decision back until the go-ahead is signed, then locks what it covers', () => {
      const before = walk(c, precaution, []).filter((e) => e.type !== 'run.signoff');
      // Stop at the go-ahead: the steps it covers are resolved, the link decisions wait.
      const upTo = before.slice(
        0,
        before.findIndex((e) => 'stepId' in e && c.index.phaseOf.get(e.stepId) === 'reconnect'),
      );
      const k = kinds(c, run(c, upTo));
      expect(k['go-internal']).toBe('cannot-start');
      const early = applyEvent(
        c,
        run(c, upTo),
        ev.complete('go-internal', answers(c, 'go-internal')),
      );
      expect(early.ok).toBe(false);
      if (!early.ok) expect(early.rejection.code).toBe('signoff-needed');
      const signed = [
        ...upTo,
        {
          type: 'run.signoff',
          signoff: 'go-ahead',
          recordDigest: 'b'.repeat(64),
          actor: { name: 'Pat Manager' },
          at: '2017-05-16T09:00:00.000Z',
        } as MachineEvent,
      ];
      const after = run(c, signed);
      expect(kinds(c, after)['go-internal']).not.toBe('cannot-start');
      const change = applyEvent(c, after, ev.reopen('open-record', 'A typo'));
      expect(change.ok).toBe(false);
      if (!change.ok) expect(change.rejection.code).toBe('step-locked');
      // The closing lock needs every step; the go-ahead alone does not close the record.
      expect(after.context.locked).toBeUndefined();
    });

    it('lets a link that comes only through another be marked not applicable, with approval', () => {
      const marked = [...ready, ev.na('go-internet', 'Internet access comes only through N3')];
      expect(kinds(c, run(c, marked))['go-internet']).toBe('needs-approval');
      const state = run(c, [...marked, approve(c, 'go-internet')]);
      expect(kinds(c, state)['go-internet']).toBe('not-applicable');
      const noReason = applyEvent(c, run(c, ready), ev.na('go-internet', '  '));
      expect(noReason.ok ? null : noReason.rejection.code).toBe('reason-missing');
    });

    it('mixes approved and not-applicable links, then checks interfaces after all five', () => {
      // A go decision needs no "kept disconnected" record.
      expect(kinds(c, run(c, [...ready, ...complete(c, 'go-internal')]))['hold-internal']).toBe(
        'not-needed',
      );
      const decided = [
        ...ready,
        ...complete(c, 'go-internal'),
        ...complete(c, 'go-nhsmail'),
        ...complete(c, 'go-national-network'),
        ev.na('go-internet', 'Never cut: internet comes through N3'),
        approve(c, 'go-internet'),
      ];
      let k = kinds(c, run(c, decided));
      expect(k).toMatchObject({
        'go-internal': 'completed',
        'go-nhsmail': 'completed',
        'go-national-network': 'completed',
        'go-internet': 'not-applicable',
        'go-third-party': 'not-started',
        'interfaces-checked': 'cannot-start',
      });
      const all = [
        ...decided,
        ev.na('go-third-party', 'No third-party link was cut'),
        approve(c, 'go-third-party'),
      ];
      k = kinds(c, run(c, all));
      expect(k['interfaces-checked']).toBe('not-started');
    });

    it('reaches completion, with recovery declared by an approver', () => {
      const events = walk(c, precaution);
      const state = run(c, events);
      expect(progressOf(stepStatuses(c, state)).complete).toBe(true);
      expect(state.context.steps['recovery-complete']?.resolution?.approval).toBeDefined();
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Device
// ---------------------------------------------------------------------------------------------

describe('device-clearance', () => {
  const c = shipped('device-clearance');
  const device = (os: string, vendorControlled = false) => ({
    identify: { os, 'vendor-controlled': vendorControlled },
  });
  const clean = { 'infection-check': { infected: false } };

  /** Walks a clean device up to its exception (if it needs one) or its clearance. */
  function patched(os: string, srvSys: string | undefined, extra: Record<string, Answers> = {}) {
    return walk(
      c,
      {
        ...device(os),
        ...clean,
        'patch-evidence': { 'srv-sys-version': srvSys, 'installed-kbs': ['KB4012216'] },
        'smbv1-state': { disabled: true },
        ...extra,
      },
      ['exception', 'clearance'],
    );
  }

  describe('a supported version with a minimum Microsoft published', () => {
    it('srv.sys at the minimum: no scan and no exception needed', () => {
      const k = kinds(c, run(c, patched('server-2012-r2', '6.3.9600.18604')));
      expect(k).toMatchObject({
        'patch-evidence': 'completed',
        'network-scan': 'not-needed',
        'smbv1-state': 'completed',
        exception: 'not-needed',
        clearance: 'not-started',
      });
    });

    it('srv.sys above the minimum (compared part by part): no exception needed', () => {
      const k = kinds(c, run(c, patched('server-2008-r2-sp1', '6.1.7601.23807')));
      expect(k).toMatchObject({ 'network-scan': 'not-needed', exception: 'not-needed' });
    });

    it('srv.sys below the minimum: an exception is needed, whatever the scan says', () => {
      const events = patched('server-2012-r2', '6.3.9600.17031', {
        'network-scan': { result: 'patched' },
      });
      const k = kinds(c, run(c, events));
      expect(k['network-scan']).toBe('completed');
      expect(k.exception).toBe('not-started');
    });

    it('SMBv1 left on: an exception is needed even when patched', () => {
      const events = patched('server-2016', '10.0.14393.953', {
        'smbv1-state': { disabled: false },
      });
      expect(kinds(c, run(c, events)).exception).toBe('not-started');
    });
  });

  describe('a version whose minimum is only inferred (Windows 8.1)', () => {
    it('srv.sys at the inferred minimum is not enough: the scan must say patched', () => {
      const upToScan = walk(
        c,
        {
          ...device('windows-8-1'),
          ...clean,
          'patch-evidence': { 'srv-sys-version': '6.3.9600.18604' },
        },
        'network-scan',
      );
      expect(kinds(c, run(c, upToScan))['network-scan']).toBe('not-started');

      const agreed = patched('windows-8-1', '6.3.9600.18604', {
        'network-scan': { result: 'patched' },
      });
      expect(kinds(c, run(c, agreed)).exception).toBe('not-needed');

      for (const result of ['vulnerable', 'could-not-connect', 'no-answer', 'inconclusive']) {
        const untested = patched('windows-8-1', '6.3.9600.18604', {
          'network-scan': { result },
        });
        expect(kinds(c, run(c, untested)).exception, result).toBe('not-started');
      }
    });
  });

  describe('a version with no known minimum', () => {
    it('Windows 10 1511: the srv.sys version alone cannot clear it; the scan decides', () => {
      const highVersion = '10.0.10586.9999';
      const upToScan = walk(
        c,
        {
          ...device('windows-10-1511'),
          ...clean,
          'patch-evidence': { 'srv-sys-version': highVersion },
        },
        'network-scan',
      );
      const before = kinds(c, run(c, upToScan));
      expect(before['network-scan']).toBe('not-started');
      expect(before.exception).toBe('cannot-start');

      const passed = patched('windows-10-1511', highVersion, {
        'network-scan': { result: 'patched' },
      });
      expect(kinds(c, run(c, passed)).exception).toBe('not-needed');

      const failed = patched('windows-10-1511', highVersion, {
        'network-scan': { result: 'could-not-connect' },
      });
      expect(kinds(c, run(c, failed)).exception).toBe('not-started');
    });

    it('a list of installed updates, even with superseded ones, never clears a device', () => {
      const events = walk(
        c,
        {
          ...device('server-2012-r2'),
          ...clean,
          'patch-evidence': {
            'srv-sys-version': undefined,
            'installed-kbs': ['KB3205409', 'KB4012216'],
          },
          'network-scan': { result: 'inconclusive' },
          'smbv1-state': { disabled: true },
        },
        ['exception', 'clearance'],
      );
      const k = kinds(c, run(c, events));
      expect(k['network-scan']).toBe('completed');
      expect(k.exception).toBe('not-started');
    });
  });

  describe('an unsupported version (Windows XP)', () => {
    it('needs an approved exception even when patched, scanned clean and SMB turned off', () => {
      const events = patched('windows-xp-sp3-x86', '5.1.2600.9999', {
        'patch-evidence': { 'srv-sys-version': '5.1.2600.9999', 'installed-kbs': ['KB4012598'] },
        'network-scan': { result: 'patched' },
      });
      let state = run(c, events);
      expect(kinds(c, state)).toMatchObject({
        'network-scan': 'completed',
        exception: 'not-started',
        clearance: 'cannot-start',
      });
      state = run(c, [...events, risk(c, 'exception', 'Legacy segment, SMB blocked')]);
      expect(kinds(c, state).exception).toBe('needs-approval');
      state = run(c, [...events, risk(c, 'exception'), approve(c, 'exception')]);
      expect(kinds(c, state)).toMatchObject({
        exception: 'risk-accepted',
        clearance: 'not-started',
      });
    });
  });

  describe('a medical or supplier-controlled device', () => {
    const given = { ...device('windows-xp-embedded-sp3', true), ...clean };

    it('is never patched by the technician: it goes to the manufacturer and the exception', () => {
      const events = walk(c, given, 'manufacturer-position');
      const state = run(c, events);
      expect(kinds(c, state)).toMatchObject({
        protection: 'not-needed',
        'manufacturer-position': 'not-started',
        'patch-evidence': 'not-needed',
        'network-scan': 'not-needed',
        'smbv1-state': 'not-needed',
        exception: 'cannot-start',
      });
      const attempt = applyEvent(
        c,
        state,
        ev.complete('patch-evidence', {
          'srv-sys-version': '5.1.2600.7208',
          'installed-kbs': ['KB4012598'],
        }),
      );
      expect(attempt.ok ? null : attempt.rejection.code).toBe('condition-false');
    });

    it('needs the exception approved, whatever the manufacturer says, before clearance', () => {
      const events = walk(
        c,
        { ...given, 'manufacturer-position': { position: 'patched' } },
        'exception',
      );
      expect(kinds(c, run(c, events)).exception).toBe('not-started');
      expect(applyEvent(c, run(c, events), ev.complete('exception', {})).ok).toBe(false);

      const requested = [...events, risk(c, 'exception', 'Own VLAN; manufacturer case 1234')];
      expect(kinds(c, run(c, requested))).toMatchObject({
        exception: 'needs-approval',
        clearance: 'cannot-start',
      });
      const approved = [...requested, approve(c, 'exception')];
      const done = [...approved, ...complete(c, 'clearance', { zone: 'isolated-segment' })];
      const state = run(c, done);
      expect(kinds(c, state)).toMatchObject({ exception: 'risk-accepted', clearance: 'completed' });
      expect(progressOf(stepStatuses(c, state)).complete).toBe(true);
    });
  });

  describe('an infected device', () => {
    const rebuild = [
      'isolate-device',
      'preserve-evidence',
      'reset-device-credentials',
      'rebuild-device',
      'restore-clean-data',
      'update-on-clean-network',
    ];

    it('a clean device skips the rebuild path', () => {
      const state = run(c, walk(c, { ...device('server-2016'), ...clean }, 'protection'));
      for (const id of rebuild) expect(kinds(c, state)[id], id).toBe('not-needed');
    });

    it('is isolated, rebuilt and updated on a clean network, in NCSC order, before patch evidence', () => {
      const given = { ...device('windows-7-sp1'), 'infection-check': { infected: true } };
      const first = walk(c, given, 'isolate-device');
      const state = run(c, first);
      expect(kinds(c, state)).toMatchObject({
        'isolate-device': 'not-started',
        'preserve-evidence': 'cannot-start',
        'rebuild-device': 'cannot-start',
        protection: 'cannot-start',
        'patch-evidence': 'cannot-start',
      });
      const early = applyEvent(
        c,
        state,
        ev.complete('rebuild-device', answers(c, 'rebuild-device')),
      );
      expect(early.ok ? null : early.rejection.code).toBe('prerequisite-missing');

      // Each rebuild step opens only after the one before it.
      let events = first;
      for (const [i, id] of rebuild.entries()) {
        const k = kinds(c, run(c, events));
        expect(k[id], id).toBe('not-started');
        const next = rebuild[i + 1];
        if (next) expect(k[next], next).toBe('cannot-start');
        events = [...events, ...complete(c, id)];
      }
      const k = kinds(c, run(c, events));
      expect(k.protection).toBe('not-started');
      expect(k['patch-evidence']).toBe('not-started');
    });

    it('continues as a rebuilt device and can be cleared', () => {
      const events = walk(c, {
        ...device('server-2012'),
        'infection-check': { infected: true },
        'patch-evidence': { 'srv-sys-version': '6.2.9200.22099' },
        'smbv1-state': { disabled: true },
      });
      const state = run(c, events);
      const k = kinds(c, state);
      for (const id of rebuild) expect(k[id], id).toBe('completed');
      expect(k).toMatchObject({ exception: 'not-needed', clearance: 'completed' });
      expect(progressOf(stepStatuses(c, state)).complete).toBe(true);
    });
  });
});

describe('smb-boundary-block', () => {
  const c = shipped('smb-boundary-block');

  it('is not complete with a boundary left open until an approver accepts the risk', () => {
    const events = walk(c, { 'block-smb-ports': { 'blocked-at-all': false } });
    const state = run(c, events);
    // walk resolves every open step the quickest allowed way: here, by accepting the risk.
    expect(kinds(c, state)['open-boundary-risk']).toBe('risk-accepted');
    const before = walk(
      c,
      { 'block-smb-ports': { 'blocked-at-all': false } },
      'open-boundary-risk',
    );
    expect(progressOf(stepStatuses(c, run(c, before))).complete).toBe(false);
  });

  it('is not complete while a retest still reaches a port', () => {
    const given = {
      'test-block': { result: 'some-open' },
      'fix-open-ports': { 'retest-result': false },
    };
    const before = walk(c, given, 'open-boundary-risk');
    expect(kinds(c, run(c, before))['open-boundary-risk']).toBe('not-started');
    expect(progressOf(stepStatuses(c, run(c, before))).complete).toBe(false);
  });

  it('needs no risk acceptance when every boundary is blocked and the test agrees', () => {
    const state = run(
      c,
      walk(c, {
        'test-block': { result: 'all-filtered', tested: ['inbound-tcp', 'outbound-tcp', 'udp'] },
      }),
    );
    expect(kinds(c, state)).toMatchObject({
      'fix-open-ports': 'not-needed',
      'open-boundary-risk': 'not-needed',
    });
    expect(progressOf(stepStatuses(c, state)).complete).toBe(true);
  });
});
