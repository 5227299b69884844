// A real IndexedDB implementation in memory, so Dexie runs for real in Node and jsdom.
import 'fake-indexeddb/auto';
