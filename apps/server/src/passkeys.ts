import { isIP } from 'node:net';
import { TwofoldConfigError, type WebAuthnOptions } from '@twofold/server';
import { type AppConfig, ConfigError } from './config.js';

/** The server's passkey options, and the start banner's line about them. */
export interface PasskeySettings {
  options: WebAuthnOptions;
  description: string;
  /**
   * The address a person should open pages of this server at: the public URL, or on an IP
   * address the same server by name (`http://localhost:<port>`) when that is the passkey origin.
   */
  pageUrl: string;
}

/**
 * The passkey (WebAuthn) options of this process. Production needs the rp id and the origins
 * set. In development they default from the public URL so that a developer can use passkeys
 * at once: browsers refuse an IP address as rp id, so a server on 127.0.0.1 gets `localhost`
 * and the origin `http://localhost:<port>` (the same server, reached by name).
 */
export function passkeySettings(config: AppConfig, publicUrl: string): PasskeySettings {
  const given = config.origins.length > 0;
  if (config.mode === 'production' && (config.rpId === undefined || !given)) {
    const missing = [
      config.rpId === undefined ? '--rp-id (TWOFOLD_RP_ID)' : undefined,
      given ? undefined : '--origins (TWOFOLD_ORIGINS)',
    ].filter(Boolean);
    throw new ConfigError(
      `production mode needs ${missing.join(' and ')} for passkeys: the site's domain, e.g. example.com, and the origins of the pages that use them, e.g. https://app.example.com`,
    );
  }
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    // Renamed to the public URL setting by createApp, like the server's own refusal of it.
    throw new TwofoldConfigError('publicUrl', `must be an absolute http(s) URL, got ${publicUrl}`);
  }
  const onIp = isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0;
  const byName = onIp ? `${url.protocol}//localhost${url.port === '' ? '' : `:${url.port}`}` : '';
  const rpId = config.rpId ?? (onIp ? 'localhost' : url.hostname);
  const origins = given ? config.origins : [onIp ? byName : url.origin];
  const aaguids = new Set(config.webauthnAaguids);
  const options: WebAuthnOptions = {
    rpId,
    rpName: config.rpName,
    origins,
    userVerification: config.webauthnUserVerification,
    ...(aaguids.size === 0
      ? {}
      : {
          // Browsers may blank the AAGUID unless attestation is asked for.
          attestation: 'direct' as const,
          policy: ({ aaguid }) => aaguids.has(aaguid.toLowerCase()),
        }),
  };
  const notes = [
    `rp id ${rpId}; origins ${origins.join(', ')}`,
    onIp && origins.includes(byName)
      ? `open ${byName}, not ${url.origin}: browsers refuse passkeys on an IP address`
      : undefined,
    config.webauthnUserVerification === 'required' ? 'user verification required' : undefined,
    aaguids.size === 0 ? undefined : `only ${aaguids.size} authenticator model(s) may register`,
  ];
  // By name only where that name reaches this server: a loopback or all-interfaces address.
  const local = /^(127\.0\.0\.1|0\.0\.0\.0|\[::1?\])$/.test(url.hostname);
  const pageUrl =
    onIp && local && origins.includes(byName) ? byName : publicUrl.replace(/\/+$/, '');
  return { options, description: notes.filter(Boolean).join('; '), pageUrl };
}
