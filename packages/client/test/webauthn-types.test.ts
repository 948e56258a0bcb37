// Type tests of the passkey surface, checked by `pnpm typecheck` (tsc --build): every
// `@ts-expect-error` below must stay an error, or the typecheck fails.
import type {
  AuthenticationResponseJSON,
  PasskeysData,
  PublicKeyCredentialRequestOptionsJSON,
  WebAuthnRegisteredData,
} from '@twofold/contract';
import { createSoftwareAuthenticator } from '@twofold/mock/authenticator';
import { describe, expectTypeOf, it } from 'vitest';
import type { MfaRequired, PasskeyErrorCode, TwofoldErrorCode } from '../src/index.js';
import type { Call } from '../src/transport.js';
import type {
  Passkey,
  PasskeyAuthenticator,
  Passkeys,
  RegisteredPasskey,
} from '../src/webauthn.js';

declare const call: Call;

describe('the passkey surface is typed', () => {
  it('the WebAuthn routes answer their own data and need their path parameter', () => {
    expectTypeOf<
      ReturnType<typeof call<'webauthn.credentials'>>
    >().resolves.toEqualTypeOf<PasskeysData>();
    expectTypeOf<
      ReturnType<typeof call<'webauthn.registerVerify'>>
    >().resolves.toEqualTypeOf<WebAuthnRegisteredData>();
    const compileOnly = (call: Call) => {
      call('webauthn.deleteCredential', {
        params: { credential_id: 'AbC' },
        body: { password: 'secret' },
      });
      // @ts-expect-error the credential id is a path parameter
      call('webauthn.deleteCredential', { body: { password: 'secret' } });
      // @ts-expect-error webauthn.credentials has no path parameter
      call('webauthn.credentials', { params: { credential_id: 'AbC' } });
    };
    expectTypeOf(compileOnly).parameter(0).toEqualTypeOf<Call>();
  });

  it('an MFA challenge carries the request options and completes with a code or a passkey answer', () => {
    expectTypeOf<MfaRequired['challenge']['webauthnOptions']>().toEqualTypeOf<
      PublicKeyCredentialRequestOptionsJSON | undefined
    >();
    const compileOnly = (result: MfaRequired, webauthnResponse: AuthenticationResponseJSON) => {
      result.complete({ code: '123456' });
      result.complete({ webauthnResponse });
      // @ts-expect-error a code or a webauthnResponse is required
      result.complete({});
      // @ts-expect-error the answer is the JSON object, not a string
      result.complete({ webauthnResponse: 'eyJ…' });
    };
    expectTypeOf(compileOnly).returns.toBeVoid();
  });

  it('the software authenticator of @twofold/mock fits the authenticator hook', () => {
    expectTypeOf(
      createSoftwareAuthenticator({ origin: 'http://localhost:5173' }),
    ).toExtend<PasskeyAuthenticator>();
  });

  it('passkeys answer Dates; the passkey codes are TwofoldError codes', () => {
    expectTypeOf<Passkey['createdAt']>().toEqualTypeOf<Date>();
    expectTypeOf<Passkey['lastUsedAt']>().toEqualTypeOf<Date | undefined>();
    expectTypeOf<RegisteredPasskey['backupCodes']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<ReturnType<Passkeys['list']>>().resolves.toEqualTypeOf<Passkey[]>();
    expectTypeOf<PasskeyErrorCode>().toExtend<TwofoldErrorCode>();
    expectTypeOf<'PASSKEY_CANCELLED'>().toExtend<PasskeyErrorCode>();
    // @ts-expect-error not a passkey code
    expectTypeOf<'PASSKEY_LOST'>().toExtend<PasskeyErrorCode>();
  });
});
