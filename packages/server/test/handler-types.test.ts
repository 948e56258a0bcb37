// Type tests, checked by `pnpm typecheck` (tsc --build): every `@ts-expect-error` below must
// stay an error, or the typecheck fails ("Unused '@ts-expect-error' directive"). They prove
// that drift between the contract's route table and the server's handlers does not compile.
import type { MfaSetupData, MfaStatusData } from '@twofold/contract';
import { describe, expectTypeOf, it } from 'vitest';
import type { UserRecord } from '../src/domain/users.js';
import type { Handler, HandlerTable, RequestContext } from '../src/handlers/handler.js';
import * as mfa from '../src/handlers/mfa.js';
import { HANDLERS } from '../src/handlers/routes.js';

describe('handler types follow the route table', () => {
  it('a handler answers its own route’s data and nothing else', () => {
    expectTypeOf(HANDLERS['mfa.setup']).returns.resolves.toEqualTypeOf<MfaSetupData>();
    expectTypeOf(HANDLERS['mfa.status']).returns.resolves.toEqualTypeOf<MfaStatusData>();
    // Message-only routes answer no data: the core adds the contract's message.
    expectTypeOf(HANDLERS['mfa.verify']).returns.resolves.toEqualTypeOf<undefined>();

    // @ts-expect-error the status handler answers MfaStatusData, not mfa.setup's MfaSetupData
    const wired: Handler<'mfa.setup'> = mfa.status;
    // @ts-expect-error mfa.verify answers only a message, never setup data
    const dataOnMessageRoute: Handler<'mfa.verify'> = mfa.setup;
    expectTypeOf(wired).not.toBeAny();
    expectTypeOf(dataOnMessageRoute).not.toBeAny();
  });

  it('the table needs a handler for every route', () => {
    const { 'mfa.status': _status, ...withoutStatus } = HANDLERS;
    // @ts-expect-error 'mfa.status' has no handler
    const incomplete: HandlerTable = withoutStatus;
    expectTypeOf(incomplete).not.toBeAny();
  });

  it('hands bearer routes the user and validated body, public routes no user', () => {
    expectTypeOf<RequestContext<'mfa.verify'>['user']>().toEqualTypeOf<UserRecord>();
    expectTypeOf<RequestContext<'mfa.verify'>['body']>().toEqualTypeOf<{ totp_code: string }>();
    expectTypeOf<RequestContext<'auth.register'>['user']>().toEqualTypeOf<undefined>();
    expectTypeOf<RequestContext<'mfa.status'>['body']>().toEqualTypeOf<undefined>();
  });
});
