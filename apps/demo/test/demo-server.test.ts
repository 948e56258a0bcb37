import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { base32Decode, totp } from '@twofold/otp';
import {
  appDataDirectory,
  type RunningApp,
  startApp,
  stopApp,
  withRepoLock,
} from '@twofold/testing';
import { addVirtualAuthenticator, launchChromium } from '@twofold/testing/browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildDemo } from './demo-build.js';
import {
  accessibilityViolations,
  factors,
  fillForm,
  heading,
  PASSWORD,
  readQrCode,
  register,
  shownBackupCodes,
  shownSecret,
} from './demo-page.js';

// The demo as a person meets it: `pnpm start` serves it at /, and every step below is done
// through the page, in headless Chromium, once against apps/server and once against the mock
// in the page's Service Worker (/?mock). Passkeys are made and used by Chromium's virtual
// authenticator (DevTools protocol); TOTP codes are computed from the key shown on the page.
// Screenshots go to apps/demo/screenshots/ (ignored by git).

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const shots = `${demoDir}screenshots/`;

let browser: Browser;
let app: RunningApp | undefined;
/** The demo by name: browsers refuse passkeys on an IP address (what `pnpm start` prints). */
let demoUrl: string;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  const dataDir = await appDataDirectory('twofold-demo-');
  // The server reads the built demo once, at its start: built and started under the lock, the
  // demo it serves is the current one, whatever another test file builds afterwards.
  [browser, app] = await Promise.all([
    launchChromium(),
    withRepoLock('dist', async () => {
      await buildDemo();
      return startApp({ TWOFOLD_DATA_DIR: dataDir }, 90_000);
    }),
  ]);
  demoUrl = app.url.replace('127.0.0.1', 'localhost');
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stopApp(app);
});

/**
 * A page in a browser context of its own (no session, Service Worker or passkey of another
 * test), 360 px wide, with a virtual platform authenticator. `bypassCSP` lets axe-core in; the
 * offline test keeps the CSP, so the page is shown to work under it.
 */
async function openDemo(path: string, options: { bypassCSP: boolean }) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 800 },
    bypassCSP: options.bypassCSP,
  });
  const page = await context.newPage();
  onTestFinished(async ({ task }) => {
    // What the page showed when a step failed, for the person reading the failure.
    if (task.result?.state === 'fail') {
      await page.screenshot({
        path: `${shots}failed-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}.png`,
        fullPage: true,
      });
    }
    await context.close();
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // The browser logs each refused or failed request itself ("Failed to load resource"): the
    // page shows those. Anything else is the page's fault.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      pageErrors.push(message.text());
    }
  });
  const authenticator = await addVirtualAuthenticator(page);
  const response = await page.goto(`${demoUrl}${path}`);
  return { page, response, pageErrors, authenticator };
}

const codeOf = (secret: string, offsetMs = 0) =>
  totp(base32Decode(secret), { time: Date.now() + offsetMs });

async function logOut(page: Page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect.poll(() => heading(page)).toBe('Twofold demo');
}

/** Logs in through the form; the page then shows the challenge. */
async function logInToChallenge(page: Page, username: string) {
  await fillForm(page, 'Log in', { Username: username, Password: PASSWORD }, 'Log in');
  await expect.poll(() => heading(page)).toBe('Two-factor authentication');
}

/**
 * Every flow of the demo, in the order a person would meet them, on either target. `name`
 * prefixes the screenshots; `scan` runs on each new kind of screen (the accessibility scan,
 * where the page lets it in). It returns what later steps need, and how many wrong codes
 * the user has sent since their last accepted one (they count towards the attempt limit).
 */
