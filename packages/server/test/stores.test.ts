import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createPGliteStore, createPostgresStore } from '../src/postgres.js';
import { MemoryStore } from '../src/store/memory-store.js';
import {
  announceNotRun,
  databaseUrl,
  dropSchemas,
  postgresAvailable,
  uniqueSchema,
} from './postgres-env.js';
import { describeStore } from './store-suite.js';

// One store-conformance suite, three implementations.

describeStore('memory', async (now) => new MemoryStore({ now }));

describeStore('PGlite', async (now) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-pglite-'));
  const store = await createPGliteStore({ dataDir, now, sweepIntervalMs: 0 });
  // Each PGlite directory is ~40 MB: remove it with the store.
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return store;
});

const schemas: string[] = [];
if (await postgresAvailable()) {
  describeStore('PostgreSQL', async (now) => {
    const schema = uniqueSchema(`store_${schemas.length}`);
    schemas.push(schema);
    return createPostgresStore({
      connectionString: databaseUrl,
      schema,
      now,
      sweepIntervalMs: 0,
      max: 20,
    });
  });
  afterAll(() => dropSchemas(schemas));
} else {
  announceNotRun('the Store contract against PostgreSQL (test/stores.test.ts)');
}
