import { devOutbox } from '@twofold/client/dev';
import { client } from './client.js';
import { field, h, inputValue } from './dom.js';
import { form } from './ui.js';

const sentAt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/**
 * Email verification: send the email, read the development inbox (the link opens a
 * confirmation page, which asks for a click and POSTs), and ask for another email by address.
 */
export function emailSection(): HTMLElement {
  const said = h('p', { role: 'status' });
  const inbox = h('ul', { 'aria-label': 'Inbox' });
  const address = (name: string) =>
    field(name, { name: 'email', type: 'email', autocomplete: 'email' });
  return h(
    'div',
    {},
    form('Send a verification email', 'Send a verification email', [], async () => {
      const sent = await client.email.sendVerification();
      said.textContent = sent.sent
        ? 'Sent: look in your inbox.'
        : 'Your address is already verified.';
    }),
    said,
    h('h3', {}, 'Development inbox'),
    form('Inbox', 'Show emails', [address('Email address')], async (f) => {
      const mails = await devOutbox(client, inputValue(f, 'email'));
      inbox.replaceChildren(
        ...(mails.length === 0
          ? [h('li', {}, 'No emails.')]
          : mails.map((mail) =>
              h(
                'li',
                {},
                h('a', { href: mail.link }, mail.subject),
                ` (${sentAt.format(new Date(mail.sent_at))})`,
              ),
            )),
      );
    }),
    inbox,
    h('h3', {}, 'Lost the email? Send it again'),
    form('Resend', 'Send again', [address('Email address')], async (f) => {
      await client.email.resend(inputValue(f, 'email'));
      said.textContent = 'If an account has that address, an email is on its way.';
    }),
  );
}
