import { fileURLToPath } from 'node:url';
import {
  type AuthenticationResponseJSON,
  type GenerateRegistrationOptionsOpts,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  type VerifiedRegistrationResponse,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';
import { browserBundle, launchChromium, servePages } from '@twofold/testing/browser';
import { describe, expect, it } from 'vitest';
import { rawToDerSignature } from '../src/authenticator/der-signature.js';
import {
  createSoftwareAuthenticator,
  type SoftwareAuthenticator,
  type SoftwareAuthenticatorOptions,
} from '../src/authenticator.js';

// The software authenticator's answers are checked by @simplewebauthn/server, used directly:
// what it accepts, a server built on it accepts; what it refuses (a wrong origin, RP ID hash,
// missing UV, a counter gone back) is refused for the reason the option stands for.

const ORIGIN = 'http://localhost:5173';
const RP_ID = 'localhost';

const authenticatorFor = (options: Partial<SoftwareAuthenticatorOptions> = {}) =>
  createSoftwareAuthenticator({ origin: ORIGIN, ...options });

async function registrationOptions(extra: Partial<GenerateRegistrationOptionsOpts> = {}) {
  return generateRegistrationOptions({
    rpName: 'Twofold test',
    rpID: RP_ID,
    userName: 'ada',
    ...extra,
  });
}

const verifyRegistration = (
  response: RegistrationResponseJSON,
  challenge: string,
  requireUserVerification = true,
) =>
  verifyRegistrationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    requireUserVerification,
  });

/** Registers through a real options → response → verification round; returns the server's view. */
async function enrol(
  authenticator: SoftwareAuthenticator,
  extra?: Partial<GenerateRegistrationOptionsOpts>,
) {
  const options = await registrationOptions(extra);
  const response = await authenticator.register(options);
  const verification = await verifyRegistration(response, options.challenge);
  const info = verification.registrationInfo;
  if (!verification.verified || info === undefined) throw new Error('registration not verified');
  return { options, response, info, credential: { ...info.credential } };
}

/** One login with `credential` as a server stores it; the server's counter moves on success. */
async function login(
  authenticator: SoftwareAuthenticator,
  credential: WebAuthnCredential,
  requireUserVerification = true,
) {
  const options = await generateAuthenticationOptions({
    rpID: RP_ID,
    allowCredentials: [{ id: credential.id }],
  });
  const response = await authenticator.authenticate(options);
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    credential,
    requireUserVerification,
  });
  if (verification.verified) credential.counter = verification.authenticationInfo.newCounter;
  return { options, response, verification };
}

const json = (base64url: string) =>
  JSON.parse(new TextDecoder().decode(isoBase64URL.toBuffer(base64url)));
const sha256 = async (text: string) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

