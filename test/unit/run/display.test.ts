// Dates as people read them, written out in the UK form without the browser's locale data.
import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatLocalDateTime,
  formatSourceDate,
} from '../../../src/run/display.ts';

/** What the browser's own locale data writes for a moment, to compare with. */
const localMoment = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

describe('dates as people read them', () => {
  it('reads a day as "18 April 2018", the same on every call', () => {
    expect(formatDate('2018-04-18')).toBe('18 April 2018');
    expect(formatDate('2017-05-12')).toBe('12 May 2017');
    expect(formatDate('2018-04-18')).toBe('18 April 2018');
  });

  it('leaves what is not a date as it was written', () => {
    expect(formatDate('next Tuesday')).toBe('next Tuesday');
    expect(formatDate('2018-4-18')).toBe('2018-4-18');
  });

  it('reads a source date as a day or a month', () => {
    expect(formatSourceDate('2017-05-14')).toBe('14 May 2017');
    expect(formatSourceDate('2017-05')).toBe('May 2017');
    expect(formatSourceDate('2017-06')).toBe('June 2017');
  });

  it('reads a local date and time, and a moment, as the toLocale methods would', () => {
    expect(formatLocalDateTime('2017-05-15T08:30')).toBe('15 May 2017 at 08:30');
    expect(formatLocalDateTime('2017-05-15')).toBe('15 May 2017');
    const iso = '2017-05-15T08:30:00.000Z';
    const expected = localMoment(iso);
    expect(formatDateTime(iso)).toBe(expected);
    expect(formatDateTime(iso)).toBe(expected);
    expect(formatDateTime('not a moment')).toBe('not a moment');
  });
});

describe('every day of a year, written out', () => {
  it('matches what the browser locale would write, for each day of 2017 and 2024', () => {
    for (const year of [2017, 2024])
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
        const iso = new Date(t).toISOString().slice(0, 10);
        const expected = new Date(t).toLocaleDateString('en-GB', {
          day: 'numeric',
          month: 'long',
          year: 'numeric',
          timeZone: 'UTC',
        });
        expect(formatDate(iso)).toBe(expected);
      }
  });

  it('matches the browser locale for a moment at each hour of a day', () => {
    for (let h = 0; h < 24; h++) {
      const iso = new Date(Date.UTC(2017, 4, 15, h, 7)).toISOString();
      const expected = localMoment(iso);
      expect(formatDateTime(iso)).toBe(expected);
    }
  });
});
