import { createHmac } from 'node:crypto';

/** A line-by-line RFC 4226 HOTP on node:crypto, to check ours against beyond the RFC tables. */
export function referenceHotp(
  secret: Uint8Array,
  counter: bigint,
  digits = 6,
  hash = 'sha1',
): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const mac = createHmac(hash, secret).update(message).digest();
  const offset = (mac.at(-1) ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}
