// The NHS date input (day, month, year), with a time box for date-and-time fields, holding its
// value as the ISO text the evidence schema checks ("2017-05-16", "2017-05-16T10:30").
import { useState } from 'react';

const inputClass = (error: string | undefined, extra = '') =>
  `nhsuk-input${extra ? ` ${extra}` : ''}${error ? ' nhsuk-input--error' : ''}`;

interface DatePartValues {
  day: string;
  month: string;
  year: string;
  time: string;
}

/** "1430", "14.30" and "9:05" become "14:30" and "09:05"; anything else is left for the schema to reject. */
export function normaliseTime(text: string): string {
  const t = text.trim();
  const match = /^(\d{1,2})[:.]?(\d{2})$/.exec(t);
  return match ? `${(match[1] ?? '').padStart(2, '0')}:${match[2] ?? ''}` : t;
}

function splitDate(v: string): DatePartValues {
  const [date = '', time = ''] = v.split('T');
  const [year = '', month = '', day = ''] = date.split('-');
  return {
    day: day.replace(/^0(?=\d)/, ''),
    month: month.replace(/^0(?=\d)/, ''),
    year,
    time,
  };
}

function composeDate(p: DatePartValues, withTime: boolean): string {
  if (!p.day && !p.month && !p.year && !p.time) return '';
  const date = `${p.year.trim()}-${p.month.trim().padStart(2, '0')}-${p.day.trim().padStart(2, '0')}`;
  return withTime ? `${date}T${normaliseTime(p.time)}` : date;
}

export function DateParts({
  id,
  value,
  onChange,
  error,
  describedById,
  withTime,
}: {
  id: string;
  value: string;
  onChange: (next: string) => void;
  error: string | undefined;
  describedById: string | undefined;
  withTime: boolean;
}) {
  const [parts, setParts] = useState(() => splitDate(value));
  // Follow outside changes (a reset, another tab's draft) without fighting the user's typing:
  // adjust state while rendering when the value from outside is not what these parts make.
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    if (composeDate(parts, withTime) !== value) setParts(splitDate(value));
  }

  function update(key: 'day' | 'month' | 'year' | 'time', next: string) {
    const updated = { ...parts, [key]: next };
    setParts(updated);
    setSeen(composeDate(updated, withTime));
    onChange(composeDate(updated, withTime));
  }
  const item = (key: 'day' | 'month' | 'year', label: string, width: string) => (
    <div className="nhsuk-date-input__item">
      <div className="nhsuk-form-group">
        <label className="nhsuk-label nhsuk-date-input__label" htmlFor={`${id}-${key}`}>
          {label}
        </label>
        <input
          className={`nhsuk-input nhsuk-date-input__input ${width}${error ? ' nhsuk-input--error' : ''}`}
          id={`${id}-${key}`}
          type="text"
          inputMode="numeric"
          value={parts[key]}
          aria-describedby={describedById}
          onChange={(e) => {
            update(key, e.target.value);
          }}
        />
      </div>
    </div>
  );
  return (
    <>
      <div className="nhsuk-date-input" id={id}>
        {item('day', 'Day', 'nhsuk-input--width-2')}
        {item('month', 'Month', 'nhsuk-input--width-2')}
        {item('year', 'Year', 'nhsuk-input--width-4')}
      </div>
      {withTime && (
        <div className="nhsuk-form-group nhsuk-u-margin-top-3 nhsuk-u-margin-bottom-0">
          <label className="nhsuk-label" htmlFor={`${id}-time`}>
            Time (24-hour clock)
          </label>
          <input
            className={inputClass(error, 'nhsuk-input--width-5')}
            id={`${id}-time`}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={parts.time}
            aria-describedby={describedById}
            onChange={(e) => {
              update('time', e.target.value);
            }}
          />
        </div>
      )}
    </>
  );
}
