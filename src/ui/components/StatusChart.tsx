// Devices by clearance status as one stacked bar: a picture of the table beside it, for those
// who can see it; the table carries the numbers for everyone.
import type { ReactNode } from 'react';
import type { ClearanceStatus } from '../../run/fleet.ts';

export function StatusChart({
  counts,
  total,
}: {
  counts: { status: ClearanceStatus; count: number }[];
  total: number;
}) {
  // A picture of the table below it, for those who can see it; the table carries the numbers.
  return (
    <svg
      className="app-chart"
      viewBox="0 0 400 24"
      role="presentation"
      aria-hidden="true"
      focusable="false"
      preserveAspectRatio="none"
    >
      {
        counts.reduce<{ x: number; bars: ReactNode[] }>(
          (acc, { status, count }) => {
            const width = total ? (count / total) * 400 : 0;
            acc.bars.push(
              <rect
                key={status}
                x={acc.x}
                y={0}
                width={width}
                height={24}
                className={`app-chart__bar app-chart__bar--${status}`}
              />,
            );
            return { x: acc.x + width, bars: acc.bars };
          },
          { x: 0, bars: [] },
        ).bars
      }
    </svg>
  );
}
