import {
  appDataDirectory,
  appFromSource,
  httpDriver,
  startApp,
  stopApp,
  type TestProcess,
} from '@twofold/testing';
import { describe, expect, it, onTestFinished } from 'vitest';

// Where the link of a verification email leads when the app runs (spec §6 rule 5): its own
// page at the port it really listens on, or the page given by --verify-url.

/** The outbox entry of a verification email sent to a new user of the app at `url`. */
async function emailed(url: string) {
  const api = httpDriver({ baseUrl: url });
  const user = await api.newUser();
  await api.call('POST', '/auth/verify-email/send', { token: user.accessToken });
  const outbox = await api.call('GET', `/dev/outbox?to=${encodeURIComponent(user.email)}`);
  return outbox.body.data[0] as { link: string; token: string };
}

/** The app from source with `args`, the settings a caller's environment might leak cleared. */
async function appWith(args: string[]): Promise<TestProcess> {
  const app = appFromSource(['--port', '0', ...args], {
    TWOFOLD_MODE: 'development',
    TWOFOLD_DATA_DIR: await appDataDirectory('twofold-verify-url-'),
    TWOFOLD_PUBLIC_URL: '',
    TWOFOLD_VERIFY_URL: '',
    DATABASE_URL: '',
    SMTP_URL: '',
    TWOFOLD_RP_ID: '',
    TWOFOLD_ORIGINS: '',
  });
  onTestFinished(() => stopApp(app));
  return app;
}

describe('the link in verification emails of apps/server', () => {
  it('on --port 0 leads to its own page at the port it listens on, never port 0', async () => {
    const app = await startApp(
      { TWOFOLD_DATA_DIR: await appDataDirectory('twofold-link-') },
      90_000,
    );
    onTestFinished(() => stopApp(app));
    const entry = await emailed(app.url);
    expect(new URL(app.url).port).not.toBe('0');
    expect(entry.link).toBe(`${app.url}/verify-email?token=${entry.token}`);
    // The link opens the page (and opening it verifies nothing).
    const page = await fetch(entry.link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post" action="verify-email">');
  }, 120_000);

  it('leads where --verify-url says, the token in place of {token}', async () => {
    const app = await appWith([
      '--verify-url',
      'https://app.example.com/verify-email?token={token}',
    ]);
    const [, url] = await app.waitFor(
      /^Twofold reference server listening on (http:\/\/127\.0\.0\.1:\d+)$/m,
      90_000,
    );
    const entry = await emailed(url as string);
    expect(entry.link).toBe(`https://app.example.com/verify-email?token=${entry.token}`);
  }, 120_000);

  it('refuses a --verify-url without {token}, naming the flag and the variable', async () => {
    const app = await appWith(['--verify-url', 'https://app.example.com/verify-email']);
    expect(await app.exit(30_000)).toBe(1);
    expect(app.output().stderr).toContain(
      'twofold-server: --verify-url (TWOFOLD_VERIFY_URL) must contain {token} exactly once',
    );
    expect(app.output().stderr).not.toMatch(/\n\s+at /);
    expect(app.output().stdout).not.toContain('listening');
  }, 60_000);
});