describe('registration verifies with @simplewebauthn/server', () => {
  it("with 'none' attestation (the default), UV required", async () => {
    const authenticator = authenticatorFor();
    const { options, response, info } = await enrol(authenticator);
    expect(info.fmt).toBe('none');
    expect(info.userVerified).toBe(true);
    expect(info.credential.id).toBe(response.id);
    const [held] = authenticator.credentials;
    expect(held).toEqual({
      id: response.id,
      rpId: RP_ID,
      userHandle: options.user.id,
      counter: 0,
      publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
    });
  });

  it("with 'packed' self attestation (signed by the credential key)", async () => {
    const { info } = await enrol(authenticatorFor({ attestation: 'packed' }), {
      attestationType: 'direct',
    });
    expect(info.fmt).toBe('packed');
  });

  it('answers the shape a browser does', async () => {
    const authenticator = authenticatorFor({ transports: ['internal', 'hybrid'] });
    const options = await registrationOptions();
    const response = await authenticator.register(options);
    expect(response).toMatchObject({
      id: response.rawId,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: { transports: ['internal', 'hybrid'], publicKeyAlgorithm: -7 },
    });
    expect(json(response.response.clientDataJSON)).toEqual({
      type: 'webauthn.create',
      challenge: options.challenge,
      origin: ORIGIN,
      crossOrigin: false,
    });
    // attestationObject {fmt, attStmt, authData}, authData as a separate member too.
    const attestation = isoCBOR.decodeFirst<Map<string, unknown>>(
      isoBase64URL.toBuffer(response.response.attestationObject),
    );
    expect([...attestation.keys()]).toEqual(['fmt', 'attStmt', 'authData']);
    const authData = attestation.get('authData') as Uint8Array<ArrayBuffer>;
    expect(isoBase64URL.fromBuffer(authData)).toBe(response.response.authenticatorData);
    // rpIdHash | flags UP+UV+AT | counter 0 | aaguid 0 | id length | id | COSE key
    const id = isoBase64URL.toBuffer(response.id);
    expect(authData.subarray(0, 32)).toEqual(await sha256(RP_ID));
    expect(authData[32]).toBe(0x01 | 0x04 | 0x40);
    expect(authData.subarray(33, 37)).toEqual(new Uint8Array(4));
    expect(authData.subarray(37, 53)).toEqual(new Uint8Array(16));
    expect((authData[53] ?? 0) * 256 + (authData[54] ?? 0)).toBe(id.length);
    expect(id.length).toBeGreaterThanOrEqual(16);
    expect(authData.subarray(55, 55 + id.length)).toEqual(id);
    const cose = authData.subarray(55 + id.length);
    expect(isoBase64URL.fromBuffer(cose)).toBe(authenticator.credentials[0]?.publicKey);
    // COSE_Key EC2 / ES256 / P-256, keys in canonical order; SPKI holds the same point.
    const key = isoCBOR.decodeFirst<Map<number, unknown>>(cose);
    expect([...key.keys()]).toEqual([1, 3, -1, -2, -3]);
    expect([key.get(1), key.get(3), key.get(-1)]).toEqual([2, -7, 1]);
    const spki = isoBase64URL.toBuffer(response.response.publicKey);
    const point = new Uint8Array([
      4,
      ...(key.get(-2) as Uint8Array),
      ...(key.get(-3) as Uint8Array),
    ]);
    expect(spki.subarray(-65)).toEqual(point);
    await expect(
      crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, true, [
        'verify',
      ]),
    ).resolves.toBeDefined();
  });

  it('takes the RP ID from the origin when the options name none', async () => {
    const authenticator = createSoftwareAuthenticator({ origin: 'https://app.example.com:8443' });
    const options = await generateRegistrationOptions({
      rpName: 'x',
      rpID: 'app.example.com',
      userName: 'ada',
    });
    const { id: _omitted, ...rp } = options.rp;
    const response = await authenticator.register({ ...options, rp });
    const verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: options.challenge,
      expectedOrigin: 'https://app.example.com:8443',
      expectedRPID: 'app.example.com',
    });
    expect(verification.verified).toBe(true);
    expect(authenticator.credentials[0]?.rpId).toBe('app.example.com');
  });
});

