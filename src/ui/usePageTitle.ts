// Sets the document title for a page, as screen-reader users hear it first on navigation.
import { useEffect } from 'react';

export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} – Reconnect` : 'Reconnect';
  }, [title]);
}
