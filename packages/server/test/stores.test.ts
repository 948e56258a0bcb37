import {
  announceNotRun,
  postgresAvailable,
  temporaryPGliteStore,
  temporaryPostgresStore,
} from '@twofold/testing';
import { MemoryStore } from '../src/store/memory-store.js';
import { describeStore } from './store-suite.js';

// One store-conformance suite, three implementations. The SQL stores clean up on close: each
// PGlite directory (~40 MB) is removed, each PostgreSQL schema dropped.

describeStore('memory', async (now) => new MemoryStore({ now }));

describeStore('PGlite', (now) => temporaryPGliteStore({ now }));

if (await postgresAvailable()) {
  describeStore('PostgreSQL', (now) => temporaryPostgresStore({ prefix: 'store', now, max: 20 }));
} else {
  announceNotRun('the Store contract against PostgreSQL (test/stores.test.ts)');
}
