import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AnyBody,
  PASSWORD,
  type RunningApp,
  seedPGliteDirectory,
  startApp,
  stopApp,
} from '@twofold/testing';
import { afterAll, describe, expect, it } from 'vitest';

const NOT_ENABLED = { enabled: false, methods: [], backup_codes_remaining: 0 };
const ENABLED = { enabled: true, methods: ['totp'], backup_codes_remaining: 10 };

/**
 * The app on embedded PGlite, killed with SIGKILL (no graceful shutdown, the database is never
 * closed) and started again on the same data directory: what it acknowledged is still there,
 * and a kill in the middle of writes leaves every user enrolled or not, never half-way.
 */
describe('durability on PGlite across kill -9', () => {
  const started: RunningApp[] = [];
  const dataDirs: string[] = [];

  async function freshDataDir(): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'twofold-durability-'));
    dataDirs.push(dir);
    await seedPGliteDirectory(join(dir, 'db'));
    return dir;
  }

  /** Development keys are generated into the data dir, so a restart keeps them. */
  async function start(dataDir: string): Promise<RunningApp> {
    const app = await startApp({ TWOFOLD_DATA_DIR: dataDir }, 90_000);
    started.push(app);
    expect(app.output().stdout).toContain(`store: PGlite (embedded) in ${join(dataDir, 'db')}`);
    return app;
  }

  async function kill(app: RunningApp): Promise<void> {
    app.signal('SIGKILL');
    await app.exit(20_000);
    expect(app.child.signalCode).toBe('SIGKILL');
  }

  afterAll(async () => {
    await Promise.allSettled(started.map((app) => stopApp(app)));
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('keeps an enrolment, its used backup code, the TOTP replay state and a verified email', async () => {
    const dataDir = await freshDataDir();
    const first = await start(dataDir);
    const username = 'durable_user';
    const token = (await first.api.registerAndLogin(username)).accessToken;
    const { secret, backupCodes, verifiedCode } = await first.api.enableMfa(token);
    const [usedBeforeKill, usedAfterRestart] = backupCodes as [string, string];
    expect(
      (
        await first.api.call('POST', '/mfa/verify-backup-code', {
          body: { backup_code: usedBeforeKill },
          token,
        })
      ).body,
    ).toEqual({ success: true, message: 'Backup code verified' });

    const sent = await first.api.call('POST', '/auth/verify-email/send', { token });
    expect(sent.body.data.sent).toBe(true);
    const verificationToken = sent.body.data.verification_token as string;
    expect(verificationToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const verified = await first.api.call('POST', '/auth/verify-email', {
      body: { token: verificationToken },
    });
    expect(verified.body.data).toMatchObject({ verified: true });

    await kill(first);
    const { api } = await start(dataDir);

    // The access token from before the kill is still good: the generated keys were kept.
    const validated = await api.call('GET', '/auth/validate', { token });
    expect(validated.body.data?.username).toBe(username);
    expect((await api.call('GET', '/mfa/status', { token })).body.data).toEqual({
      enabled: true,
      methods: ['totp'],
      backup_codes_remaining: 9,
    });

    // Step 1 asks for the second factor. The code that enabled MFA is refused (a replay of a
    // recorded step, or by now expired); the code of the next step completes the login.
    const challengeId = await api.startChallenge(username);
    const replayed = await api.completeChallenge(username, challengeId, verifiedCode);
    expect(replayed.status).toBe(400);
    expect(replayed.body.error.code).toBe('MFA_INVALID_CODE');
    const withTotp = await api.completeChallenge(username, challengeId, api.codeFor(secret, 1));
    expect(withTotp.status, JSON.stringify(withTotp.body)).toBe(200);
    expect(withTotp.body.data.user.username).toBe(username);
    const freshToken = withTotp.body.data.access_token as string;

    // The backup code used before the kill stays used; an unused one completes a login.
    const second = await api.startChallenge(username);
    const reused = await api.completeChallenge(username, second, usedBeforeKill);
    expect(reused.body.error?.code).toBe('MFA_INVALID_CODE');
    const withBackup = await api.completeChallenge(username, second, usedAfterRestart);
    expect(withBackup.status, JSON.stringify(withBackup.body)).toBe(200);
    expect((await api.call('GET', '/mfa/status', { token: freshToken })).body.data).toEqual({
      enabled: true,
      methods: ['totp'],
      backup_codes_remaining: 8,
    });

    // The email is still verified, and its token stays spent.
    expect((await api.call('POST', '/auth/verify-email/send', { token: freshToken })).body).toEqual(
      {
        success: true,
        data: { sent: false, verification_token: '', message: 'Email is already verified' },
      },
    );
    const again = await api.call('POST', '/auth/verify-email', {
      body: { token: verificationToken },
    });
    expect(again.body.error?.code).toBe('INVALID_TOKEN');
  }, 240_000);

  it('a kill in the middle of a burst of enrolments leaves no user half-enrolled or half-registered', async () => {
    const dataDir = await freshDataDir();
    const first = await start(dataDir);
    const usernames = Array.from({ length: 20 }, (_, i) => `burst_user_${i}`);
    const tokens = new Map<string, string>();
    await Promise.all(
      usernames.map(async (username) => {
        tokens.set(username, (await first.api.registerAndLogin(username)).accessToken);
      }),
    );

    interface Enrolment {
      setup?: AnyBody;
      verify?: AnyBody;
      error?: unknown;
    }
    const enrolments = new Map<string, Enrolment>(usernames.map((name) => [name, {}]));
    const lateUsernames = Array.from({ length: 5 }, (_, i) => `late_user_${i}`);
    const registrations = new Map<string, AnyBody>();
    let verifyResponses = 0;
    let inFlightAtKill = -1;
    const burst = [
      // Registrations in flight as well (each one hashes a password, so they take a while).
      ...lateUsernames.map(async (username) => {
        const registered = await first.api.call('POST', '/auth/register', {
          body: {
            username,
            email: `${username}@example.com`,
            password: PASSWORD,
          },
        });
        registrations.set(username, registered.body);
      }),
      ...usernames.map(async (username) => {
        const enrolment = enrolments.get(username) as Enrolment;
        const token = tokens.get(username);
        try {
          enrolment.setup = (
            await first.api.call('POST', '/mfa/setup', { token, body: { password: PASSWORD } })
          ).body;
          const code = first.api.codeFor(enrolment.setup.data.secret);
          enrolment.verify = (
            await first.api.call('POST', '/mfa/verify', { body: { totp_code: code }, token })
          ).body;
        } catch (error) {
          enrolment.error = error;
          return;
        }
        verifyResponses++;
        if (verifyResponses === 3) {
          inFlightAtKill = usernames.filter((name) => !enrolments.get(name)?.verify).length;
          first.signal('SIGKILL');
        }
      }),
    ];
    await Promise.allSettled(burst);
    await first.exit(20_000);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(inFlightAtKill).toBeGreaterThanOrEqual(0);
    const answered = [...enrolments.values()];
    console.info(
      `durability burst: killed with ${inFlightAtKill} of ${usernames.length} enrolments unfinished ` +
        `(${answered.filter((e) => e.setup).length} setups and ` +
        `${answered.filter((e) => e.verify).length} verifies answered, ` +
        `${registrations.size} of ${lateUsernames.length} late registrations answered)`,
    );
    // Whatever was answered before the kill was a success.
    for (const [username, { setup, verify }] of enrolments) {
      if (setup !== undefined) expect(setup.success, `${username} setup`).toBe(true);
      if (verify !== undefined) expect(verify.success, `${username} verify`).toBe(true);
    }
    for (const [username, body] of registrations) {
      expect(body.success, `${username} registration`).toBe(true);
    }

    const { api } = await start(dataDir);
    let enabledCount = 0;
    for (const username of usernames) {
      const { setup, verify } = enrolments.get(username) as Enrolment;
      const token = tokens.get(username);
      const status = (await api.call('GET', '/mfa/status', { token })).body;
      expect(status.success, `${username} status: ${JSON.stringify(status)}`).toBe(true);
      expect([NOT_ENABLED, ENABLED], `${username} status`).toContainEqual(status.data);
      if (!status.data.enabled) {
        expect(verify, `${username}: acknowledged enrolment lost`).toBeUndefined();
        const login = await api.call('POST', '/auth/login', {
          body: { username, password: PASSWORD },
        });
        expect(login.status, `${username} login: ${JSON.stringify(login.body)}`).toBe(200);
        // Nothing left half-way blocks a new enrolment.
        const again = await api.enableMfa(token as string);
        expect(again.backupCodes).toHaveLength(10);
        continue;
      }
      enabledCount++;
      // Enabled means the verify reached the server, which needs the secret from the setup
      // answer: so the codes are known, and they are the ones that were activated.
      expect(setup, `${username} enabled without a setup answer`).toBeDefined();
      const challengeId = await api.startChallenge(username);
      const [backupCode] = setup.data.backup_codes as string[];
      const completed = await api.completeChallenge(username, challengeId, backupCode as string);
      expect(completed.status, `${username} login: ${JSON.stringify(completed.body)}`).toBe(200);
      expect((await api.call('GET', '/mfa/status', { token })).body.data).toEqual({
        ...ENABLED,
        backup_codes_remaining: 9,
      });
    }
    expect(enabledCount).toBeGreaterThanOrEqual(3); // the three answered before the kill
    console.info(`durability burst after restart: ${enabledCount} of ${usernames.length} enabled`);

    // A registration cut short left nothing claimed; one that finished is whole.
    for (const username of lateUsernames) {
      const email = `${username}@example.com`;
      const login = await api.call('POST', '/auth/login', {
        body: { username, password: PASSWORD },
      });
      if (registrations.has(username)) {
        expect(login.status, `${username}: acknowledged registration lost`).toBe(200);
      }
      if (login.status === 200) {
        expect(login.body.data.user.username).toBe(username);
        const sameEmail = await api.call('POST', '/auth/register', {
          body: {
            username: `${username}_other`,
            email,
            password: PASSWORD,
          },
        });
        expect(sameEmail.body.error?.code, `${username}: email not claimed`).toBe('CONFLICT');
        const sameName = await api.call('POST', '/auth/register', {
          body: {
            username,
            email: `other_${email}`,
            password: PASSWORD,
          },
        });
        expect(sameName.body.error?.code, `${username}: username not claimed`).toBe('CONFLICT');
      } else {
        expect(login.body.error?.code, `${username} login: ${JSON.stringify(login.body)}`).toBe(
          'INVALID_CREDENTIALS',
        );
        const retried = await api.call('POST', '/auth/register', {
          body: {
            username,
            email,
            password: PASSWORD,
          },
        });
        expect(retried.status, `${username} retry: ${JSON.stringify(retried.body)}`).toBe(200);
      }
    }
  }, 300_000);
});
