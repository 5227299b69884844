// The start page: what Reconnect is for, and (from Part 4) the records kept on this device.
import { usePageTitle } from '../usePageTitle.ts';

export function HomePage() {
  usePageTitle('');
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>Reconnect safely after a precautionary disconnection</h1>
        <p className="nhsuk-lede-text">
          Work through the checks that show your organisation is safe to reconnect to national
          networks, email and the internet — one step and one device at a time, with evidence, and a
          signed record at the end.
        </p>
        <p>
          Everything you enter is saved on this device the moment you enter it. Reconnect keeps
          working with no network at all.
        </p>
      </div>
    </div>
  );
}