async function everyFlow(page: Page, name: string, username: string, scan: () => Promise<void>) {
  const shot = async (screen: string) => {
    await page.screenshot({ path: `${shots}${name}-${screen}.png`, fullPage: true });
    await scan();
  };
  await expect.poll(() => heading(page)).toBe('Twofold demo');
  await shot('01-signed-out');
  const user = await register(page, username);
  await expect.poll(() => heading(page)).toBe(`Hello, ${username}`);
  await expect.poll(() => factors(page)).toContain('Off.');

  // Email: send, read the development inbox, follow the link, confirm with a click.
  await fillForm(page, 'Send a verification email', {}, 'Send a verification email');
  await expect.poll(() => page.getByText('Sent: look in your inbox.').count()).toBe(1);
  await fillForm(page, 'Inbox', { 'Email address': user.email }, 'Show emails');
  await page.getByRole('list', { name: 'Inbox' }).getByRole('link').first().click();
  await expect.poll(() => heading(page)).toBe('Confirm your email address');
  await shot('02-verify-email');
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect.poll(() => heading(page)).toBe('Email address verified');
  await page.goto(`${demoUrl}${name === 'mock' ? '/?mock' : '/'}`);
  await fillForm(page, 'Send a verification email', {}, 'Send a verification email');
  await expect.poll(() => page.getByText('Your address is already verified.').count()).toBe(1);
  await fillForm(page, 'Resend', { 'Email address': user.email }, 'Send again');
  await expect.poll(() => page.getByText('an email is on its way').count()).toBe(1);

  // TOTP enrolment: the QR code read back from a screenshot is the URI of the key shown.
  await fillForm(page, 'Set up an authenticator app', { Password: PASSWORD }, 'Set up');
  const secret = await shownSecret(page);
  const uri = new URL((await readQrCode(page.locator('svg.qr'))) ?? 'about:blank');
  expect(uri.protocol).toBe('otpauth:');
  expect(uri.host).toBe('totp');
  expect(decodeURIComponent(uri.pathname)).toBe(`/Twofold:${username}`);
  expect(uri.searchParams.get('secret')).toBe(secret);
  const backupCodes = await shownBackupCodes(page);
  expect(backupCodes).toHaveLength(10);
  // Download: a text file of the codes, one per line.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('twofold-backup-codes.txt');
  expect(readFileSync(await download.path(), 'utf8')).toBe(`${backupCodes.join('\n')}\n`);
  await shot('03-enrol');
  // A pasted code with a space in the middle works.
  const code = codeOf(secret);
  await fillForm(
    page,
    'Confirm',
    { 'Code from your app': `${code.slice(0, 3)} ${code.slice(3)}` },
    'Turn on',
  );
  await expect
    .poll(() => factors(page))
    .toBe('Two-factor authentication: On (authenticator app); 10 backup codes left.');

  // Log in with a code of the app (the next one: the last is used up), after a wrong one.
  await logOut(page);
  await logInToChallenge(page, username);
  // Focus is on the code, with the keypad and the OS's one-time-code autofill.
  const focused = await page.evaluate(() => {
    const input = document.activeElement as HTMLInputElement;
    return [input.labels?.[0]?.textContent, input.autocomplete, input.inputMode];
  });
  expect(focused).toEqual(['Code', 'one-time-code', 'numeric']);
  await fillForm(page, 'Second factor', { Code: '000000' }, 'Verify');
  await expect
    .poll(() => page.getByRole('form', { name: 'Second factor' }).getByRole('alert').textContent())
    .toMatch(/^That code did not work\. .* \d+ tries left\.$/);
  await fillForm(page, 'Second factor', { Code: codeOf(secret, 30_000) }, 'Verify');
  await expect.poll(() => heading(page)).toBe(`Hello, ${username}`);

  // A passkey: added with the password, listed, then it completes a login.
  await fillForm(
    page,
    'Add a passkey',
    { Name: 'Chromium virtual key', Password: PASSWORD },
    'Add a passkey',
  );
  await expect.poll(() => factors(page)).toContain('On (authenticator app, passkey)');
  const passkeys = page.getByRole('list', { name: 'Passkeys' });
  await expect
    .poll(() => passkeys.textContent())
    .toMatch(/Chromium virtual key added .* not used yet/);
  await logOut(page);
  // A double click on "Log in" sends one request.
  const logins: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/v1/auth/login')) logins.push(request.url());
  });
  const login = page.getByRole('form', { name: 'Log in' });
  await login.getByLabel('Username').fill(username);
  await login.getByLabel('Password').fill(PASSWORD);
  await login.getByRole('button', { name: 'Log in' }).dblclick();
  await expect.poll(() => heading(page)).toBe('Two-factor authentication');
  expect(logins).toHaveLength(1);
  await shot('04-challenge');
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await expect.poll(() => heading(page)).toBe(`Hello, ${username}`);
  await expect
    .poll(() => passkeys.textContent())
    .toMatch(/Chromium virtual key added .* last used/);
  await shot('05-home');

  // Log in with a backup code.
  await logOut(page);
  await logInToChallenge(page, username);
  await page.getByText('Use a backup code instead').click();
  await fillForm(page, 'Backup code', { 'Backup code': backupCodes[0] ?? '' }, 'Verify');
  await expect.poll(() => factors(page)).toContain('9 backup codes left');

  // The recovery path: a new authenticator app with the password and a backup code.
  await fillForm(
    page,
    'Move to a new authenticator app',
    { Password: PASSWORD, 'Backup code, or a code from your old app': backupCodes[1] ?? '' },
    'Move',
  );
  await expect.poll(() => heading(page)).toBe('Set up your new authenticator app');
  const newSecret = await shownSecret(page);
  expect(newSecret).not.toBe(secret);
  expect(
    new URL((await readQrCode(page.locator('svg.qr'))) ?? 'about:blank').searchParams.get('secret'),
  ).toBe(newSecret);
  await shot('06-new-authenticator');
  await fillForm(page, 'Confirm', { 'Code from your app': codeOf(newSecret) }, 'Turn on');
  await expect.poll(() => factors(page)).toContain('10 backup codes left');

  // New backup codes, with the password as step-up.
  await fillForm(page, 'New backup codes', { Password: PASSWORD }, 'New backup codes');
  await expect.poll(() => heading(page)).toBe('Your new backup codes');
  const newCodes = await shownBackupCodes(page);
  expect(newCodes).toHaveLength(10);
  expect(newCodes).not.toContain(backupCodes[2]);
  await shot('07-new-backup-codes');
  await page.getByRole('button', { name: 'Done' }).click();

  // A wrong code is shown from its error code.
  await fillForm(
    page,
    'Turn off',
    { Password: PASSWORD, 'Code from your app, or a backup code': '000000' },
    'Turn off',
  );
  await expect
    .poll(() => page.getByRole('form', { name: 'Turn off' }).getByRole('alert').textContent())
    .toContain('That code did not work');
  await shot('08-error');

  // Remove the passkey, with the password.
  await page.getByText('Remove Chromium virtual key').click();
  await fillForm(page, 'Remove Chromium virtual key', { Password: PASSWORD }, 'Remove');
  await expect.poll(() => page.getByText('No passkeys yet.').count()).toBe(1);
  await expect.poll(() => factors(page)).toContain('On (authenticator app)');
  // The "Turn off" with 000000 above is the one wrong code since the last accepted one.
  return { user, newSecret, newCodes, wrongCodes: 1 };
}

