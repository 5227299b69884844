// Date hints give examples the form accepts: made from today, in the past where a date must
// not be in the future, and ahead where it must be in the future.
import { describe, expect, it } from 'vitest';
import { validateEvidence } from '../../src/checklist/fields.ts';
import { futureDateExample, pastDateExample } from '../../src/ui/dateExample.ts';
import { fixture } from '../helpers/checklists.ts';

const localIso = (d: Date) =>
  `${String(d.getFullYear())}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

describe('date examples', () => {
  const days = [
    new Date(2026, 10, 30),
    new Date(2026, 0, 3),
    new Date(2024, 1, 29),
    new Date(2026, 11, 31),
    new Date(2026, 10, 30, 23, 59),
  ];

  it.each(days)('from %s: one behind, one ahead, written as the boxes take them', (today) => {
    const past = pastDateExample(today);
    const future = futureDateExample(today);
    expect(past.iso < localIso(today)).toBe(true);
    expect(future.iso > localIso(today)).toBe(true);
    for (const { text, iso } of [past, future]) {
      const [d, m, y] = text.split(' ');
      expect(`${y ?? ''}-${(m ?? '').padStart(2, '0')}-${(d ?? '').padStart(2, '0')}`).toBe(iso);
    }
  });

  it('gives a past example that a “not in the future” date field accepts today', () => {
    const step = fixture('field-types').index.steps.get('everything');
    if (!step) throw new Error('no step');
    const field = step.fields.find((f) => f.id === 'day');
    expect(field).toMatchObject({ type: 'date', notInFuture: true });
    const result = validateEvidence(
      { ...step, fields: field ? [field] : [] },
      {
        day: pastDateExample().iso,
      },
    );
    expect(result.ok).toBe(true);
    expect(futureDateExample().iso > new Date().toISOString().slice(0, 10)).toBe(true);
  });
});
