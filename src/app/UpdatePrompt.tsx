// Service-worker registration with a prompted update: a new version waits until the user
// chooses to reload, so nobody loses their place mid-step. Also says when the app is first
// ready to work offline: in the footer, after everything else, where its arrival moves
// nothing on the page (a banner above the content pushed it all down after first paint).
import type { ReactNode } from 'react';
import { useRegisterSW } from 'virtual:pwa-register/react';

/** What the service worker has to say: an update banner (top), an offline notice (footer). */
export function useServiceWorkerPrompts(): { update: ReactNode; offlineNotice: ReactNode } {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW();

  return {
    update: needRefresh ? (
      <div
        className="nhsuk-notification-banner app-notice"
        role="region"
        aria-labelledby="update-title"
      >
        <div className="nhsuk-notification-banner__header">
          <h2 className="nhsuk-notification-banner__title" id="update-title">
            Update
          </h2>
        </div>
        <div className="nhsuk-notification-banner__content">
          <p className="nhsuk-notification-banner__heading">A new version is available</p>
          <p>Your saved work is kept. Reload when you are ready.</p>
          <div className="nhsuk-button-group">
            <button
              type="button"
              className="nhsuk-button nhsuk-u-margin-bottom-0"
              onClick={() => void updateServiceWorker(true)}
            >
              Reload
            </button>
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
              onClick={() => {
                setNeedRefresh(false);
              }}
            >
              Not now
            </button>
          </div>
        </div>
      </div>
    ) : null,
    offlineNotice: offlineReady ? (
      <p className="nhsuk-body-s app-footer-notice">
        <strong>Reconnect is now available offline</strong>. You can open it on this device without
        any network connection.{' '}
        <button
          type="button"
          className="app-link-button"
          onClick={() => {
            setOfflineReady(false);
          }}
        >
          Dismiss
        </button>
      </p>
    ) : null,
  };
}