describe('authentication verifies with @simplewebauthn/server', () => {
  it('signs with the registered key; the counter goes up by one per assertion', async () => {
    const authenticator = authenticatorFor();
    const { options: enrolment, credential } = await enrol(authenticator);
    for (const expected of [1, 2, 3]) {
      const { response, verification } = await login(authenticator, credential);
      expect(verification.verified).toBe(true);
      expect(verification.authenticationInfo.newCounter).toBe(expected);
      expect(verification.authenticationInfo.userVerified).toBe(true);
      expect(response.response.userHandle).toBe(enrolment.user.id);
      expect(response).toMatchObject({
        id: credential.id,
        rawId: credential.id,
        type: 'public-key',
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
      });
    }
    expect(authenticator.credentials[0]?.counter).toBe(3);
  });

  it('writes clientDataJSON as a browser does', async () => {
    const authenticator = authenticatorFor();
    await enrol(authenticator);
    const response = await authenticator.authenticate({ challenge: 'Y2hhbGxlbmdl', rpId: RP_ID });
    expect(json(response.response.clientDataJSON)).toEqual({
      type: 'webauthn.get',
      challenge: 'Y2hhbGxlbmdl',
      origin: ORIGIN,
      crossOrigin: false,
    });
  });

  it('keeps verifying over many assertions (DER signatures of every length)', async () => {
    const authenticator = authenticatorFor();
    const { credential } = await enrol(authenticator);
    for (let round = 0; round < 40; round++) {
      const { verification } = await login(authenticator, credential);
      expect(verification.verified).toBe(true);
    }
  });

  it("createCredential's publicKey verifies an assertion as stored (COSE bytes, counter 0)", async () => {
    const authenticator = authenticatorFor();
    const seeded = await authenticator.createCredential({ rpId: RP_ID, userHandle: 'dXNlci00Mg' });
    expect(seeded).toMatchObject({ rpId: RP_ID, userHandle: 'dXNlci00Mg', counter: 0 });
    const credential = {
      id: seeded.id,
      publicKey: isoBase64URL.toBuffer(seeded.publicKey),
      counter: seeded.counter,
    };
    const { response, verification } = await login(authenticator, credential);
    expect(verification.verified).toBe(true);
    expect(verification.authenticationInfo.newCounter).toBe(1);
    expect(response.response.userHandle).toBe('dXNlci00Mg');
  });
});

describe('discoverable credentials', () => {
  it('with no allowCredentials, the most recent credential for that RP answers', async () => {
    const authenticator = authenticatorFor();
    await authenticator.createCredential({ rpId: RP_ID, userHandle: 'b2xk' });
    const newest = await authenticator.createCredential({ rpId: RP_ID, userHandle: 'bmV3' });
    await authenticator.createCredential({ rpId: 'other.example', userHandle: 'b3RoZXI' });
    for (const allowCredentials of [undefined, []]) {
      const response = await authenticator.authenticate({
        challenge: 'Y2hhbGxlbmdl',
        rpId: RP_ID,
        ...(allowCredentials && { allowCredentials }),
      });
      expect(response.id).toBe(newest.id);
      expect(response.response.userHandle).toBe('bmV3');
    }
  });

  it('with allowCredentials, the first listed that it holds for that RP answers', async () => {
    const authenticator = authenticatorFor();
    const first = await authenticator.createCredential({ rpId: RP_ID, userHandle: 'YQ' });
    const second = await authenticator.createCredential({ rpId: RP_ID, userHandle: 'Yg' });
    const elsewhere = await authenticator.createCredential({
      rpId: 'other.example',
      userHandle: 'Yw',
    });
    const response = await authenticator.authenticate({
      challenge: 'Y2hhbGxlbmdl',
      rpId: RP_ID,
      allowCredentials: [
        { id: 'bm90LW1pbmU', type: 'public-key' },
        { id: elsewhere.id, type: 'public-key' },
        { id: first.id, type: 'public-key' },
        { id: second.id, type: 'public-key' },
      ],
    });
    expect(response.id).toBe(first.id);
  });

  it('rejects with NotAllowedError when it holds none of the listed credentials, or none for the RP', async () => {
    const authenticator = authenticatorFor();
    const elsewhere = await authenticator.createCredential({
      rpId: 'other.example',
      userHandle: 'Yw',
    });
    const attempts = [
      { challenge: 'Y2hhbGxlbmdl', rpId: RP_ID },
      {
        challenge: 'Y2hhbGxlbmdl',
        rpId: RP_ID,
        allowCredentials: [{ id: elsewhere.id, type: 'public-key' }],
      },
    ];
    for (const options of attempts) {
      const error = await authenticator.authenticate(options).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DOMException);
      expect(error).toMatchObject({ name: 'NotAllowedError' });
    }
    expect(authenticator.credentials[0]?.counter).toBe(0);
  });
});

