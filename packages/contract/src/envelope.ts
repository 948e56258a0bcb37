import type { ErrorCode } from './error-codes.js';

/** The `error` member of a failed envelope. Absent members are omitted, never `null`. */
export interface ErrorBody<Code extends string = ErrorCode> {
  code: Code;
  message: string;
  details?: unknown;
}

/** `{"success":true,"data":…}` or `{"success":true,"message":"…"}` (or both). */
export interface SuccessEnvelope<T = unknown> {
  success: true;
  data?: T;
  message?: string;
}

/** `{"success":false,"error":{"code","message","details"?}}`. */
export interface ErrorEnvelope<Code extends string = ErrorCode> {
  success: false;
  error: ErrorBody<Code>;
  message?: string;
}

/** Every response body of the contract (spec §1). */
export type Envelope<T = unknown> = SuccessEnvelope<T> | ErrorEnvelope<string>;

/**
 * A success envelope carrying `data`.
 *
 * @example
 * ```ts
 * import { successData } from '@twofold/contract';
 * successData({ enabled: false }); // { success: true, data: { enabled: false } }
 * ```
 */
export function successData<T>(data: T): SuccessEnvelope<T> {
  return { success: true, data };
}

/**
 * A success envelope carrying only a message.
 *
 * @example
 * ```ts
 * import { successMessage } from '@twofold/contract';
 * successMessage('Backup code verified'); // { success: true, message: 'Backup code verified' }
 * ```
 */
export function successMessage(message: string): SuccessEnvelope<never> {
  return { success: true, message };
}

/**
 * An error envelope; `details` is left out when undefined.
 *
 * @example
 * ```ts
 * import { errorEnvelope } from '@twofold/contract';
 * errorEnvelope('NOT_FOUND', 'Not found'); // { success: false, error: { code: 'NOT_FOUND', message: 'Not found' } }
 * ```
 */
export function errorEnvelope<Code extends string = ErrorCode>(
  code: Code,
  message: string,
  details?: unknown,
): ErrorEnvelope<Code> {
  return {
    success: false,
    error: details === undefined ? { code, message } : { code, message, details },
  };
}

/**
 * True for a JSON value shaped like an envelope: `success` boolean, and on failure an `error`
 * with string `code` and `message`. Clients use it to tell envelopes from proxy error pages.
 *
 * @example
 * ```ts
 * import { isEnvelope } from '@twofold/contract';
 * isEnvelope({ success: true }); // true
 * isEnvelope({ success: false }); // false
 * isEnvelope('<html>'); // false
 * ```
 */
export function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const { success, error } = value as { success?: unknown; error?: unknown };
  if (success === true) return true;
  if (success !== false || typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string';
}
