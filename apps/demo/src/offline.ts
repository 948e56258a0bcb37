import type { BrowserTwofoldMock } from '@twofold/mock/browser';
import { h } from './dom.js';

/**
 * Whether this is the Vite dev server, not the build that apps/server serves. The mode, not
 * `import.meta.env.DEV`: a build run with NODE_ENV=test (from inside a test runner) has DEV set.
 */
export const devServer = import.meta.env.MODE === 'development';

/**
 * Whether the page runs offline, on the mock: `?mock` in its address, and always on the Vite
 * dev server (`pnpm --filter @twofold/demo dev`), which has no API behind it.
 */
export const offline = devServer || new URLSearchParams(location.search).has('mock');

/**
 * Starts the mock in this page's Service Worker, answering the API at this origin: the same
 * server core, in memory (kept in sessionStorage across reloads). Loaded only offline, so the
 * online page does not carry the server core.
 */
export async function startMock(): Promise<BrowserTwofoldMock> {
  const { setupTwofoldWorker } = await import('@twofold/mock/browser');
  const mock = setupTwofoldWorker({
    baseUrl: location.origin,
    persist: 'sessionStorage',
    // The email link opens this page's confirmation screen (verify-email.ts).
    verifyUrl: `${location.origin}${location.pathname}?mock&verify={token}`,
  });
  await mock.start();
  return mock;
}

/** The mock's controls: its clock, its outbox, a failing or lost next request. */
export function mockPanel(mock: BrowserTwofoldMock): HTMLElement {
  const note = h('p', { class: 'mock-note', role: 'status' });
  const button = (label: string, action: () => void) =>
    h('button', { type: 'button', class: 'secondary', onclick: action }, label);
  const advance = (label: string, ms: number) =>
    button(label, () => {
      mock.clock.advance(ms);
      // Authenticator apps keep real time, and a code may be one 30-second step off: say
      // whether the app's codes still match the mock's time.
      const ahead = mock.clock.now() - Date.now();
      note.textContent = `Mock clock moved ${label.slice(1)} ahead. ${
        ahead > 31_000
          ? 'The codes of your app are refused until "Real time" (backup codes and passkeys still work).'
          : 'The codes of your app still work.'
      }`;
    });
  const outbox = h('ol', { class: 'outbox', 'aria-label': 'Outbox' });
  const showOutbox = () =>
    outbox.replaceChildren(
      ...mock.outbox
        .list()
        .map((mail) => h('li', {}, `${mail.to}: `, h('a', { href: mail.link }, mail.subject))),
    );
  return h(
    'aside',
    { class: 'mock-panel', 'aria-label': 'Mock controls' },
    h('h2', {}, 'Offline mock'),
    h(
      'p',
      {},
      advance('+30 s', 30_000),
      ' ',
      advance('+5 min', 5 * 60_000),
      ' ',
      advance('+24 h', 24 * 60 * 60_000),
      ' ',
      button('Real time', () => {
        mock.clock.reset();
        note.textContent = "The mock's clock is back to real time.";
      }),
    ),
    h(
      'p',
      {},
      button('Fail the next request', () => {
        mock.fail('*', { code: 'SERVICE_UNAVAILABLE', times: 1, retryAfter: 5 });
        note.textContent = 'The next request answers 503.';
      }),
      ' ',
      button('Go offline', () => {
        mock.network('*', 'offline');
        note.textContent = 'Requests fail as if the network were gone.';
      }),
      ' ',
      button('Back online', () => {
        mock.network('*', 'online');
        note.textContent = 'Requests reach the mock again.';
      }),
    ),
    h('p', {}, button('Show the outbox', showOutbox)),
    outbox,
    note,
  );
}
