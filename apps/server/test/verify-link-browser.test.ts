import { appDataDirectory, type RunningApp, startApp, stopApp } from '@twofold/testing';
import { launchChromium } from '@twofold/testing/browser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';

// The link of a verification email, followed in headless Chromium (Debian's) as a user does:
// apps/server's own page, under its strict Content-Security-Policy, verifies only when the
// button is pressed (spec §6 rule 5).

let app: RunningApp | undefined;
let browser: Browser;

beforeAll(async () => {
  app = await startApp(
    { TWOFOLD_DATA_DIR: await appDataDirectory('twofold-link-browser-') },
    90_000,
  );
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stopApp(app);
});

it('opens the emailed link, verifies on the button only, and a second press finds the token used up', async () => {
  const api = (app as RunningApp).api;
  const user = await api.newUser();
  await api.call('POST', '/auth/verify-email/send', { token: user.accessToken });
  // The development outbox, as a developer reads it.
  const outbox = await api.call('GET', `/dev/outbox?to=${encodeURIComponent(user.email)}`);
  const { link } = outbox.body.data[0] as { link: string };

  const context = await browser.newContext();
  onTestFinished(() => context.close());
  const page = await context.newPage();
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
  });

  // Opened twice (a mail scanner, then the user): the page only asks.
  await page.goto(link);
  await page.reload();
  await expect.poll(() => page.locator('h1').textContent()).toBe('Confirm your email address');
  const button = page.getByRole('button', { name: 'Confirm my email address' });
  expect(await button.count()).toBe(1);

  // The token the two visits carried is still unused: the button redeems exactly it.
  await Promise.all([page.waitForURL(/\/verify-email$/), button.click()]);
  expect(await page.locator('h1').textContent()).toBe('Email address verified');

  // The link again, the button again: the token is used up.
  await page.goto(link);
  await Promise.all([
    page.waitForURL(/\/verify-email$/),
    page.getByRole('button', { name: 'Confirm my email address' }).click(),
  ]);
  expect(await page.locator('h1').textContent()).toBe('Link invalid or expired');
  expect(await page.textContent('main')).toContain('was already used');

  // The server agrees: the address is verified.
  const again = await api.call('POST', '/auth/verify-email/send', { token: user.accessToken });
  expect(again.body.data).toMatchObject({ sent: false, message: 'Email is already verified' });
  // Nothing on the page needed what its policy forbids.
  expect(blocked).toEqual([]);
}, 120_000);
