import {
  createClient,
  type MfaRequired,
  type MfaSetup,
  webStorageTokenStore,
} from '@twofold/client';
import { field, h, inputValue } from './dom.js';
import { emailSection } from './email.js';
import { errorMessage } from './errors.js';
import { mockPanel, offline, startMock } from './offline.js';
import { qrCode } from './qr.js';

// The demo uses only @twofold/client's public API. The page is served by the API's own origin
// (apps/server at /), so the SDK talks to the same origin; the session survives a reload.
const client = createClient({
  baseUrl: location.origin,
  tokenStore: webStorageTokenStore(sessionStorage),
});

const app = document.getElementById('app') as HTMLElement;

/** Shows `screen`, moving focus to its first input (else its heading) for keyboard users. */
function show(screen: HTMLElement): void {
  app.replaceChildren(screen);
  const input = screen.querySelector<HTMLElement>('input');
  const heading = screen.querySelector<HTMLElement>('h1');
  if (input === null && heading !== null) heading.tabIndex = -1;
  (input ?? heading)?.focus();
}

/**
 * A form whose submit runs `action` once at a time: the button is disabled while a request is
 * pending (a double click sends one request), and a failure is shown above the button.
 */
function form(
  name: string,
  submitLabel: string,
  fields: HTMLElement[],
  action: (form: HTMLFormElement) => Promise<void>,
): HTMLFormElement {
  const button = h('button', { type: 'submit' }, submitLabel) as HTMLButtonElement;
  const status = h('div', { class: 'status' });
  const element = h('form', { 'aria-label': name }, ...fields, status, button) as HTMLFormElement;
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    status.replaceChildren();
    try {
      await action(element);
    } catch (error) {
      status.replaceChildren(errorMessage(error));
    } finally {
      button.disabled = false;
    }
  });
  return element;
}

const codeField = (label: string) =>
  field(label, {
    name: 'code',
    autocomplete: 'one-time-code',
    inputmode: 'numeric',
    spellcheck: 'false',
  });

function signedOut(): HTMLElement {
  const register = form(
    'Create an account',
    'Create account',
    [
      field('Username', { name: 'username', autocomplete: 'username' }),
      field('Email', { name: 'email', type: 'email', autocomplete: 'email' }),
      field('Password', { name: 'password', type: 'password', autocomplete: 'new-password' }),
    ],
    async (f) => {
      const user = {
        username: inputValue(f, 'username'),
        email: inputValue(f, 'email'),
        password: inputValue(f, 'password'),
      };
      await client.auth.register(user);
      await logIn(user.username, user.password);
    },
  );
  const login = form(
    'Log in',
    'Log in',
    [
      field('Username', { name: 'username', autocomplete: 'username' }),
      field('Password', { name: 'password', type: 'password', autocomplete: 'current-password' }),
    ],
    (f) => logIn(inputValue(f, 'username'), inputValue(f, 'password')),
  );
  return h(
    'section',
    {},
    h('h1', {}, 'Twofold demo'),
    h('p', {}, 'Two-factor authentication and email verification, on @twofold/client.'),
    h('h2', {}, 'Log in'),
    login,
    h('h2', {}, 'New here?'),
    register,
    h(
      'p',
      {},
      offline
        ? h('a', { href: '/' }, 'Use the real server')
        : h('a', { href: '/?mock' }, 'Try it offline, on the mock'),
    ),
  );
}

async function logIn(username: string, password: string): Promise<void> {
  const result = await client.auth.login({ username, password });
  if (result.status === 'authenticated') return home();
  show(challenge(result));
}

/** Login step 2: a code from the authenticator app, or a backup code. */
function challenge(result: MfaRequired): HTMLElement {
  return h(
    'section',
    {},
    h('h1', {}, 'Two-factor authentication'),
    h('p', {}, 'Enter the 6-digit code from your authenticator app, or one of your backup codes.'),
    form('Second factor', 'Verify', [codeField('Code')], async (f) => {
      await result.complete({ code: inputValue(f, 'code') });
      await home();
    }),
  );
}

