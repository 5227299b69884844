// The device list as a virtualised table: only a screenful of rows is in the page, however
// many thousands of devices there are, with the ARIA row count and indexes a screen reader
// needs to say where it is. On a wide screen each device is a row under the column headers;
// below 640 px each is a card with its labels beside the values (the header row is then only
// for screen readers). Rows are measured as they render, so a card that wraps is never cut.
import { observeElementRect, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { DeviceRow } from '../../db/database.ts';
import { Link } from '../Link.tsx';
import { StatusTag } from './StatusTag.tsx';

const ROW_HEIGHT = 56;

/** A first guess at a row's height before it is measured: a table row, or a phone's card. */
function estimateRowHeight(): number {
  return typeof window !== 'undefined' && window.matchMedia('(max-width: 40em)').matches
    ? 168
    : ROW_HEIGHT;
}

/**
 * The scroll box's size, from a ResizeObserver only: it reports after the browser's own layout,
 * where reading the size at once would force a layout of the whole page in the middle of
 * rendering it (a long task on a slow phone). Without ResizeObserver, the library's own way.
 */
function observeScrollBoxSize(
  instance: Virtualizer<HTMLDivElement, Element>,
  cb: (rect: { width: number; height: number }) => void,
) {
  const element = instance.scrollElement;
  if (!element || typeof ResizeObserver !== 'function') return observeElementRect(instance, cb);
  const observer = new ResizeObserver(([entry]) => {
    const box = entry?.contentBoxSize[0];
    if (box) cb({ width: Math.round(box.inlineSize), height: Math.round(box.blockSize) });
  });
  observer.observe(element);
  return () => {
    observer.disconnect();
  };
}

/**
 * A row's height as the ResizeObserver measured it after layout; before that, what was last
 * measured for it, or the estimate, so that placing a row never forces a layout either.
 */
function rowHeight(
  element: Element,
  entry: ResizeObserverEntry | undefined,
  instance: Virtualizer<HTMLDivElement, Element>,
): number {
  const box = entry?.borderBoxSize[0];
  if (box) return Math.round(box.blockSize);
  const index = instance.indexFromElement(element);
  return instance.itemSizeCache.get(instance.options.getItemKey(index)) ?? estimateRowHeight();
}

export function DeviceTable({
  runId,
  devices,
  selected,
  onSelected,
  osLabel,
}: {
  runId: string;
  devices: readonly DeviceRow[];
  selected: ReadonlySet<string>;
  onSelected: (next: Set<string>) => void;
  osLabel: (row: string | null) => string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // TanStack Virtual keeps its own state outside React's model; the compiler skips this hook.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: devices.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: estimateRowHeight,
    overscan: 10,
    // Until the scroll box is first measured: its height in the stylesheet (480 px).
    initialRect: { width: 0, height: 480 },
    observeElementRect: observeScrollBoxSize,
    measureElement: rowHeight,
  });

  return (
    <div
      role="table"
      aria-label="Devices"
      aria-rowcount={devices.length + 1}
      className="app-device-table"
    >
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} className="app-device-row app-device-row--head">
          <span role="columnheader">Select</span>
          <span role="columnheader">Device</span>
          <span role="columnheader">Operating system</span>
          <span role="columnheader">Location</span>
          <span role="columnheader">Status</span>
        </div>
      </div>
      <div
        role="rowgroup"
        ref={scrollRef}
        className="app-device-scroll"
        tabIndex={0}
        aria-label="Device rows (scroll for more)"
      >
        <div
          role="presentation"
          className="app-device-spacer"
          style={{ height: `${String(virtualizer.getTotalSize())}px` }}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const d = devices[item.index];
            if (!d) return null;
            const name = d.hostname ?? d.assetTag ?? d.id;
            return (
              <div
                role="row"
                aria-rowindex={item.index + 2}
                key={d.id}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="app-device-row"
                style={{ transform: `translateY(${String(item.start)}px)` }}
              >
                <span role="cell">
                  <input
                    type="checkbox"
                    className="app-checkbox"
                    id={`select-${d.id}`}
                    checked={selected.has(d.id)}
                    aria-label={`Select ${name}`}
                    onChange={(e) => {
                      const next = new Set(selected);
                      if (e.target.checked) next.add(d.id);
                      else next.delete(d.id);
                      onSelected(next);
                    }}
                  />
                </span>
                <span role="cell">
                  <Link href={`/records/${runId}/devices/${d.id}`}>{name}</Link>
                  {d.assetTag && d.hostname && (
                    <span className="nhsuk-body-s"> · {d.assetTag}</span>
                  )}
                </span>
                <span role="cell">
                  <span className="app-device-row__label" aria-hidden="true">
                    Operating system:{' '}
                  </span>
                  {osLabel(d.osRow)}
                </span>
                <span role="cell">
                  {d.location && (
                    <span className="app-device-row__label" aria-hidden="true">
                      Location:{' '}
                    </span>
                  )}
                  {d.location ?? ''}
                </span>
                <span role="cell">
                  <StatusTag kind={d.status} />
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
