// The page shell from the NHS design system: skip link, header with the service name, main
// content and footer. Moves focus to the page heading after in-app navigation.
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { errorSummarySlotId } from './components/ErrorSummary.tsx';
import { Link } from './Link.tsx';
import { StorageStatusPanel } from './StorageStatusPanel.tsx';
import type { StorageStatus } from './storage.ts';

interface LayoutProps {
  location: string;
  banner?: ReactNode;
  /** A notice for the end of the footer, where its arrival moves nothing above it. */
  footerNotice?: ReactNode;
  storage: StorageStatus | null;
  children: ReactNode;
}

export function Layout({ location, banner, footerNotice, storage, children }: LayoutProps) {
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // A layout effect: focus is where it belongs before the new page is painted, so the next key
  // press already acts on it.
  useLayoutEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  }, [location]);

  return (
    <>
      <a className="nhsuk-skip-link" href="#maincontent">
        Skip to main content
      </a>
      <header className="nhsuk-header" role="banner">
        <div className="nhsuk-header__container nhsuk-width-container">
          <div className="nhsuk-header__service">
            <Link className="nhsuk-header__service-name" href="/">
              Reconnect
            </Link>
          </div>
        </div>
        <nav className="nhsuk-header__navigation" aria-label="Menu">
          <div className="nhsuk-header__navigation-container nhsuk-width-container">
            <ul className="nhsuk-header__navigation-list">
              {(
                [
                  ['/', 'Records'],
                  ['/approvers', 'Approvers'],
                  ['/share', 'Share and back up'],
                  ['/verify', 'Verify a record'],
                ] as const
              ).map(([href, label]) => {
                const current = href === '/' ? location === '/' : location.startsWith(href);
                return (
                  <li
                    className={`nhsuk-header__navigation-item${current ? ' nhsuk-header__navigation-item--current' : ''}`}
                    key={href}
                  >
                    <Link
                      className="nhsuk-header__navigation-link"
                      href={href}
                      {...(current ? { 'aria-current': 'page' as const } : {})}
                    >
                      {label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        </nav>
      </header>
      <div className="nhsuk-width-container">
        {banner}
        <main className="nhsuk-main-wrapper" id="maincontent" ref={mainRef}>
          <div id={errorSummarySlotId} />
          {children}
        </main>
      </div>
      <footer className="nhsuk-footer" role="contentinfo">
        <div className="nhsuk-width-container">
          <div className="nhsuk-footer__meta">
            <p className="nhsuk-body-s">
              Reconnect works without a network. Your records stay on this device unless you export
              them. It is not an official NHS service; it follows published guidance and good
              practice, and says which is which.
            </p>
            {/* What arrives after first paint goes last, in space kept for it: nothing moves. */}
            <StorageStatusPanel status={storage} />
            <div role="status">{footerNotice}</div>
          </div>
        </div>
      </footer>
    </>
  );
}