describe('apps/demo', () => {
  it('against apps/server: every flow, from the page served at /', async () => {
    const { page, response, pageErrors } = await openDemo('/', { bypassCSP: true });
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(app?.output().stdout).toContain(`demo: open ${demoUrl}/`);
    // The page talks to the server, not to a mock of its own.
    await expect.poll(() => heading(page)).toBe('Twofold demo');
    expect(await page.getByRole('complementary', { name: 'Mock controls' }).count()).toBe(0);
    const violations: string[] = [];
    const { user, newSecret } = await everyFlow(page, 'server', 'demo_ada', async () => {
      violations.push(...(await accessibilityViolations(page)));
    });
    // Dark mode: the same page, readable (axe checks the contrast of every text).
    await page.emulateMedia({ colorScheme: 'dark' });
    violations.push(...(await accessibilityViolations(page)));
    await page.screenshot({ path: `${shots}server-09-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(violations).toEqual([]);

    // Turn MFA off with the next code of the new app.
    await fillForm(
      page,
      'Turn off',
      { Password: PASSWORD, 'Code from your app, or a backup code': codeOf(newSecret, 30_000) },
      'Turn off',
    );
    await expect.poll(() => factors(page)).toContain('Off.');
    expect(pageErrors).toEqual([]);
    // Everything above happened on the server: its user logs in there, MFA off.
    const login = await app?.api.call('POST', '/auth/login', {
      body: { username: user.username, password: user.password },
    });
    expect(login?.status).toBe(200);
  }, 240_000);

  it('against the mock (?mock): every flow, the panel of its controls, nothing sent to the server', async () => {
    const { page, pageErrors } = await openDemo('/?mock', { bypassCSP: false });
    const panel = page.getByRole('complementary', { name: 'Mock controls' });
    await expect.poll(() => panel.getByRole('heading').textContent()).toBe('Offline mock');
    // Under the page's CSP, which keeps axe-core out (the server test scans the same screens).
    const { user, newCodes, wrongCodes } = await everyFlow(
      page,
      'mock',
      'offline_ada',
      async () => {},
    );

    // The panel reaches the mock: a forced 503, and a lost network, shown from their codes.
    await panel.getByRole('button', { name: 'Fail the next request' }).click();
    await fillForm(page, 'New backup codes', { Password: PASSWORD }, 'New backup codes');
    const regenerate = page.getByRole('form', { name: 'New backup codes' }).getByRole('alert');
    await expect.poll(() => regenerate.textContent()).toContain('busy');
    await panel.getByRole('button', { name: 'Go offline' }).click();
    await fillForm(page, 'New backup codes', { Password: PASSWORD }, 'New backup codes');
    await expect.poll(() => regenerate.textContent()).toContain('No connection');
    await panel.getByRole('button', { name: 'Back online' }).click();
    await page.screenshot({ path: `${shots}mock-09-panel.png`, fullPage: true });

    // A rate limit counts down from its Retry-After: 5 wrong codes (with those of the flows
    // above), then the sixth attempt is refused.
    const turnOff = page.getByRole('form', { name: 'Turn off' });
    const alert = turnOff.getByRole('alert');
    for (let wrong = wrongCodes; wrong <= 5; wrong++) {
      await fillForm(
        page,
        'Turn off',
        { Password: PASSWORD, 'Code from your app, or a backup code': '000000' },
        'Turn off',
      );
      const expected = wrong < 5 ? 'did not work' : 'Too many attempts';
      await expect.poll(() => alert.textContent()).toContain(expected);
    }
    // "Try again in 14:59 min."
    const secondsLeft = async () => {
      const [, minutes, seconds] =
        /in (\d+):(\d+) min/.exec((await alert.textContent()) ?? '') ?? [];
      return Number(minutes) * 60 + Number(seconds);
    };
    const first = await secondsLeft();
    expect(first).toBeGreaterThan(800);
    await expect.poll(secondsLeft, { timeout: 5_000 }).toBeLessThan(first);
    // The mock's clock moves past the window; then MFA goes off with a backup code.
    await panel.getByRole('button', { name: '+24 h' }).click();
    const note = panel.getByRole('status');
    await expect.poll(() => note.textContent()).toContain('codes of your app are refused');
    await fillForm(
      page,
      'Turn off',
      { Password: PASSWORD, 'Code from your app, or a backup code': newCodes[0] ?? '' },
      'Turn off',
    );
    await expect.poll(() => factors(page)).toContain('Off.');
    await panel.getByRole('button', { name: 'Real time' }).click();
    await expect.poll(() => note.textContent()).toContain('back to real time');

    // Logging out without a network: the session ends on this device, and the page says the
    // server was not told.
    await panel.getByRole('button', { name: 'Go offline' }).click();
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect.poll(() => heading(page)).toBe('Twofold demo');
    await expect
      .poll(() => page.locator('#app').getByRole('status').textContent())
      .toContain('Logged out on this device. The server could not be reached');
    await panel.getByRole('button', { name: 'Back online' }).click();
    expect(pageErrors).toEqual([]);

    // Nothing reached the real server: it has no such user.
    const login = await app?.api.call('POST', '/auth/login', {
      body: { username: user.username, password: user.password },
    });
    expect(login?.body.error.code).toBe('INVALID_CREDENTIALS');
  }, 240_000);

  it('against apps/server: a passkey as the first second factor, a dismissed passkey prompt, then an authenticator app beside it', async () => {
    const { page, pageErrors, authenticator } = await openDemo('/', { bypassCSP: false });
    await expect.poll(() => heading(page)).toBe('Twofold demo');
    // A username typed with stray spaces is the username without them.
    await register(page, ' demo_grace ');
    await expect.poll(() => heading(page)).toBe('Hello, demo_grace');
    await fillForm(page, 'Add a passkey', { Name: 'Laptop', Password: PASSWORD }, 'Add a passkey');
    await expect.poll(() => heading(page)).toBe('Passkey added: your backup codes');
    const codes = await shownBackupCodes(page);
    expect(codes).toHaveLength(10);
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => factors(page)).toContain('On (passkey); 10 backup codes left.');

    // The user does not pass the passkey prompt: the page says so, and a backup code still works.
    await logOut(page);
    await logInToChallenge(page, 'demo_grace');
    const { cdp, authenticatorId } = authenticator;
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await expect
      .poll(() => page.getByRole('form', { name: 'Passkey' }).getByRole('alert').textContent())
      .toBe('The passkey prompt was closed. Try again, or use a code.');
    await page.screenshot({ path: `${shots}server-10-passkey-cancelled.png`, fullPage: true });
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
    // No app yet: the challenge offers no app code, and the backup code form is in view.
    expect(await page.getByRole('form', { name: 'Second factor' }).count()).toBe(0);
    await expect.poll(() => page.getByText('Or use one of your backup codes.').count()).toBe(1);
    await fillForm(page, 'Backup code', { 'Backup code': codes[1] ?? '' }, 'Verify');
    await expect.poll(() => factors(page)).toContain('On (passkey); 9 backup codes left.');

    await fillForm(
      page,
      'Add an authenticator app',
      { Password: PASSWORD, 'Backup code': codes[0] ?? '' },
      'Set up',
    );
    const secret = await shownSecret(page);
    await fillForm(page, 'Confirm', { 'Code from your app': codeOf(secret) }, 'Turn on');
    await expect
      .poll(() => factors(page))
      .toMatch(
        /On \((passkey, authenticator app|authenticator app, passkey)\); 10 backup codes left/,
      );

    // The session is ended elsewhere (its tokens revoked): the next change leads to the login
    // screen, which says why.
    const session = JSON.parse(
      (await page.evaluate(() => sessionStorage.getItem('twofold.session'))) ?? '{}',
    );
    const ended = await app?.api.call('POST', '/auth/logout', {
      token: session.accessToken,
      body: { refresh_token: session.refreshToken },
    });
    expect(ended?.status).toBe(200);
    await fillForm(page, 'New backup codes', { Password: PASSWORD }, 'New backup codes');
    await expect.poll(() => heading(page)).toBe('Twofold demo');
    await expect
      .poll(() => page.locator('#app').getByRole('status').textContent())
      .toBe('Your session ended. Log in again.');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