async function home(): Promise<void> {
  const [user, status] = await Promise.all([client.auth.validate(), client.mfa.status()]);
  const factors = status.enabled
    ? `On: ${status.methods.join(', ')}; ${status.backupCodesRemaining} backup codes left.`
    : 'Off.';
  const logout = h('button', { type: 'button' }, 'Log out');
  logout.addEventListener('click', async () => {
    await client.auth.logout();
    show(signedOut());
  });
  const actions = status.enabled
    ? [
        h('h2', {}, 'Backup codes'),
        form(
          'New backup codes',
          'New backup codes',
          [
            field('Password', {
              name: 'password',
              type: 'password',
              autocomplete: 'current-password',
            }),
          ],
          async (f) => {
            const codes = await client.mfa.regenerateBackupCodes({
              password: inputValue(f, 'password'),
            });
            show(backupCodes(codes, 'Your new backup codes', home));
          },
        ),
        h('h2', {}, 'Turn off two-factor authentication'),
        form(
          'Turn off',
          'Turn off',
          [
            field('Password', {
              name: 'password',
              type: 'password',
              autocomplete: 'current-password',
            }),
            codeField('Code from your app'),
          ],
          async (f) => {
            await client.mfa.disable({
              password: inputValue(f, 'password'),
              code: inputValue(f, 'code'),
            });
            await home();
          },
        ),
      ]
    : [
        h('h2', {}, 'Turn on two-factor authentication'),
        form(
          'Set up an authenticator app',
          'Set up',
          [
            field('Password', {
              name: 'password',
              type: 'password',
              autocomplete: 'current-password',
            }),
          ],
          async (f) => show(enrol(await client.mfa.setup({ password: inputValue(f, 'password') }))),
        ),
      ];
  show(
    h(
      'section',
      {},
      h('h1', {}, `Hello, ${user.username}`),
      h('p', { class: 'factors' }, 'Two-factor authentication: ', factors),
      ...actions,
      h('h2', {}, 'Email'),
      emailSection(client, form),
      h('p', {}, logout),
    ),
  );
}

/** TOTP enrolment: the QR code, the secret for typing in, the backup codes, the confirming code. */
function enrol(setup: MfaSetup): HTMLElement {
  return h(
    'section',
    {},
    h('h1', {}, 'Set up your authenticator app'),
    h('p', {}, 'Scan this code with your authenticator app:'),
    qrCode(setup.otpauthUri, 'QR code for your authenticator app'),
    h('p', {}, 'Or type this key: ', h('code', { class: 'secret' }, setup.secret)),
    backupCodeList(setup.backupCodes),
    form('Confirm', 'Turn on', [codeField('Code from your app')], async (f) => {
      await client.mfa.verify(inputValue(f, 'code'));
      await home();
    }),
  );
}

/** The backup codes, with copy and download (a text file). */
function backupCodeList(codes: string[]): HTMLElement {
  const text = `${codes.join('\n')}\n`;
  const copy = h('button', { type: 'button' }, 'Copy');
  copy.addEventListener('click', () => void navigator.clipboard?.writeText(text));
  const download = h(
    'a',
    {
      href: URL.createObjectURL(new Blob([text], { type: 'text/plain' })),
      download: 'twofold-backup-codes.txt',
    },
    'Download',
  );
  return h(
    'div',
    { class: 'backup-codes' },
    h('p', {}, 'Backup codes: each works once if you lose your phone. Keep them safe.'),
    h(
      'ol',
      { 'aria-label': 'Backup codes' },
      ...codes.map((code) => h('li', {}, h('code', {}, code))),
    ),
    h('p', {}, copy, ' ', download),
  );
}

function backupCodes(codes: string[], title: string, next: () => Promise<void>): HTMLElement {
  const done = h('button', { type: 'button' }, 'Done');
  done.addEventListener('click', () => void next());
  return h('section', {}, h('h1', {}, title), backupCodeList(codes), h('p', {}, done));
}

/** Offline, the mock first (with its panel); then a stored session's home, or the login screen. */
async function start(): Promise<void> {
  if (offline) document.body.prepend(mockPanel(await startMock()));
  const session = await client.auth.session();
  if (session === null) show(signedOut());
  else await home();
}

start().catch((error: unknown) => {
  app.replaceChildren(errorMessage(error));
});
