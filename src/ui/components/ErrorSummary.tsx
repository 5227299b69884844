// The NHS error summary: a list of what is wrong, each linking to the field to fix. It takes
// focus after a failed attempt so keyboard and screen-reader users land on it, it is the first
// thing in the page's main content (wherever the form that raised it sits), and the page's
// title starts "Error: " while it shows.
import { useId, useLayoutEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useErrorTitle } from '../usePageTitle.ts';

/** The id of the element at the top of main that error summaries are shown in. */
export const errorSummarySlotId = 'error-summary-slot';

export interface SummaryError {
  /** The id of the input to jump to; omit for errors not tied to one field. */
  href?: string;
  text: string;
}

/**
 * `attempt` counts the user's tries (submits): the summary takes focus after each try that
 * fails, never while the user is typing and messages update as they go.
 */
export function ErrorSummary({
  errors,
  attempt,
  title = 'There is a problem',
}: {
  errors: SummaryError[];
  attempt: number;
  title?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // Unique, as a page can hold more than one form (a step's answers and an approver's panel).
  const titleId = useId();
  const hasErrors = errors.length > 0;
  useErrorTitle(hasErrors);
  // The slot belongs to the page shell, which is in the document before any form on the page
  // can fail; without one (a component on its own) the summary stays where it is.
  const slot = document.getElementById(errorSummarySlotId);
  useLayoutEffect(() => {
    if (hasErrors && attempt > 0) ref.current?.focus();
    // Only a new attempt moves focus.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);
  if (errors.length === 0) return null;
  const summary = (
    <div className="nhsuk-error-summary" ref={ref} tabIndex={-1} aria-labelledby={titleId}>
      <div role="alert">
        <h2 className="nhsuk-error-summary__title" id={titleId}>
          {title}
        </h2>
        <div className="nhsuk-error-summary__body">
          <ul className="nhsuk-list nhsuk-error-summary__list">
            {errors.map((error, i) => (
              <li key={`${error.href ?? ''}-${String(i)}`}>
                {error.href ? (
                  <a
                    href={`#${error.href}`}
                    onClick={(event) => {
                      const target = document.getElementById(error.href ?? '');
                      if (target) {
                        event.preventDefault();
                        target.focus();
                        target.scrollIntoView({ block: 'center' });
                      }
                    }}
                  >
                    {error.text}
                  </a>
                ) : (
                  error.text
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
  return slot ? createPortal(summary, slot) : summary;
}