describe('flags', () => {
  it('UV off: verification requiring UV fails, and passes without the requirement', async () => {
    const authenticator = authenticatorFor({ userVerified: false });
    const options = await registrationOptions();
    const response = await authenticator.register(options);
    await expect(verifyRegistration(response, options.challenge)).rejects.toThrow(
      /user could not be verified/i,
    );
    const lenient = await verifyRegistration(response, options.challenge, false);
    expect(lenient.verified).toBe(true);
    const credential = {
      ...(lenient.registrationInfo as NonNullable<VerifiedRegistrationResponse['registrationInfo']>)
        .credential,
    };
    await expect(login(authenticator, credential)).rejects.toThrow(/user could not be verified/i);
    const { verification } = await login(authenticator, credential, false);
    expect(verification.authenticationInfo.userVerified).toBe(false);
  });

  it('UP off (userPresent: false): the server refuses', async () => {
    const authenticator = authenticatorFor({ userPresent: false });
    const options = await registrationOptions();
    const response = await authenticator.register(options);
    await expect(verifyRegistration(response, options.challenge)).rejects.toThrow(
      /user was not present/i,
    );
  });

  it.each([
    [{}, 'singleDevice', false],
    [{ backupEligible: true }, 'multiDevice', false],
    [{ backupEligible: true, backedUp: true }, 'multiDevice', true],
  ] as const)(
    'BE/BS %j → credentialDeviceType %s, credentialBackedUp %s',
    async (flags, deviceType, backedUp) => {
      const authenticator = authenticatorFor(flags);
      const { info, credential } = await enrol(authenticator);
      expect(info.credentialDeviceType).toBe(deviceType);
      expect(info.credentialBackedUp).toBe(backedUp);
      const { verification } = await login(authenticator, credential);
      expect(verification.authenticationInfo.credentialDeviceType).toBe(deviceType);
      expect(verification.authenticationInfo.credentialBackedUp).toBe(backedUp);
    },
  );

  it('the AAGUID is written in attested credential data (zeros by default)', async () => {
    const aaguid = 'adce0002-35bc-c60a-648b-0b25f1f05503';
    expect((await enrol(authenticatorFor({ aaguid }))).info.aaguid).toBe(aaguid);
    expect((await enrol(authenticatorFor())).info.aaguid).toBe(
      '00000000-0000-0000-0000-000000000000',
    );
    expect(() => authenticatorFor({ aaguid: 'not-a-uuid' })).toThrow(TypeError);
  });
});

describe('what a server must refuse', () => {
  it('a wrong origin (set on the authenticator at any time)', async () => {
    const authenticator = authenticatorFor();
    const { credential } = await enrol(authenticator);
    authenticator.origin = 'http://evil.example';
    const options = await registrationOptions();
    const response = await authenticator.register(options);
    expect(json(response.response.clientDataJSON).origin).toBe('http://evil.example');
    await expect(verifyRegistration(response, options.challenge)).rejects.toThrow(/origin/i);
    await expect(login(authenticator, credential)).rejects.toThrow(/origin/i);
    authenticator.origin = ORIGIN;
    expect((await login(authenticator, credential)).verification.verified).toBe(true);
  });

  it('a wrong RP ID hash (rpIdOverride), in registration and assertion', async () => {
    const honest = authenticatorFor();
    const { credential } = await enrol(honest);
    const options = await registrationOptions();
    const lying = authenticatorFor({ rpIdOverride: 'evil.example' });
    const response = await lying.register(options);
    await expect(verifyRegistration(response, options.challenge)).rejects.toThrow(/RP ID/i);
    // The credential still belongs to the options' RP: it is found, and its hash is wrong.
    expect(lying.credentials[0]?.rpId).toBe(RP_ID);
    const seeded = await lying.createCredential({ rpId: RP_ID, userHandle: 'YQ' });
    const stored = {
      id: seeded.id,
      publicKey: isoBase64URL.toBuffer(seeded.publicKey),
      counter: 0,
    };
    await expect(login(lying, stored)).rejects.toThrow(/RP ID/i);
    expect((await login(honest, credential)).verification.verified).toBe(true);
  });

  it('a counter set back (setCounter to 0 after use): clone detection', async () => {
    const authenticator = authenticatorFor();
    const { credential } = await enrol(authenticator);
    await login(authenticator, credential);
    await login(authenticator, credential);
    expect(credential.counter).toBe(2);
    authenticator.setCounter(credential.id, 0);
    expect(authenticator.credentials[0]?.counter).toBe(0);
    await expect(login(authenticator, credential)).rejects.toThrow(
      /counter value 1 was lower than expected 2/,
    );
  });
});

