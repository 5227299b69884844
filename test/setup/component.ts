// Component tests: jest-dom matchers, and a clean DOM after each test.
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/preact';
import { afterEach } from 'vitest';

// A findBy or waitFor waits on a condition, never on the clock; how long it may wait before
// giving up is sized to a whole-app render with IndexedDB saves on a busy 2-core machine
// (Testing Library's default of 1 s failed under stress-ng --cpu 4).
configure({ asyncUtilTimeout: 15_000 });

afterEach(() => {
  cleanup();
});

// In the jsdom environment, TextEncoder's output is a Uint8Array from another realm, which
// jose's "instanceof Uint8Array" checks reject; a browser has one realm. Re-wrap the bytes in
// this realm's Uint8Array.
class SameRealmTextEncoder extends TextEncoder {
  override encode(input?: string): Uint8Array<ArrayBuffer> {
    const bytes = super.encode(input);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}
Object.defineProperty(globalThis, 'TextEncoder', {
  value: SameRealmTextEncoder,
  configurable: true,
  writable: true,
});
