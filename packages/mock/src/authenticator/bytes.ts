// Byte helpers shared by the encoders: concatenation and SHA-256 through WebCrypto, which both
// browsers and Node (globalThis.crypto) provide.

/** Bytes on a plain `ArrayBuffer`, which is what WebCrypto accepts (never a shared buffer). */
export type Bytes = Uint8Array<ArrayBuffer>;

export function concatBytes(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data));
}

export const utf8 = (text: string): Bytes => new TextEncoder().encode(text);
