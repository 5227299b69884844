// Facts given when a record starts, carried into the step that asks for them: the form's
// starting values, and the one value the summary, the record and its print show.
import { describe, expect, it } from 'vitest';
import { prefillFor, sharedFacts } from '../../src/run/facts.ts';
import { shipped } from '../helpers/checklists.ts';

const started = {
  name: 'Wessex Vale Hospitals NHS Foundation Trust',
  odsCode: 'R9Z',
  incidentReference: 'WVH-INC-2017-0512',
};

describe('facts given when the record started', () => {
  const c = shipped('org-reconnection');
  const openRecord = c.index.steps.get('open-record');
  if (!openRecord) throw new Error('no open-record step');

  it('prefills the first step with the organisation, ODS code and incident reference', () => {
    expect(prefillFor(openRecord, started)).toEqual({
      organisation: started.name,
      'ods-code': 'R9Z',
      'incident-reference': 'WVH-INC-2017-0512',
    });
  });

  it('prefills only what was given', () => {
    expect(prefillFor(openRecord, { name: 'Small Trust', odsCode: '  ' })).toEqual({
      organisation: 'Small Trust',
    });
  });

  it('shows the facts as given while the step has no answer', () => {
    expect(sharedFacts(c.definition, started, {})).toEqual(started);
    expect(
      sharedFacts(c.definition, started, { 'open-record': { evidence: { organisation: '  ' } } }),
    ).toEqual(started);
  });

  it('shows the step’s answer once it has one: the incident reference given only there too', () => {
    const facts = sharedFacts(
      c.definition,
      { name: 'Wessex Vale', odsCode: 'R9Z' },
      {
        'open-record': {
          evidence: {
            organisation: 'Wessex Vale Hospitals NHS Foundation Trust ',
            'ods-code': 'r9z',
            'incident-reference': 'WVH-INC-2017-0512',
          },
        },
      },
    );
    expect(facts).toEqual(started);
  });

  it('keeps the ODS code as given when the answer is not a well-formed code', () => {
    const facts = sharedFacts(c.definition, started, {
      'open-record': { evidence: { organisation: started.name, 'ods-code': 'not a code' } },
    });
    expect(facts.odsCode).toBe('R9Z');
  });

  it('carries nothing from a checklist whose fields name no fact', () => {
    const device = shipped('device-clearance');
    expect(
      sharedFacts(device.definition, started, {
        identify: { evidence: { hostname: 'PC1', location: 'Ward 1' } },
      }),
    ).toEqual(started);
  });
});
