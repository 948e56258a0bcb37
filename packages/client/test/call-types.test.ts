// Type tests, checked by `pnpm typecheck` (tsc --build): every `@ts-expect-error` below must
// stay an error, or the typecheck fails. They prove the SDK's transport is typed per route by
// the contract's table: no type arguments, and a wrong body does not compile.
import type { LoginData, MfaSetupData } from '@twofold/contract';
import { describe, expectTypeOf, it } from 'vitest';
import type { Call } from '../src/transport.js';

/** Only its type is read (`typeof call<'route'>`): nothing here runs a request. */
declare const call: Call;

describe('the transport is typed by the route table', () => {
  it('answers each route’s own data, with no type argument', () => {
    expectTypeOf<ReturnType<typeof call<'mfa.setup'>>>().resolves.toEqualTypeOf<MfaSetupData>();
    expectTypeOf<ReturnType<typeof call<'auth.login'>>>().resolves.toEqualTypeOf<LoginData>();
    expectTypeOf<ReturnType<typeof call<'mfa.verify'>>>().resolves.toEqualTypeOf<undefined>();
  });

  it('refuses a wrong or missing body at compile time', () => {
    // Never called: these lines only have to (fail to) compile.
    const compileOnly = (call: Call) => {
      call('mfa.verify', { body: { totp_code: '123456' } });
      // @ts-expect-error the field is totp_code, not code
      call('mfa.verify', { body: { code: '123456' } });
      // @ts-expect-error mfa.verify takes a body
      call('mfa.verify', {});
      // @ts-expect-error mfa.status takes no body
      call('mfa.status', { body: { totp_code: '123456' } });
      // @ts-expect-error not a route of the contract
      call('mfa.unknown', {});
    };
    expectTypeOf(compileOnly).parameter(0).toEqualTypeOf<Call>();
  });
});
