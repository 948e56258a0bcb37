import type { MfaMethod, MfaRequired, MfaSetup, MfaStatus } from '@twofold/client';
import type { Passkey } from '@twofold/client/webauthn';
import { backupCodeList, backupCodesScreen } from './backup-codes.js';
import { client, keys } from './client.js';
import { field, h, inputValue } from './dom.js';
import { emailSection } from './email.js';
import { errorMessage, sessionEnded } from './errors.js';
import { devServer, mockPanel, offline, startMock } from './offline.js';
import { passkeySection } from './passkeys.js';
import { qrCode } from './qr.js';
import {
  actionButton,
  backupCodeField,
  codeField,
  form,
  passwordField,
  secondFactorProof,
  show,
  whenSessionEnds,
} from './ui.js';
import { confirmEmailScreen, linkToken } from './verify-email.js';

// The demo uses only the public API of @twofold/client (and @twofold/mock/browser offline).
// Each screen is a function that makes its markup; each action is one SDK call.

/** The first screen; `notice` says how the last session ended when that needs saying. */
function signedOut(notice?: string): HTMLElement {
  const register = form(
    'Create an account',
    'Create account',
    [
      // The server's rules (contract validators), checked here first by the browser.
      field(
        'Username',
        {
          name: 'username',
          autocomplete: 'username',
          // Spaces around are fine: the page trims them (so no minlength, which counts them).
          pattern: '\\s*[A-Za-z0-9._\\-]{3,64}\\s*',
        },
        '3 to 64 letters, digits, dots, hyphens or underscores',
      ),
      field('Email', { name: 'email', type: 'email', autocomplete: 'email' }),
      field(
        'Password',
        {
          name: 'password',
          type: 'password',
          autocomplete: 'new-password',
          minlength: '8',
          maxlength: '1024',
        },
        'At least 8 characters',
      ),
    ],
    async (f) => {
      const user = {
        username: inputValue(f, 'username'),
        email: inputValue(f, 'email'),
        password: inputValue(f, 'password'),
      };
      await client.auth.register(user);
      // The account exists now: a failed login after it is not a failed registration.
      await logIn(user.username, user.password).catch(() =>
        show(signedOut('Your account is created. Log in below.')),
      );
    },
  );
  const login = form(
    'Log in',
    'Log in',
    [field('Username', { name: 'username', autocomplete: 'username' }), passwordField()],
    (f) => logIn(inputValue(f, 'username'), inputValue(f, 'password')),
  );
  return h(
    'section',
    {},
    h('h1', {}, 'Twofold demo'),
    h('p', {}, 'Two-factor authentication and email verification, on @twofold/client.'),
    notice === undefined ? undefined : h('p', { role: 'status' }, notice),
    h('h2', {}, 'Log in'),
    login,
    h('h2', {}, 'New here?'),
    register,
    devServer
      ? undefined
      : h(
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

/**
 * Login step 2, with the factors the challenge offers (`methods`): a passkey, a code of the
 * authenticator app, a backup code.
 */
function challenge(result: MfaRequired): HTMLElement {
  const { methods, webauthnOptions } = result.challenge;
  const withPasskey =
    webauthnOptions === undefined
      ? undefined
      : form('Passkey', 'Use a passkey', [], async () => {
          await keys.complete(result);
          await home();
        });
  // Nothing to undo on the server: an unanswered challenge expires by itself.
  const back = h(
    'button',
    { type: 'button', class: 'secondary', onclick: () => show(signedOut()) },
    'Back to log in',
  );
  const complete = async (f: HTMLFormElement) => {
    await result.complete({ code: inputValue(f, 'code') });
    await home();
  };
  const or = (text: string) =>
    withPasskey === undefined ? text : `Or ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
  const withBackupCode = form('Backup code', 'Verify', [backupCodeField('Backup code')], complete);
  // Without an app, the backup code is the other way in: shown, not tucked away.
  const codeForms = methods.includes('totp')
    ? [
        h('p', {}, or('Enter the 6-digit code from your authenticator app.')),
        form('Second factor', 'Verify', [codeField('Code')], complete),
        h('details', {}, h('summary', {}, 'Use a backup code instead'), withBackupCode),
      ]
    : [h('p', {}, or('Use one of your backup codes.')), withBackupCode];
  return h(
    'section',
    {},
    h('h1', {}, 'Two-factor authentication'),
    withPasskey,
    ...codeForms,
    h('p', {}, back),
  );
}

const methodNames: Record<MfaMethod, string> = { totp: 'authenticator app', webauthn: 'passkey' };

/** The login screen, saying why: a call found the session ended elsewhere or expired. */
const sessionEndedScreen = () => show(signedOut('Your session ended. Log in again.'));
whenSessionEnds(sessionEndedScreen);

/**
 * The signed-in user's screen: their factors and every change they can make to them. It never
 * fails: a change that succeeded is not reported as failed because this reload did (a retry of
 * it would then be refused), and a failed load offers to try again.
 */
async function home(): Promise<void> {
  let loaded: Parameters<typeof homeScreen>;
  try {
    loaded = await Promise.all([
      client.auth.validate(),
      client.mfa.status(),
      keys.isSupported() ? keys.list() : [],
    ]);
  } catch (error) {
    if (sessionEnded(error)) return sessionEndedScreen();
    return show(
      h(
        'section',
        {},
        h('h1', {}, 'Your account could not be loaded'),
        errorMessage(error),
        actionButton('Try again', home, ''),
      ),
    );
  }
  show(homeScreen(...loaded), 'heading');
}

function homeScreen(
  user: { username: string },
  status: MfaStatus,
  passkeys: Passkey[],
): HTMLElement {
  const factors = status.enabled
    ? `On (${status.methods.map((method) => methodNames[method]).join(', ')}); ${status.backupCodesRemaining} backup codes left.`
    : 'Off.';
  // The SDK forgets the session first, then tells the server; only that second part can fail.
  const logout = form(
    'Log out',
    'Log out',
    [],
    async () => {
      const told = await client.auth.logout().then(
        () => true,
        () => false,
      );
      show(
        signedOut(
          told
            ? undefined
            : 'Logged out on this device. The server could not be reached, so the session ends there when it expires.',
        ),
      );
    },
    { className: 'logout' },
  );
  return h(
    'section',
    {},
    h('h1', {}, `Hello, ${user.username}`),
    h('p', { class: 'factors' }, 'Two-factor authentication: ', factors),
    h('h2', {}, 'Authenticator app'),
    status.enabled ? newAuthenticator(status.methods.includes('totp')) : firstAuthenticator(),
    h('h2', {}, 'Passkeys'),
    passkeySection(passkeys, home),
    ...(status.enabled ? [h('h2', {}, 'Backup codes'), newBackupCodes()] : []),
    ...(status.enabled ? [h('h2', {}, 'Turn off two-factor authentication'), turnOff()] : []),
    h('h2', {}, 'Email'),
    emailSection(),
    logout,
  );
}

function firstAuthenticator(): HTMLElement {
  return h(
    'div',
    {},
    h(
      'p',
      {},
      'An app such as Google Authenticator, 1Password or Aegis shows a new 6-digit code every 30 seconds; logging in then takes your password and that code.',
    ),
    form('Set up an authenticator app', 'Set up', [passwordField()], async (f) =>
      show(
        enrol(
          await client.mfa.setup({ password: inputValue(f, 'password') }),
          'Set up your authenticator app',
        ),
      ),
    ),
  );
}

/**
 * The recovery path: a new phone (or a first app beside passkeys) with the password and a
 * backup code, or a code of the app still in hand. The old app keeps working until the new
 * one is confirmed.
 */
function newAuthenticator(hasApp: boolean): HTMLElement {
  const name = hasApp ? 'Move to a new authenticator app' : 'Add an authenticator app';
  return h(
    'div',
    {},
    h(
      'p',
      {},
      hasApp
        ? 'Lost your phone, or got a new one? Move to a new app with your password and a backup code.'
        : 'Passkeys are on; an app as well needs your password and a backup code.',
    ),
    form(
      name,
      hasApp ? 'Move' : 'Set up',
      [
        passwordField(),
        backupCodeField(hasApp ? 'Backup code, or a code from your old app' : 'Backup code'),
      ],
      async (f) => {
        const setup = await client.mfa.replace({
          password: inputValue(f, 'password'),
          ...secondFactorProof(inputValue(f, 'code')),
        });
        show(enrol(setup, 'Set up your new authenticator app'));
      },
    ),
  );
}

function newBackupCodes(): HTMLElement {
  return form('New backup codes', 'New backup codes', [passwordField()], async (f) => {
    const codes = await client.mfa.regenerateBackupCodes({ password: inputValue(f, 'password') });
    show(backupCodesScreen(codes, 'Your new backup codes', home));
  });
}

function turnOff(): HTMLElement {
  return form(
    'Turn off',
    'Turn off',
    [passwordField(), backupCodeField('Code from your app, or a backup code')],
    async (f) => {
      await client.mfa.disable({
        password: inputValue(f, 'password'),
        ...secondFactorProof(inputValue(f, 'code')),
      });
      await home();
    },
    { className: 'danger' },
  );
}

/** TOTP enrolment: the QR code, the secret for typing in, the backup codes, the confirming code. */
function enrol(setup: MfaSetup, title: string): HTMLElement {
  return h(
    'section',
    {},
    h('h1', {}, title),
    h('p', {}, 'Scan this code with your authenticator app:'),
    qrCode(setup.otpauthUri, 'QR code for your authenticator app'),
    // In groups of four, as apps show keys; they accept it typed with or without the spaces.
    h(
      'p',
      {},
      'Or type this key: ',
      h('code', { class: 'secret' }, setup.secret.replace(/(.{4})(?=.)/g, '$1 ')),
    ),
    backupCodeList(setup.backupCodes),
    form('Confirm', 'Turn on', [codeField('Code from your app')], async (f) => {
      await client.mfa.verify(inputValue(f, 'code'));
      await home();
    }),
    // Nothing to undo: a setup that is never confirmed changes nothing.
    actionButton('Cancel', home),
  );
}

/**
 * Offline, the mock first (with its panel). Then the page an email link opened, a stored
 * session's home, or the login screen.
 */
async function start(): Promise<void> {
  if (offline) document.body.prepend(mockPanel(await startMock()));
  if (linkToken !== null) return show(confirmEmailScreen(linkToken));
  const session = await client.auth.session();
  if (session === null) show(signedOut());
  else await home();
}

start().catch((error: unknown) =>
  show(h('section', {}, h('h1', {}, 'The demo could not start'), errorMessage(error))),
);
