import { h } from './dom.js';
import { actionButton } from './ui.js';

/** The backup codes, with copy and download (a text file). */
export function backupCodeList(codes: string[]): HTMLElement {
  const text = `${codes.join('\n')}\n`;
  const copied = h('span', { role: 'status' });
  const copy = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        // The clipboard needs a secure context (localhost counts) and may be refused.
        const done = await navigator.clipboard?.writeText(text).then(
          () => true,
          () => false,
        );
        copied.textContent = done ? ' Copied.' : ' Copy failed: select the codes instead.';
      },
    },
    'Copy',
  );
  // A data: URL, not a blob: one, which would keep the codes reachable until the tab closes.
  const download = h(
    'a',
    {
      href: `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`,
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
    h('p', {}, copy, ' ', download, copied),
  );
}

/** A screen of new backup codes (shown once), and the way on. */
export function backupCodesScreen(
  codes: string[],
  title: string,
  next: () => Promise<void>,
): HTMLElement {
  return h(
    'section',
    {},
    h('h1', {}, title),
    backupCodeList(codes),
    actionButton('Done', next, ''),
  );
}
