import { field, h } from './dom.js';
import { errorMessage } from './errors.js';

const app = document.getElementById('app') as HTMLElement;

/**
 * Shows `screen`, moving focus for keyboard and screen-reader users to the next step: its first
 * input, or its heading (an overview, or a screen without inputs).
 */
export function show(screen: HTMLElement, focus: 'input' | 'heading' = 'input'): void {
  app.replaceChildren(screen);
  const input = focus === 'input' ? screen.querySelector<HTMLElement>('input') : null;
  const heading = screen.querySelector<HTMLElement>('h1');
  if (input === null && heading !== null) heading.tabIndex = -1;
  (input ?? heading)?.focus();
}

/** Shows a failure of the page itself (not of a form) in place of the screen. */
export function showFailure(error: unknown): void {
  app.replaceChildren(errorMessage(error));
}

/**
 * A form whose submit runs `action` once at a time: the button is disabled while a request is
 * pending (a double click sends one request), and a failure is shown above the button.
 */
export function form(
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

/** A one-time code: numeric keypad on phones, and the code the OS offers from an SMS or app. */
export const codeField = (label: string) =>
  field(label, {
    name: 'code',
    autocomplete: 'one-time-code',
    inputmode: 'numeric',
    spellcheck: 'false',
    // Digits, and the spaces or hyphens a pasted code may carry.
    pattern: '[0-9 \\-]{6,11}',
    title: 'The 6 digits your app shows',
  });

/**
 * A backup code (8 letters and digits), or where a route takes either, a code of the app: the
 * full keyboard, since a numeric one cannot type a backup code.
 */
export const backupCodeField = (label: string) =>
  field(label, {
    name: 'code',
    autocomplete: 'one-time-code',
    autocapitalize: 'characters',
    spellcheck: 'false',
  });

/** The current password, asked again as a step-up proof before a change to the second factor. */
export const passwordField = () =>
  field('Password', { name: 'password', type: 'password', autocomplete: 'current-password' });

/**
 * A code the user typed as a step-up proof: six digits (spaces and hyphens aside) are a code
 * from the authenticator app, anything else a backup code (they are 8 characters).
 */
export function secondFactorProof(typed: string): { code: string } | { backupCode: string } {
  return /^\d{6}$/.test(typed.replace(/[\s-]/g, '')) ? { code: typed } : { backupCode: typed };
}
