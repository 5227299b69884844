// Examples in date hints, made from today's date so that the example itself is one the form
// accepts: a date in the past where the date must not be in the future, a date some months
// ahead where it must be in the future (a review date).

export interface DateExample {
  /** As the hint shows it: day, month and year, the way the boxes take them. */
  text: string;
  /** The same date as the form stores it (YYYY-MM-DD). */
  iso: string;
}

function example(date: Date): DateExample {
  const y = date.getFullYear();
  const m = date.getMonth() + 1;
  const d = date.getDate();
  return {
    text: `${String(d)} ${String(m)} ${String(y)}`,
    iso: `${String(y)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  };
}

/** A week before today: accepted by any date field, "not in the future" ones included. */
export function pastDateExample(today: Date = new Date()): DateExample {
  return example(new Date(today.getFullYear(), today.getMonth(), today.getDate() - 7));
}

/** Three months after today: accepted where a date must be in the future. */
export function futureDateExample(today: Date = new Date()): DateExample {
  return example(new Date(today.getFullYear(), today.getMonth() + 3, today.getDate()));
}
