// Shown for any path the app does not know, including links to records deleted on this device.
import { Link } from '../Link.tsx';
import { usePageTitle } from '../usePageTitle.ts';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>Page not found</h1>
        <p>If you typed the web address, check it is correct.</p>
        <p>If you followed a link to a record, it may have been deleted from this device.</p>
        <p>
          <Link href="/">Go to your records</Link>
        </p>
      </div>
    </div>
  );
}
