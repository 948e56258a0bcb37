import type { Passkey } from '@twofold/client/webauthn';
import { backupCodesScreen } from './backup-codes.js';
import { keys } from './client.js';
import { field, h, inputValue } from './dom.js';
import { form, passwordField, show } from './ui.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The user's passkeys (name, added, last used), each removable with the password, and a form
 * that adds one: the browser's prompt between two requests. `refresh` redraws the home screen.
 */
export function passkeySection(list: Passkey[], refresh: () => Promise<void>): HTMLElement {
  if (!keys.isSupported()) return h('p', {}, 'This browser cannot use passkeys.');
  const item = (passkey: Passkey) =>
    h(
      'li',
      {},
      h('strong', {}, passkey.name),
      h(
        'span',
        { class: 'muted' },
        ` added ${dateTime.format(passkey.createdAt)}, `,
        passkey.lastUsedAt === undefined
          ? 'not used yet'
          : `last used ${dateTime.format(passkey.lastUsedAt)}`,
      ),
      // The password again before removal: an unattended session cannot strip a factor.
      h(
        'details',
        {},
        h('summary', {}, `Remove ${passkey.name}`),
        form(`Remove ${passkey.name}`, 'Remove', [passwordField()], async (f) => {
          await keys.remove(passkey.credentialId, { password: inputValue(f, 'password') });
          await refresh();
        }),
      ),
    );
  return h(
    'div',
    {},
    list.length === 0
      ? h('p', {}, 'No passkeys yet.')
      : h('ul', { class: 'passkeys', 'aria-label': 'Passkeys' }, ...list.map(item)),
    form(
      'Add a passkey',
      'Add a passkey',
      [
        field('Name', { name: 'name', autocomplete: 'off', maxlength: '64', value: 'This device' }),
        passwordField(),
      ],
      async (f) => {
        const added = await keys.register({
          name: inputValue(f, 'name'),
          password: inputValue(f, 'password'),
        });
        // The first second factor turns MFA on and comes with the backup codes, shown once.
        if (added.backupCodes === undefined) await refresh();
        else
          show(backupCodesScreen(added.backupCodes, 'Passkey added: your backup codes', refresh));
      },
    ),
  );
}
