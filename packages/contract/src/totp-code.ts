/**
 * Six digits with single spaces or hyphens between them, as people copy or type them. Only
 * between digits (spec §6 rule 1): around the code the crate's rule stands.
 */
const TOTP_TYPED = /^[0-9](?:[ -]?[0-9]){5}$/;

/**
 * A TOTP code as people type it (`"123 456"`, `"123-456"`, `"12 34 56"`) reduced to its
 * six digits (spec §6 rule 1); anything else is returned unchanged, so the route's own
 * message ("TOTP code must be 6 digits") still applies to it. The server and the SDK both use
 * this, so a code the SDK sends is read the same way by every route. (Its own module: the SDK
 * imports it without the validators' valibot.)
 *
 * @example
 * ```ts
 * import { normalizeTotpCode } from '@twofold/contract';
 * normalizeTotpCode('123 456'); // '123456'
 * normalizeTotpCode('12-34-56'); // '123456'
 * normalizeTotpCode('12345'); // '12345'
 * normalizeTotpCode('ABCD-EFGH'); // 'ABCD-EFGH'
 * ```
 */
export function normalizeTotpCode(code: string): string {
  return TOTP_TYPED.test(code) ? code.replace(/[ -]/g, '') : code;
}
