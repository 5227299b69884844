// Sets the document title for a page, as screen-reader users hear it first on navigation. While
// a page shows an error summary the title starts "Error: ", as the NHS error pattern asks.
import { useEffect } from 'react';

let base = 'Reconnect';
let errorsShown = 0;

function apply(): void {
  document.title = `${errorsShown > 0 ? 'Error: ' : ''}${base}`;
}

export function usePageTitle(title: string): void {
  useEffect(() => {
    base = title ? `${title} – Reconnect` : 'Reconnect';
    apply();
  }, [title]);
}

/** Marks the page as showing errors while `active` is true (the error summary calls this). */
export function useErrorTitle(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    errorsShown++;
    apply();
    return () => {
      errorsShown--;
      apply();
    };
  }, [active]);
}
