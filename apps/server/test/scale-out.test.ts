import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  announceNotRun,
  appFromSource,
  freshDatabase,
  type HttpDriver,
  postgresAvailable,
  type RunningApp,
  startApp,
  stopApp,
} from '@twofold/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
    let a: HttpDriver;
    let b: HttpDriver;
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
      a = first.api;
      b = second.api;
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
      const token = (await a.registerAndLogin(username)).accessToken;
      // Setup on A, confirmed on B: the pending enrolment is shared too.
      const { secret } = await a.enableMfa(token, { verifyOn: b });
      expect((await a.call('GET', '/mfa/status', { token })).body.data).toEqual({
        enabled: true,
        methods: ['totp'],
        backup_codes_remaining: 10,
      });

      const challengeId = await a.startChallenge(username);
      const code = a.codeFor(secret, 1);
      const completed = await b.completeChallenge(username, challengeId, code);
      expect(completed.status, JSON.stringify(completed.body)).toBe(200);
      expect(completed.body.data.user.username).toBe(username);
      // B's tokens are good on A.
      const session = completed.body.data.access_token as string;
      expect((await a.call('GET', '/auth/validate', { token: session })).body.data.username).toBe(
        username,
      );

      // The challenge is spent on both.
      for (const api of [a, b]) {
        const again = await api.completeChallenge(username, challengeId, code);
        expect(again.status).toBe(400);
        expect(again.body.error.code).toBe('MFA_INVALID_CODE');
      }
    }, 120_000);

    it('a backup code used on A is refused on B', async () => {
      const username = newUsername();
      const token = (await a.registerAndLogin(username)).accessToken;
      const { backupCodes } = await a.enableMfa(token);
      const [raced, used] = backupCodes as [string, string];

      // One code sent to both at once (no more requests than the attempt limit): exactly one
      // success.
      const replies = await Promise.all(
        [a, b, a, b, a].map((api) =>
          api.call('POST', '/mfa/verify-backup-code', { body: { backup_code: raced }, token }),
        ),
      );
      expect(replies.filter((reply) => reply.status === 200)).toHaveLength(1);
      for (const reply of replies.filter((r) => r.status !== 200)) {
        expect(reply.body.error.code).toBe('MFA_INVALID_CODE');
      }

      expect(
        (await a.call('POST', '/mfa/verify-backup-code', { body: { backup_code: used }, token }))
          .body,
      ).toEqual({ success: true, message: 'Backup code verified' });
      const onB = await b.call('POST', '/mfa/verify-backup-code', {
        body: { backup_code: used },
        token,
      });
      expect(onB.status).toBe(400);
      expect(onB.body.error.code).toBe('MFA_INVALID_CODE');
      const challengeId = await b.startChallenge(username);
      const login = await b.completeChallenge(username, challengeId, used);
      expect(login.status).toBe(400);
      expect(login.body.error.code).toBe('MFA_INVALID_CODE');
      for (const api of [a, b]) {
        expect(
          (await api.call('GET', '/mfa/status', { token })).body.data.backup_codes_remaining,
        ).toBe(8);
      }
    }, 120_000);

    it('a TOTP code accepted on A is refused as a replay on B', async () => {
      const username = newUsername();
      const token = (await b.registerAndLogin(username)).accessToken;
      const { secret, backupCodes } = await b.enableMfa(token);

      const code = a.codeFor(secret, 1); // the next step: not yet used by the enrolment
      const onA = await a.completeChallenge(username, await a.startChallenge(username), code);
      expect(onA.status, JSON.stringify(onA.body)).toBe(200);

      const challengeId = await b.startChallenge(username);
      const replayed = await b.completeChallenge(username, challengeId, code);
      expect(replayed.status).toBe(400);
      expect(replayed.body.error.code).toBe('MFA_INVALID_CODE');
      // The challenge survives one wrong code and completes with a backup code.
      const completed = await b.completeChallenge(username, challengeId, backupCodes[0] as string);
      expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    }, 120_000);

    it('attempt limits count across both processes', async () => {
      const username = newUsername();
      const token = (await a.registerAndLogin(username)).accessToken;
      const { secret, backupCodes } = await a.enableMfa(token);
      const [valid] = backupCodes as [string];

      for (const api of [a, a, a, b, b]) {
        const wrong = await api.call('POST', '/mfa/verify-backup-code', {
          body: { backup_code: WRONG_BACKUP_CODE },
          token,
        });
        expect(wrong.status, JSON.stringify(wrong.body)).toBe(400);
        expect(wrong.body.error.code).toBe('MFA_INVALID_CODE');
      }

      // The sixth attempt is refused on either process, even with a valid code.
      for (const api of [a, b]) {
        const limited = await api.call('POST', '/mfa/verify-backup-code', {
          body: { backup_code: valid },
          token,
        });
        expect(limited.status, JSON.stringify(limited.body)).toBe(429);
        expect(limited.body.error.code).toBe('RATE_LIMITED');
        const retryAfter = Number(limited.headers.get('retry-after'));
        expect(Number.isInteger(retryAfter)).toBe(true);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(15 * 60);
        expect(limited.body.error.details.retry_after_seconds).toBe(retryAfter);
      }
      // Login step 2 counts against the same limit.
      const challengeId = await b.startChallenge(username);
      const login = await b.completeChallenge(username, challengeId, a.codeFor(secret, 1));
      expect(login.status, JSON.stringify(login.body)).toBe(429);
      expect(login.body.error.code).toBe('RATE_LIMITED');
      expect(Number(login.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

      // Nothing was consumed by the refused attempts.
      expect((await b.call('GET', '/mfa/status', { token })).body.data.backup_codes_remaining).toBe(
        10,
      );
    }, 120_000);
  });
} else {
  announceNotRun('two app processes on one database (apps/server/test/scale-out.test.ts)');
}
