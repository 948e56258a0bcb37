import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  announceNotRun,
  freshDatabase,
  postgresAvailable,
} from '../../../packages/server/test/postgres-env.js';
import {
  type Call,
  completeChallenge,
  enableMfa,
  type RunningApp,
  registerAndLogin,
  startApp,
  startChallenge,
  stopApp,
  totpCode,
} from './http.js';
import { appFromSource } from './process.js';

/** A local TCP port nothing listens on (just released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const WRONG_BACKUP_CODE = 'NOTACODE'; // 'O' is not in the backup-code alphabet: never matches

// Runs with or without a database, so this file always has a test to run (vitest fails a
// file that registers none) even when the PostgreSQL tests below are NOT RUN.
describe('an app process on PostgreSQL', () => {
  it('refuses to start, with exit code 1, when DATABASE_URL cannot be reached', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'twofold-scale-'));
    const app = appFromSource(['--port', '0'], {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await closedPort()}/twofold`,
      TWOFOLD_DATA_DIR: dataDir,
      TWOFOLD_MODE: 'development',
      PORT: '',
    });
    try {
      expect(await app.exit(30_000)).toBe(1);
      expect(app.output().stderr).toContain('twofold-server failed to start');
      expect(app.output().stdout).not.toContain('listening');
    } finally {
      app.signal('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

if (await postgresAvailable()) {
  describe('two app processes on one PostgreSQL database', () => {
    let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
    const dataDir = mkdtempSync(join(tmpdir(), 'twofold-scale-'));
    const apps: RunningApp[] = [];
    let a: Call;
    let b: Call;
    let userCount = 0;
    const newUsername = () => `scale_user_${++userCount}`;

    beforeAll(async () => {
      database = await freshDatabase('twofold_scale');
      const url = new URL(database.url);
      // The same keys in both processes: tokens and sealed secrets are shared with the rows.
      const keys = {
        TWOFOLD_SECRET: randomBytes(48).toString('base64url'),
        TWOFOLD_ENCRYPTION_KEY: randomBytes(48).toString('base64url'),
      };
      const env = { DATABASE_URL: url.toString(), TWOFOLD_DATA_DIR: dataDir, ...keys };
      // Both at once: the schema migration must be safe from two processes.
      const results = await Promise.allSettled([startApp(env), startApp(env)]);
      for (const result of results) if (result.status === 'fulfilled') apps.push(result.value);
      for (const result of results) if (result.status === 'rejected') throw result.reason;
      const [first, second] = apps as [RunningApp, RunningApp];
      expect(first.url).not.toBe(second.url);
      for (const app of apps) {
        expect(app.output().stdout).toContain(`store: PostgreSQL at ${url.host}`);
      }
      a = first.call;
      b = second.call;
    }, 120_000);

    afterAll(async () => {
      await Promise.allSettled(apps.map((app) => stopApp(app, 'SIGTERM')));
      try {
        await database?.drop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 60_000);

    it('a login challenge started on A completes on B, once', async () => {
      const username = newUsername();
      const token = await registerAndLogin(a, username);
      // Setup on A, confirmed on B: the pending enrolment is shared too.
      const { secret } = await enableMfa(a, token, b);
      expect((await a('GET', '/mfa/status', undefined, token)).body.data).toEqual({
        enabled: true,
        methods: ['totp'],
        backup_codes_remaining: 10,
      });

      const challengeId = await startChallenge(a, username);
      const code = totpCode(secret, 1);
      const completed = await completeChallenge(b, username, challengeId, code);
      expect(completed.status, JSON.stringify(completed.body)).toBe(200);
      expect(completed.body.data.user.username).toBe(username);
      // B's tokens are good on A.
      const session = completed.body.data.access_token as string;
      expect((await a('GET', '/auth/validate', undefined, session)).body.data.username).toBe(
        username,
      );

      // The challenge is spent on both.
      for (const call of [a, b]) {
        const again = await completeChallenge(call, username, challengeId, code);
        expect(again.status).toBe(400);
        expect(again.body.error.code).toBe('MFA_INVALID_CODE');
      }
    }, 120_000);

    it('a backup code used on A is refused on B', async () => {
      const username = newUsername();
      const token = await registerAndLogin(a, username);
      const { backupCodes } = await enableMfa(a, token);
      const [raced, used] = backupCodes as [string, string];

      // One code sent to both at once (no more requests than the attempt limit): exactly one
      // success.
      const replies = await Promise.all(
        [a, b, a, b, a].map((call) =>
          call('POST', '/mfa/verify-backup-code', { backup_code: raced }, token),
        ),
      );
      expect(replies.filter((reply) => reply.status === 200)).toHaveLength(1);
      for (const reply of replies.filter((r) => r.status !== 200)) {
        expect(reply.body.error.code).toBe('MFA_INVALID_CODE');
      }

      expect(
        (await a('POST', '/mfa/verify-backup-code', { backup_code: used }, token)).body,
      ).toEqual({ success: true, message: 'Backup code verified' });
      const onB = await b('POST', '/mfa/verify-backup-code', { backup_code: used }, token);
      expect(onB.status).toBe(400);
      expect(onB.body.error.code).toBe('MFA_INVALID_CODE');
      const challengeId = await startChallenge(b, username);
      const login = await completeChallenge(b, username, challengeId, used);
      expect(login.status).toBe(400);
      expect(login.body.error.code).toBe('MFA_INVALID_CODE');
      for (const call of [a, b]) {
        expect(
          (await call('GET', '/mfa/status', undefined, token)).body.data.backup_codes_remaining,
        ).toBe(8);
      }
    }, 120_000);

    it('a TOTP code accepted on A is refused as a replay on B', async () => {
      const username = newUsername();
      const token = await registerAndLogin(b, username);
      const { secret, backupCodes } = await enableMfa(b, token);

      const code = totpCode(secret, 1); // the next step: not yet used by the enrolment
      const onA = await completeChallenge(a, username, await startChallenge(a, username), code);
      expect(onA.status, JSON.stringify(onA.body)).toBe(200);

      const challengeId = await startChallenge(b, username);
      const replayed = await completeChallenge(b, username, challengeId, code);
      expect(replayed.status).toBe(400);
      expect(replayed.body.error.code).toBe('MFA_INVALID_CODE');
      // The challenge survives one wrong code and completes with a backup code.
      const completed = await completeChallenge(b, username, challengeId, backupCodes[0] as string);
      expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    }, 120_000);

    it('attempt limits count across both processes', async () => {
      const username = newUsername();
      const token = await registerAndLogin(a, username);
      const { secret, backupCodes } = await enableMfa(a, token);
      const [valid] = backupCodes as [string];

      for (const call of [a, a, a, b, b]) {
        const wrong = await call(
          'POST',
          '/mfa/verify-backup-code',
          { backup_code: WRONG_BACKUP_CODE },
          token,
        );
        expect(wrong.status, JSON.stringify(wrong.body)).toBe(400);
        expect(wrong.body.error.code).toBe('MFA_INVALID_CODE');
      }

      // The sixth attempt is refused on either process, even with a valid code.
      for (const call of [a, b]) {
        const limited = await call(
          'POST',
          '/mfa/verify-backup-code',
          { backup_code: valid },
          token,
        );
        expect(limited.status, JSON.stringify(limited.body)).toBe(429);
        expect(limited.body.error.code).toBe('RATE_LIMITED');
        const retryAfter = Number(limited.headers.get('retry-after'));
        expect(Number.isInteger(retryAfter)).toBe(true);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(15 * 60);
        expect(limited.body.error.details.retry_after_seconds).toBe(retryAfter);
      }
      // Login step 2 counts against the same limit.
      const challengeId = await startChallenge(b, username);
      const login = await completeChallenge(b, username, challengeId, totpCode(secret, 1));
      expect(login.status, JSON.stringify(login.body)).toBe(429);
      expect(login.body.error.code).toBe('RATE_LIMITED');
      expect(Number(login.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

      // Nothing was consumed by the refused attempts.
      expect(
        (await b('GET', '/mfa/status', undefined, token)).body.data.backup_codes_remaining,
      ).toBe(10);
    }, 120_000);
  });
} else {
  announceNotRun('two app processes on one database (apps/server/test/scale-out.test.ts)');
}
