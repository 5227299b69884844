// Stand-in for vite-plugin-pwa's virtual module in component tests. Tests drive the two flags
// through `pwaStub` and read how often the app asked for an update.
import { useState } from 'react';

export const pwaStub = {
  needRefresh: false,
  offlineReady: false,
  updateCalls: [] as boolean[],
  reset() {
    this.needRefresh = false;
    this.offlineReady = false;
    this.updateCalls = [];
  },
};

export function useRegisterSW() {
  const needRefresh = useState(pwaStub.needRefresh);
  const offlineReady = useState(pwaStub.offlineReady);
  return {
    needRefresh,
    offlineReady,
    updateServiceWorker: (reload?: boolean) => {
      pwaStub.updateCalls.push(reload ?? false);
      return Promise.resolve();
    },
  };
}
