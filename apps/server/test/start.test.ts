import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base32Decode, totp } from '@twofold/otp';
import { afterAll, describe, expect, it } from 'vitest';
import { pnpm, repoRoot, run } from './process.js';

describe('pnpm start', () => {
  const { command, args } = pnpm();
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-start-'));
  const app = run(command, [...args, 'start', '--', '--port', '0'], {
    env: {
      TWOFOLD_DATA_DIR: dataDir,
      TWOFOLD_MODE: '',
      PORT: '',
      DATABASE_URL: '',
    },
  });
  afterAll(async () => {
    app.signal('SIGKILL');
    await app.exit(10_000).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true }); // the embedded database is ~40 MB
  });

  it('builds, starts, serves the contract and a whole MFA enrolment, and stops on SIGTERM', async () => {
    const [, url] = await app.waitFor(
      /^Twofold reference server listening on (http:\/\/127\.0\.0\.1:\d+)$/m,
      150_000,
    );
    expect(app.output().stdout).toContain('store: PGlite (embedded)');
    const call = async (method: string, path: string, body?: unknown, token?: string) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          'Content-Type': 'application/json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.json() };
    };

    const openapi = await call('GET', '/api/openapi.json');
    expect(openapi.body).toEqual(
      JSON.parse(readFileSync(join(repoRoot, 'packages/contract/openapi.json'), 'utf8')),
    );

    const credentials = { username: 'start_test', password: 'correct horse battery staple' };
    expect(
      (await call('POST', '/api/v1/auth/register', { ...credentials, email: 'start@example.com' }))
        .status,
    ).toBe(200);
    const token = (await call('POST', '/api/v1/auth/login', credentials)).body.data.access_token;
    const setup = await call('POST', '/api/v1/mfa/setup', undefined, token);
    const code = totp(base32Decode(setup.body.data.secret));
    expect((await call('POST', '/api/v1/mfa/verify', { totp_code: code }, token)).body).toEqual({
      success: true,
      message: 'MFA enabled successfully',
    });
    expect((await call('POST', '/api/v1/auth/login', credentials)).body.error.code).toBe(
      'MFA_REQUIRED',
    );

    app.signal('SIGTERM');
    await app.exit(20_000);
  }, 180_000);
});
