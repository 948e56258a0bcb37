import { SettingsService } from '@simplewebauthn/server';
import { inProcessServer } from '@twofold/testing';
import { expect, it, onTestFinished } from 'vitest';

// The mock runs this server core in a browser tab, where WebCrypto may have ML-DSA; the
// reference server runs on Node 20, which has not. Both must offer the same key algorithms,
// and only ones whose signatures the contract accepts at login.
it('offers EdDSA, ES256 and RS256 for a new passkey, also on a runtime with ML-DSA', async () => {
  const settings = SettingsService as unknown as { _runtimeSupportsPQC: boolean | undefined };
  const before = settings._runtimeSupportsPQC;
  settings._runtimeSupportsPQC = true; // as in Chromium
  onTestFinished(() => {
    settings._runtimeSupportsPQC = before;
  });
  const t = inProcessServer({
    webauthn: { rpId: 'localhost', rpName: 'Twofold', origins: ['http://localhost:5173'] },
  });
  const { accessToken: token, password } = await t.newUser();
  const options = await t.call('POST', '/mfa/webauthn/register/options', {
    token,
    body: { password },
  });
  expect(options.status).toBe(200);
  expect(options.body.data.pubKeyCredParams.map(({ alg }: { alg: number }) => alg)).toEqual([
    -8, -7, -257,
  ]);
});
