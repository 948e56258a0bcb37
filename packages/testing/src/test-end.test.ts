import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';
import { repoRoot, run } from './app-process.js';
import { databaseUrl, postgresAvailable } from './postgres-env.js';
import { temporaryDirectory } from './temporary-directory.js';

const withDatabase = await postgresAvailable();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// vitest abandons a timed-out test body, so its `finally` never runs: the kit itself must stop
// the process and drop the database the test made, or they outlive the run.
it('a test that times out has its child process killed and its database dropped', async () => {
  const report = join(temporaryDirectory('twofold-hang-'), 'report.json');
  const vitest = run(
    process.execPath,
    [
      `${repoRoot}node_modules/vitest/vitest.mjs`,
      'run',
      '--config',
      `${repoRoot}packages/testing/fixtures/timeout/vitest.config.ts`,
    ],
    { env: { FIXTURE_REPORT: report, FIXTURE_WITH_DATABASE: withDatabase ? '1' : '' } },
  );
  expect(await vitest.exit(90_000)).toBe(1);
  const { stdout, stderr } = vitest.output();
  expect(`${stdout}${stderr}`).toMatch(/Test timed out in 5000ms/);
  expect(existsSync(report)).toBe(true);
  const { pid, database } = JSON.parse(readFileSync(report, 'utf8')) as {
    pid: number;
    database?: string;
  };
  // Killed when the test ended, not only when its worker exited: the run ended, and it is gone.
  expect(alive(pid)).toBe(false);
  if (withDatabase) {
    const name = new URL(database as string).pathname.slice(1);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const rows = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      expect(rows.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  }
}, 120_000);