describe('browser errors', () => {
  const rejection = async (promise: Promise<unknown>) => {
    const error = await promise.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DOMException);
    return (error as DOMException).name;
  };

  it('excludeCredentials naming one of its credentials for that RP: InvalidStateError', async () => {
    const authenticator = authenticatorFor();
    const { credential } = await enrol(authenticator);
    const excluding = await registrationOptions({ excludeCredentials: [{ id: credential.id }] });
    expect(await rejection(authenticator.register(excluding))).toBe('InvalidStateError');
    expect(authenticator.credentials).toHaveLength(1);
    // Not its credential, or not for that RP: no conflict.
    await enrol(authenticator, { excludeCredentials: [{ id: 'bm90LW1pbmU' }] });
    const otherRp = await generateRegistrationOptions({
      rpName: 'x',
      rpID: 'other.example',
      userName: 'ada',
      excludeCredentials: [{ id: credential.id }],
    });
    await expect(authenticator.register(otherRp)).resolves.toMatchObject({ type: 'public-key' });
    expect(authenticator.credentials).toHaveLength(3);
  });

  it('pubKeyCredParams without ES256: NotSupportedError (an empty list means the defaults)', async () => {
    const authenticator = authenticatorFor();
    const rsaOnly = await registrationOptions({ supportedAlgorithmIDs: [-257, -8] });
    expect(await rejection(authenticator.register(rsaOnly))).toBe('NotSupportedError');
    expect(authenticator.credentials).toHaveLength(0);
    const defaults = await registrationOptions();
    const response = await authenticator.register({ ...defaults, pubKeyCredParams: [] });
    expect((await verifyRegistration(response, defaults.challenge)).verified).toBe(true);
  });

  it('cancelNext: the next ceremony only is NotAllowedError, and changes nothing', async () => {
    const authenticator = authenticatorFor();
    const { credential } = await enrol(authenticator);
    authenticator.cancelNext();
    expect(await rejection(authenticator.register(await registrationOptions()))).toBe(
      'NotAllowedError',
    );
    expect(authenticator.credentials).toHaveLength(1);
    await enrol(authenticator);
    expect(authenticator.credentials).toHaveLength(2);

    authenticator.cancelNext();
    const options = await generateAuthenticationOptions({
      rpID: RP_ID,
      allowCredentials: [{ id: credential.id }],
    });
    expect(await rejection(authenticator.authenticate(options))).toBe('NotAllowedError');
    expect(authenticator.credentials[0]?.counter).toBe(0);
    expect((await login(authenticator, credential)).verification.verified).toBe(true);
  });
});

