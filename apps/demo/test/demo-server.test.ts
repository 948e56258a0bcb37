import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { base32Decode, totp } from '@twofold/otp';
import { appDataDirectory, startApp, stopApp } from '@twofold/testing';
import { launchChromium } from '@twofold/testing/browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The demo as a person meets it: `pnpm start` serves it at /, and every step below is done
// through the page, in headless Chromium. Screenshots go to apps/demo/screenshots/ (ignored).

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const shots = `${demoDir}screenshots/`;

let browser: Browser;
beforeAll(async () => {
  // `pnpm build` builds the demo before the tests run; a test run on its own builds it here.
  if (!existsSync(`${demoDir}dist/index.html`)) {
    execFileSync(process.execPath, [`${demoDir}../../node_modules/vite/bin/vite.js`, 'build'], {
      cwd: demoDir,
      stdio: 'ignore',
    });
  }
  mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
}, 120_000);
afterAll(() => browser?.close());

/**
 * The serious and critical accessibility violations axe-core finds on the page as it is now
 * (the page is opened with `bypassCSP`, so the scanner can be injected).
 */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const { violations } = await (
      window as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; help: string }[] }> };
      }
    ).axe.run();
    return violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.help}`);
  });
}

async function form(page: Page, name: string, values: Record<string, string>, submit: string) {
  const element = page.getByRole('form', { name });
  for (const [label, value] of Object.entries(values)) {
    await element.getByLabel(label, { exact: true }).fill(value);
  }
  await element.getByRole('button', { name: submit }).click();
}

/** Creates an account through the page's form; the user, now logged in. */
async function register(page: Page, username: string) {
  const user = { username, email: `${username}@example.com`, password: 'correct horse battery' };
  await form(
    page,
    'Create an account',
    { Username: user.username, Email: user.email, Password: user.password },
    'Create account',
  );
  return user;
}

describe('apps/demo served by apps/server', () => {
  it('registers, enrols TOTP from the page, logs in with a backup code, and turns MFA off', async () => {
    const app = await startApp(
      { TWOFOLD_DATA_DIR: await appDataDirectory('twofold-demo-') },
      90_000,
    );
    const page = await browser.newPage({ viewport: { width: 360, height: 800 }, bypassCSP: true });
    const violations: string[] = [];
    try {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      const response = await page.goto(app.url);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      expect(app.output().stdout).toContain(`demo: open ${app.url}/`);
      await page.screenshot({ path: `${shots}1-signed-out.png`, fullPage: true });
      violations.push(...(await accessibilityViolations(page)));

      const user = await register(page, 'demo_ada');
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe(`Hello, ${user.username}`);
      await expect.poll(() => page.locator('.factors').textContent()).toContain('Off.');

      // Email: send, read the development inbox, follow the link to the server's page, confirm.
      await form(page, 'Send a verification email', {}, 'Send a verification email');
      await expect.poll(() => page.getByText('Sent: look in your inbox.').count()).toBe(1);
      await form(page, 'Inbox', { 'Email address': user.email }, 'Show emails');
      const inbox = page.getByRole('list', { name: 'Inbox' });
      await inbox.getByRole('link').first().click();
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe('Confirm your email address');
      await page.getByRole('button', { name: 'Confirm my email address' }).click();
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe('Email address verified');
      await page.goto(app.url);
      await form(page, 'Send a verification email', {}, 'Send a verification email');
      await expect.poll(() => page.getByText('Your address is already verified.').count()).toBe(1);

      await form(page, 'Set up an authenticator app', { Password: user.password }, 'Set up');
      const secret = (await page.locator('.secret').textContent()) ?? '';
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const backupCodes = await page
        .getByRole('list', { name: 'Backup codes' })
        .locator('li')
        .allTextContents();
      expect(backupCodes).toHaveLength(10);
      await page.screenshot({ path: `${shots}2-enrol.png`, fullPage: true });
      violations.push(...(await accessibilityViolations(page)));
      // A pasted code with a space in the middle works.
      const code = totp(base32Decode(secret), { time: Date.now() });
      await form(
        page,
        'Confirm',
        { 'Code from your app': `${code.slice(0, 3)} ${code.slice(3)}` },
        'Turn on',
      );
      await expect
        .poll(() => page.locator('.factors').textContent())
        .toContain('10 backup codes left');
      await page.screenshot({ path: `${shots}3-home-mfa-on.png`, fullPage: true });

      // Log out, then in again: the challenge, answered with a backup code. A double click on
      // "Log in" sends one request.
      await page.getByRole('button', { name: 'Log out' }).click();
      const logins: string[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/api/v1/auth/login')) logins.push(request.url());
      });
      const login = page.getByRole('form', { name: 'Log in' });
      await login.getByLabel('Username').fill(user.username);
      await login.getByLabel('Password').fill(user.password);
      await login.getByRole('button', { name: 'Log in' }).dblclick();
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe('Two-factor authentication');
      expect(logins).toHaveLength(1);
      await page.screenshot({ path: `${shots}4-challenge.png`, fullPage: true });
      await form(page, 'Second factor', { Code: backupCodes[0] ?? '' }, 'Verify');
      await expect
        .poll(() => page.locator('.factors').textContent())
        .toContain('9 backup codes left');

      // A wrong code is shown from its error code.
      await form(
        page,
        'Turn off',
        { Password: user.password, 'Code from your app': '000000' },
        'Turn off',
      );
      await expect
        .poll(() => page.getByRole('alert').first().textContent())
        .toContain('That code did not work');
      await page.screenshot({ path: `${shots}5-error.png`, fullPage: true });
      violations.push(...(await accessibilityViolations(page)));
      expect(violations).toEqual([]);
      const next = totp(base32Decode(secret), { time: Date.now() + 30_000 });
      await form(
        page,
        'Turn off',
        { Password: user.password, 'Code from your app': next },
        'Turn off',
      );
      await expect.poll(() => page.locator('.factors').textContent()).toContain('Off.');
      expect(errors.filter((text) => !text.includes('status of 4'))).toEqual([]);
    } finally {
      await page.close();
      await stopApp(app);
    }
  }, 180_000);

  it('runs offline on the mock (?mock): the same flows, its clock, a forced failure, nothing sent to the server', async () => {
    const app = await startApp(
      { TWOFOLD_DATA_DIR: await appDataDirectory('twofold-demo-') },
      90_000,
    );
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    try {
      await page.goto(`${app.url}/?mock`);
      const panel = page.getByRole('complementary', { name: 'Mock controls' });
      await expect.poll(() => panel.getByRole('heading').textContent()).toBe('Offline mock');
      const user = await register(page, 'offline_ada');
      await expect.poll(() => page.locator('.factors').textContent()).toContain('Off.');
      await form(page, 'Set up an authenticator app', { Password: user.password }, 'Set up');
      const secret = (await page.locator('.secret').textContent()) ?? '';
      await form(
        page,
        'Confirm',
        { 'Code from your app': totp(base32Decode(secret), { time: Date.now() }) },
        'Turn on',
      );
      await expect
        .poll(() => page.locator('.factors').textContent())
        .toContain('10 backup codes left');
      // The panel's controls reach the mock: a forced 503 is shown from its error code.
      await panel.getByRole('button', { name: '+5 min' }).click();
      await panel.getByRole('button', { name: 'Fail the next request' }).click();
      await form(page, 'New backup codes', { Password: user.password }, 'New backup codes');
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('busy');
      await page.screenshot({ path: `${shots}6-offline.png`, fullPage: true });
      // A rate limit counts down from its Retry-After: 5 wrong codes, then the sixth is refused.
      const turnOff = page.getByRole('form', { name: 'Turn off' });
      const alert = turnOff.getByRole('alert');
      for (let i = 0; i < 6; i++) {
        await form(
          page,
          'Turn off',
          { Password: user.password, 'Code from your app': '000000' },
          'Turn off',
        );
        const expected = i < 5 ? 'did not work' : 'Too many attempts';
        await expect.poll(() => alert.textContent()).toContain(expected);
      }
      const secondsLeft = async () =>
        Number(/in (\d+) s/.exec((await alert.textContent()) ?? '')?.[1]);
      const first = await secondsLeft();
      expect(first).toBeGreaterThan(800);
      await expect.poll(secondsLeft, { timeout: 5_000 }).toBeLessThan(first);
      // Nothing reached the real server: it has no such user.
      const login = await app.api.call('POST', '/auth/login', {
        body: { username: user.username, password: user.password },
      });
      expect(login.body.error.code).toBe('INVALID_CREDENTIALS');
    } finally {
      await page.close();
      await stopApp(app);
    }
  }, 180_000);
});
