import { isTwofoldError } from '@twofold/client';
import { field, h } from './dom.js';
import { errorMessage, sessionEnded } from './errors.js';

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

/** Where the page goes when a call finds the session gone (main.ts: the login screen). */
let onSessionEnd = (): void => {};
export function whenSessionEnds(handler: () => void): void {
  onSessionEnd = handler;
}

/** What {@link form} takes besides its fields and action. */
export interface FormOptions {
  /** Words for some error codes on this form, e.g. what an invalid token means here. */
  messages?: Record<string, string>;
  /** A class for the form: `secondary` (an outlined button), `danger` (a red one), `logout`. */
  className?: string;
}

/**
 * A form whose submit runs `action` once at a time: the button is marked disabled while a
 * request is pending (a double click sends one request), and a failure is shown above it. The
 * button stays focusable (`aria-disabled`, not `disabled`): a disabled button loses the focus,
 * and keyboard users would start again from the top of the page after every failure. A call
 * that finds the session gone leads to the login screen.
 */
export function form(
  name: string,
  submitLabel: string,
  fields: HTMLElement[],
  action: (form: HTMLFormElement) => Promise<void>,
  { messages, className }: FormOptions = {},
): HTMLFormElement {
  const button = h('button', { type: 'submit' }, submitLabel);
  const status = h('div', { class: 'status' });
  const element = h(
    'form',
    { 'aria-label': name, class: className },
    ...fields,
    status,
    button,
  ) as HTMLFormElement;
  let pending = false;
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (pending) return;
    pending = true;
    button.setAttribute('aria-disabled', 'true');
    status.replaceChildren();
    try {
      await action(element);
    } catch (error) {
      // Unless this form words the code itself (a link's token is not the session's).
      const worded = isTwofoldError(error) && messages?.[error.code] !== undefined;
      if (sessionEnded(error) && !worded) onSessionEnd();
      else status.replaceChildren(errorMessage(error, messages));
    } finally {
      pending = false;
      button.removeAttribute('aria-disabled');
    }
  });
  return element;
}

/** A button that runs `action` (one request at a time, failures shown): a form without fields. */
export const actionButton = (
  label: string,
  action: () => Promise<void>,
  className = 'secondary',
): HTMLFormElement => form(label, label, [], action, { className });

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
