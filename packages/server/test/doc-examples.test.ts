import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  announceNotRun,
  freshDatabase,
  postgresAvailable,
  seedPGliteDirectory,
} from '@twofold/testing';
import { type DocExampleRule, describeDocExamples } from '@twofold/testing/doc-examples';
import { SMTPServer } from 'smtp-server';
import { expect } from 'vitest';

// Every JSDoc example of the three entry points runs against the sources (see
// @twofold/testing). Examples that name outside services get in-process stand-ins, by rule.

/** The documented `.twofold/db` becomes a temp dir, removed afterwards. */
const inTempDir: DocExampleRule = {
  reason: 'dataDir: a temp dir, removed afterwards',
  async setup() {
    const dir = mkdtempSync(join(tmpdir(), 'twofold-doc-example-'));
    // Initialised already (as if opened before): the example runs seconds sooner.
    await seedPGliteDirectory(dir);
    return {
      replace: { '.twofold/db': dir },
      teardown: () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

/** A real SMTP relay on a free local port in place of the documented one. */
const smtpRelay: DocExampleRule = {
  reason: 'an SMTP relay (smtp-server) on a free local port; it must receive the email',
  async setup() {
    const recipients: string[] = [];
    const relay = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => {
          recipients.push(...session.envelope.rcptTo.map((to) => to.address));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const address = relay.server.address();
    if (address === null || typeof address === 'string') throw new Error('relay has no port');
    return {
      replace: { 'smtp://127.0.0.1:2525': `smtp://127.0.0.1:${address.port}` },
      async teardown() {
        await new Promise<void>((resolve) => relay.close(() => resolve()));
        expect(recipients).toEqual(['ada@example.com']);
      },
    };
  },
};

/** A fresh database on the test PostgreSQL, dropped afterwards; compile-only without one. */
const postgres: DocExampleRule = (await postgresAvailable())
  ? {
      reason: 'a fresh database on the test PostgreSQL, dropped afterwards',
      async setup() {
        const database = await freshDatabase('twofold_doc_example');
        return {
          replace: { 'postgres://twofold@db.internal:5432/twofold': database.url },
          teardown: () => database.drop(),
        };
      },
    }
  : {
      reason:
        'no PostgreSQL reachable (set TWOFOLD_TEST_DATABASE_URL); the same SqlStore runs in the PGlite examples',
      compileOnly: true,
    };
if (postgres.compileOnly)
  announceNotRun('the createPostgresStore example (test/doc-examples.test.ts)');

describeDocExamples({
  packageDir: new URL('..', import.meta.url),
  entries: {
    '@twofold/server': 'src/index.ts',
    '@twofold/server/node': 'src/node.ts',
    '@twofold/server/postgres': 'src/postgres.ts',
  },
  rules: {
    createSmtpMailer: smtpRelay,
    createPostgresStore: postgres,
    createPGliteStore: inTempDir,
    SqlStore: inTempDir,
  },
});