describe('state', () => {
  it('credentials are snapshots; setCounter checks its input', async () => {
    const authenticator = authenticatorFor();
    const seeded = await authenticator.createCredential({ rpId: RP_ID, userHandle: 'YQ' });
    seeded.counter = 99;
    const [listed] = authenticator.credentials;
    if (listed) listed.counter = 42;
    expect(authenticator.credentials[0]?.counter).toBe(0);
    expect(Object.keys(authenticator.credentials[0] ?? {}).sort()).toEqual([
      'counter',
      'id',
      'publicKey',
      'rpId',
      'userHandle',
    ]);
    expect(() => authenticator.setCounter('bm9uZQ', 1)).toThrow(/no credential/);
    for (const bad of [-1, 1.5, 2 ** 32]) {
      expect(() => authenticator.setCounter(seeded.id, bad)).toThrow(RangeError);
    }
    authenticator.setCounter(seeded.id, 2 ** 32 - 1);
    expect(authenticator.credentials[0]?.counter).toBe(2 ** 32 - 1);
  });

  it('credential ids are random, 16 bytes', async () => {
    const authenticator = authenticatorFor();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const { id } = await authenticator.createCredential({ rpId: RP_ID, userHandle: 'YQ' });
      expect(isoBase64URL.toBuffer(id)).toHaveLength(16);
      ids.add(id);
    }
    expect(ids.size).toBe(5);
  });
});

describe('rawToDerSignature', () => {
  it('strips leading zeros and keeps integers positive, as DER wants', () => {
    const r = new Uint8Array(32).fill(0x11);
    r[0] = 0x80; // top bit set: a 0x00 is prepended
    const s = new Uint8Array(32).fill(0x22);
    s[0] = 0;
    s[1] = 0; // leading zeros: dropped
    s[2] = 0x7f;
    const der = rawToDerSignature(new Uint8Array([...r, ...s]));
    expect([...der.subarray(0, 4)]).toEqual([0x30, 2 + 33 + 2 + 30, 0x02, 33]);
    expect(der[4]).toBe(0x00);
    expect(der.subarray(5, 37)).toEqual(r);
    expect([...der.subarray(37, 40)]).toEqual([0x02, 30, 0x7f]);
    expect(der).toHaveLength(2 + 35 + 32);
    const zero = rawToDerSignature(new Uint8Array(64));
    expect([...zero]).toEqual([0x30, 6, 0x02, 1, 0, 0x02, 1, 0]);
  });
});

describe('in the browser (headless Chromium): WebCrypto only, no Node APIs', () => {
  it('registers and authenticates; @simplewebauthn/server verifies both', async () => {
    const bundle = await browserBundle(
      fileURLToPath(new URL('../src/authenticator.ts', import.meta.url)),
    );
    expect(bundle).not.toMatch(/["']node:/);
    const pages = await servePages({
      '/': `<!doctype html><title>authenticator</title><script type="module">
        import { createSoftwareAuthenticator } from '/authenticator.js';
        window.ceremonies = async (origin, registration, authentication) => {
          const authenticator = createSoftwareAuthenticator({ origin, attestation: 'packed' });
          const registered = await authenticator.register(registration);
          const asserted = await authenticator.authenticate(authentication);
          return { registered, asserted };
        };
      </script>`,
      '/authenticator.js': bundle,
    });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(pages.origin);
      await page.waitForFunction('window.ceremonies !== undefined');
      const registration = await registrationOptions();
      const authentication = await generateAuthenticationOptions({ rpID: RP_ID });
      const { registered, asserted } = (await page.evaluate(
        `window.ceremonies(${JSON.stringify([ORIGIN, registration, authentication]).slice(1, -1)})`,
      )) as { registered: RegistrationResponseJSON; asserted: AuthenticationResponseJSON };
      const { registrationInfo } = await verifyRegistration(registered, registration.challenge);
      expect(registrationInfo?.fmt).toBe('packed');
      const credential = registrationInfo?.credential;
      if (credential === undefined) throw new Error('registration not verified');
      const verification = await verifyAuthenticationResponse({
        response: asserted,
        expectedChallenge: authentication.challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        credential,
        requireUserVerification: true,
      });
      expect(verification.verified).toBe(true);
      expect(verification.authenticationInfo.newCounter).toBe(1);
    } finally {
      await browser.close();
      await pages.close();
    }
  }, 60_000);
});
