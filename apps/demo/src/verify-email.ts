import { client } from './client.js';
import { h } from './dom.js';
import { offline } from './offline.js';
import { form, show } from './ui.js';

/**
 * The token of the email link that opened this page, if one did. Offline, the mock's emails
 * link here (`/?mock&verify=<token>`): a Service Worker does not see a page opened from the
 * address bar, so the server's own confirmation page cannot answer. Online, the link opens that
 * page of apps/server instead.
 */
export const linkToken = new URLSearchParams(location.search).get('verify');

/**
 * The page the email link opens: it verifies only when the user presses the button (a POST),
 * never on load — mail scanners and link previews open links too.
 */
export function confirmEmailScreen(token: string): HTMLElement {
  const back = () =>
    h(
      'p',
      {},
      h('a', { href: `${location.pathname}${offline ? '?mock' : ''}` }, 'Back to the demo'),
    );
  return h(
    'section',
    {},
    h('h1', {}, 'Confirm your email address'),
    h('p', {}, 'Press the button to confirm that this address is yours.'),
    form(
      'Confirm your email address',
      'Confirm my email address',
      [],
      async () => {
        await client.email.verify(token);
        show(
          h(
            'section',
            {},
            h('h1', {}, 'Email address verified'),
            h('p', { role: 'status' }, 'Thank you: your email address is verified.'),
            back(),
          ),
        );
      },
      // Here the token is the link's, not the session's.
      {
        messages: {
          INVALID_TOKEN: 'This link is invalid, expired or used. Log in and send another email.',
        },
      },
    ),
    back(),
  );
}
