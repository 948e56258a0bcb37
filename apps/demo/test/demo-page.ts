import { createRequire } from 'node:module';
import jsQRModule from 'jsqr';
import type { Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';

// What the e2e tests do to the demo page, as a person would: fill a form by its labels and
// press its button, read what the page says.

/** Fills the form called `name` by its field labels and presses its `submit` button. */
export async function fillForm(
  page: Page,
  name: string,
  values: Record<string, string>,
  submit: string,
): Promise<void> {
  const element = page.getByRole('form', { name });
  for (const [label, value] of Object.entries(values)) {
    await element.getByLabel(label, { exact: true }).fill(value);
  }
  await element.getByRole('button', { name: submit }).click();
}

export const PASSWORD = 'correct horse battery';

/** Creates an account through the page's form; the user, now logged in. */
export async function register(page: Page, username: string) {
  const user = { username, email: `${username.trim()}@example.com`, password: PASSWORD };
  await fillForm(
    page,
    'Create an account',
    { Username: user.username, Email: user.email, Password: user.password },
    'Create account',
  );
  return user;
}

/** The page's main heading. */
export const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

/** The home screen's line about the user's second factors. */
export const factors = (page: Page) => page.locator('.factors').textContent();

/** The key shown for typing in, in its groups of four; and without the spaces. */
export async function shownSecret(page: Page): Promise<string> {
  const grouped = (await page.locator('.secret').textContent()) ?? '';
  if (!/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/.test(grouped)) {
    throw new Error(`the key is not shown as 8 groups of 4: ${grouped}`);
  }
  return grouped.replaceAll(' ', '');
}

/** The backup codes on the screen. */
export const shownBackupCodes = (page: Page) =>
  page.getByRole('list', { name: 'Backup codes' }).locator('li').allTextContents();

// jsqr is CommonJS whose module.exports is the function (its types say `default`).
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

/** The text of the QR code that `qr` shows, read back from a screenshot of it. */
export async function readQrCode(qr: Locator): Promise<string | undefined> {
  const png = PNG.sync.read(await qr.screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

/**
 * The serious and critical accessibility violations axe-core finds on the page as it is now
 * (the page must be opened with `bypassCSP`, so the scanner can be injected).
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
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
