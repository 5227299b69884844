// Service-worker registration with a prompted update: a new version waits until the user
// chooses to reload, so nobody loses their place mid-step. Also says when the app is first
// ready to work offline.
import { useRegisterSW } from 'virtual:pwa-register/react';

export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW();

  if (needRefresh) {
    return (
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
    );
  }
  if (offlineReady) {
    return (
      <div
        className="nhsuk-notification-banner nhsuk-notification-banner--success app-notice"
        role="status"
      >
        <div className="nhsuk-notification-banner__content">
          <p className="nhsuk-notification-banner__heading">Reconnect is now available offline</p>
          <p>You can open it on this device without any network connection.</p>
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
            onClick={() => {
              setOfflineReady(false);
            }}
          >
            Dismiss
          </button>
        </div>
      </div>
    );
  }
  return null;
}
