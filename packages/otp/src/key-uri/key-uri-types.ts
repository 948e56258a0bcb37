import type { Digits, HashAlgorithm } from '../types.js';

/** What {@link buildKeyUri} writes into an `otpauth://` URI. */
export interface BuildKeyUriOptions {
  /** The shared secret, as bytes or as base32 text. */
  secret: Uint8Array | string;
  /** The user's account name shown in the authenticator (e.g. an email address). */
  account: string;
  /** Who issued the secret (your product name); shown and used to group accounts. */
  issuer?: string;
  /** Default `'SHA1'`. */
  algorithm?: HashAlgorithm;
  /** Default 6. */
  digits?: Digits;
  /** TOTP step in seconds. Default 30. */
  period?: number;
  /** Default `'totp'`. */
  type?: 'totp' | 'hotp';
  /** HOTP only: the initial counter. Default 0. */
  counter?: number;
}

/** An `otpauth://` URI as {@link parseKeyUri} reads it, with every default filled in. */
export interface KeyUri {
  type: 'totp' | 'hotp';
  account: string;
  issuer?: string;
  secret: Uint8Array;
  algorithm: HashAlgorithm;
  digits: Digits;
  period: number;
  /** Present for `hotp` URIs only. */
  counter?: number;
}

/** Caps that keep a hostile URI (a QR code is attacker-controllable) from costing much. */
export const KEY_URI_LIMITS = {
  uri: 4096,
  label: 512,
  issuer: 256,
  account: 256,
  secretChars: 1024,
} as const;
