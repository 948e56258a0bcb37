import { BACKUP_CODES, LIMITS } from '@twofold/contract';
import { type Check, ensure, jsonEqual, NotApplicable, show, TWOFOLD } from '../check.js';
import type { CheckContext } from '../context.js';
import {
  addPasskey,
  askRegistrationOptions,
  completeWithPasskey,
  deletePasskey,
  expectNoPasskeys,
  listPasskeys,
  loginWithPasskey,
  mfaStatus,
  neighbourOrigin,
  passkeyChallenge,
  passkeyUser,
  registrationOptions,
  verifyRegistration,
} from '../passkey-steps.js';

const CODE = new RegExp(`^[${BACKUP_CODES.alphabet}]{${BACKUP_CODES.length}}$`);
const EVIL_ORIGIN = 'https://evil.example';

/** `what`, a registration response the authenticator makes wrong, fails and stores nothing. */
async function expectRefusedRegistration(
  t: CheckContext,
  authenticator: ReturnType<CheckContext['authenticator']>,
  what: string,
): Promise<void> {
  const user = await t.user('pk');
  const response = await authenticator.register(await registrationOptions(t, user));
  t.failure(await verifyRegistration(t, user, response), 'WEBAUTHN_VERIFICATION_FAILED', what);
  await expectNoPasskeys(t, user, `after ${what}`);
}

// Passkeys as a second factor (spec §5), with real WebAuthn responses from the software
// authenticator the target supplies. All Twofold rules: the crate has no WebAuthn routes.
export const passkeyChecks: Check[] = [
  {
    id: 'webauthn.register.first-factor-gives-backup-codes',
    clause: '§5 register',
    profiles: TWOFOLD,
    async run(t) {
      const authenticator = t.authenticator();
      const user = await t.user('pk');
      const options = await registrationOptions(t, user);
      ensure(
        typeof options.user?.id === 'string' && Array.isArray(options.pubKeyCredParams),
        `creation options ${show(options)}`,
      );
      const response = await authenticator.register(options);
      const data = t.success(
        await verifyRegistration(t, user, response, 'Conformance key'),
        'register/verify',
      );
      ensure(
        data.credential_id === response.id &&
          data.name === 'Conformance key' &&
          !Number.isNaN(Date.parse(data.created_at)),
        `registered ${show(data)}`,
      );
      ensure(
        Array.isArray(data.backup_codes) &&
          data.backup_codes.length === 10 &&
          data.backup_codes.every((code: string) => CODE.test(code)),
        `the first second factor must come with 10 backup codes, got ${show(data.backup_codes)}`,
      );
      const status = await mfaStatus(t, user);
      ensure(
        jsonEqual(status, { enabled: true, methods: ['webauthn'], backup_codes_remaining: 10 }),
        `status ${show(status)}`,
      );
      const list = await listPasskeys(t, user);
      ensure(
        list.length === 1 &&
          list[0].credential_id === response.id &&
          list[0].name === 'Conformance key' &&
          list[0].created_at === data.created_at &&
          list[0].last_used_at === undefined,
        `credentials ${show(list)}`,
      );
      t.success(
        await t.call('POST', '/mfa/verify-backup-code', {
          token: user.accessToken,
          body: { backup_code: data.backup_codes[0] },
        }),
        'one of the backup codes',
      );
    },
  },
  {
    id: 'webauthn.register.options-single-use',
    clause: '§5 challenges',
    profiles: TWOFOLD,
    async run(t) {
      const authenticator = t.authenticator();
      const user = await t.user('pk');
      const response = await authenticator.register(await registrationOptions(t, user));
      t.success(await verifyRegistration(t, user, response), 'first verify');
      t.failure(
        await verifyRegistration(t, user, response),
        'WEBAUTHN_CHALLENGE_INVALID',
        'the same response again',
      );
    },
  },
  {
    id: 'webauthn.register.challenge-expires-after-5-minutes',
    clause: '§5 challenges',
    profiles: TWOFOLD,
    async run(t) {
      const authenticator = t.authenticator();
      const clock = t.clock;
      const user = await t.user('pk');
      const early = await authenticator.register(await registrationOptions(t, user));
      clock.advance(4 * 60_000);
      t.success(await verifyRegistration(t, user, early), 'verify after 4 minutes');
      // Another authenticator: the first one refuses a second credential for this user.
      const late = await t
        .authenticator()
        .register(await registrationOptions(t, user, { password: user.password }));
      clock.advance(5 * 60_000 + 1_000);
      t.failure(
        await verifyRegistration(t, user, late),
        'WEBAUTHN_CHALLENGE_INVALID',
        'verify after 5 minutes',
      );
      const list = await listPasskeys(t, user);
      ensure(list.length === 1, `only the first passkey may be stored, got ${show(list)}`);
    },
  },
  {
    id: 'webauthn.register.wrong-origin-refused',
    clause: '§5 challenges',
    profiles: TWOFOLD,
    async run(t) {
      const authenticator = t.authenticator();
      const user = await t.user('pk');
      for (const origin of [EVIL_ORIGIN, neighbourOrigin(t.webauthn.origin)]) {
        authenticator.origin = origin;
        const response = await authenticator.register(await registrationOptions(t, user));
        t.failure(
          await verifyRegistration(t, user, response),
          'WEBAUTHN_VERIFICATION_FAILED',
          `a response made on ${origin}`,
        );
      }
      await expectNoPasskeys(t, user, 'after responses from other origins');
    },
  },
  {
    id: 'webauthn.register.wrong-rp-id-refused',
    clause: '§5',
    profiles: TWOFOLD,
    async run(t) {
      await expectRefusedRegistration(
        t,
        t.authenticator({ rpIdOverride: 'evil.example' }),
        'authenticator data for the rpId evil.example',
      );
    },
  },
  {
    id: 'webauthn.register.challenge-bound-to-user',
    clause: '§5 challenges',
    profiles: TWOFOLD,
    async run(t) {
      const authenticator = t.authenticator();
      const owner = await t.user('pk');
      const other = await t.user('pk');
      const response = await authenticator.register(await registrationOptions(t, owner));
      t.failure(
        await verifyRegistration(t, other, response),
        'WEBAUTHN_CHALLENGE_INVALID',
        "another user finishing the owner's registration",
      );
      await expectNoPasskeys(t, other, 'the other user');
      // Refused without being used up: the owner still finishes it.
      t.success(await verifyRegistration(t, owner, response), 'the owner afterwards');
    },
  },
  {
    id: 'webauthn.register.credential-of-another-user-refused',
    clause: '§5',
    profiles: TWOFOLD,
    async run(t) {
      // One authenticator for both users: its credential ids are public (login step 1 lists
      // them), and with `none` attestation nothing ties an attestation object to the ceremony,
      // so a second user can present the first one's credential inside a response to their own
      // challenge. The server must refuse the id, not trust the browser's excludeCredentials
      // (which lists the second user's own credentials only).
      const authenticator = t.authenticator();
      const first = await t.user('pk');
      const firstResponse = await authenticator.register(await registrationOptions(t, first));
      t.success(await verifyRegistration(t, first, firstResponse), 'first user');
      const second = await t.user('pk');
      const options = await registrationOptions(t, second);
      const excluded = (options.excludeCredentials ?? []).map((d: { id: string }) => d.id);
      ensure(
        !excluded.includes(firstResponse.id),
        `the second user's options must not name the first user's credential: ${show(excluded)}`,
      );
      const own = await authenticator.register(options);
      const stolen = {
        ...own,
        id: firstResponse.id,
        rawId: firstResponse.rawId,
        response: {
          ...own.response,
          attestationObject: firstResponse.response.attestationObject,
          authenticatorData: firstResponse.response.authenticatorData,
          publicKey: firstResponse.response.publicKey,
        },
      };
      t.failure(
        await verifyRegistration(t, second, stolen),
        'WEBAUTHN_CREDENTIAL_EXISTS',
        "the first user's credential in the second user's registration",
      );
      await expectNoPasskeys(t, second, 'the second user');
      const kept = await listPasskeys(t, first);
      ensure(
        kept.length === 1 && kept[0].credential_id === firstResponse.id,
        `the first user keeps the credential, got ${show(kept)}`,
      );
    },
  },
  {
    id: 'webauthn.register.user-verification-required',
    clause: '§5',
    profiles: TWOFOLD,
    async run(t) {
      if (t.webauthn.userVerification !== 'required') {
        throw new NotApplicable('the target does not require user verification');
      }
      await expectRefusedRegistration(
        t,
        t.authenticator({ userVerified: false }),
        'a response without user verification',
      );
    },
  },
  {
    id: 'webauthn.register.policy-refusal',
    clause: '§5',
    profiles: TWOFOLD,
    async run(t) {
      const refused = t.webauthn.refusedAaguid;
      if (refused === undefined) {
        throw new NotApplicable(
          "needs an AAGUID the target's policy refuses (Target.webauthn.refusedAaguid)",
        );
      }
      const authenticator = t.authenticator({ aaguid: refused });
      const user = await t.user('pk');
      const response = await authenticator.register(await registrationOptions(t, user));
      t.failure(
        await verifyRegistration(t, user, response),
        'WEBAUTHN_NOT_ALLOWED',
        `an authenticator with the AAGUID ${refused}`,
      );
      await expectNoPasskeys(t, user, 'after the refusal');
      // Still the first second factor: an allowed authenticator gets the backup codes.
      const data = await addPasskey(t, user, t.authenticator());
      ensure(
        Array.isArray(data.backup_codes) && data.backup_codes.length === 10,
        `an allowed passkey after the refusal is the first factor, got ${show(data)}`,
      );
    },
  },
  {
    id: 'webauthn.register.step-up-once-mfa-is-on',
    clause: '§5',
    profiles: TWOFOLD,
    async run(t) {
      const user = await passkeyUser(t);
      t.failure(await askRegistrationOptions(t, user), 'MFA_UNAUTHORIZED', 'no proof');
      t.failure(
        await askRegistrationOptions(t, user, { password: 'not the password' }),
        'MFA_UNAUTHORIZED',
        'wrong password',
      );
      const options = await registrationOptions(t, user, { password: user.password });
      const excluded = (options.excludeCredentials ?? []).map((d: { id: string }) => d.id);
      ensure(
        jsonEqual(excluded, [user.credentialId]),
        `excludeCredentials must list the user's passkey, got ${show(excluded)}`,
      );
      const totpUser = await t.enrolled('pk');
      t.failure(
        await askRegistrationOptions(t, totpUser),
        'MFA_UNAUTHORIZED',
        'TOTP user, no proof',
      );
      await registrationOptions(t, totpUser, { totp_code: totpUser.nextCode() });
    },
  },
  {
    id: 'webauthn.login.completes-with-passkey',
    clause: '§2.1, §5',
    profiles: TWOFOLD,
    async run(t) {
      // Two users on one authenticator: each challenge offers only its user's credential.
      const authenticator = t.authenticator();
      const other = await passkeyUser(t, authenticator);
      const user = await passkeyUser(t, authenticator);
      const { challengeId, options, details } = await passkeyChallenge(t, user);
      ensure(
        Array.isArray(details.methods) &&
          details.methods.includes('webauthn') &&
          details.methods.includes('backup_code'),
        `methods ${show(details.methods)}`,
      );
      const allowed = (options.allowCredentials ?? []).map((d: { id: string }) => d.id);
      ensure(
        jsonEqual(allowed, [user.credentialId]),
        `allowCredentials must list exactly the user's passkey ${user.credentialId}, got ${show(allowed)}`,
      );
      ensure(
        options.rpId === undefined || options.rpId === t.webauthn.rpId,
        `rpId ${options.rpId}`,
      );
      const assertion = await authenticator.authenticate(options);
      const data = t.success(
        await completeWithPasskey(t, user, challengeId, assertion),
        'step 2 with the assertion',
      );
      ensure(typeof data.access_token === 'string', 'no access_token');
      const who = t.success(
        await t.call('GET', '/auth/validate', { token: data.access_token }),
        'validate',
      );
      ensure(who.id === user.id, `the token is for ${show(who)}, not ${user.id}`);
      const [listed] = await listPasskeys(t, user);
      ensure(
        !Number.isNaN(Date.parse(listed?.last_used_at)),
        `last_used_at after a login: ${show(listed)}`,
      );
      const untouched = await listPasskeys(t, other);
      ensure(untouched[0]?.last_used_at === undefined, `the other user's ${show(untouched)}`);
    },
  },
  {
    id: 'webauthn.login.counter-regression-refused',
    clause: '§5',
    profiles: TWOFOLD,
    spends: 1,
    async run(t) {
      const user = await passkeyUser(t);
      t.success(await loginWithPasskey(t, user), 'first login');
      // A cloned authenticator: its counter is behind the one the server has seen.
      user.authenticator.setCounter(user.credentialId, 0);
      t.failure(
        await loginWithPasskey(t, user),
        'WEBAUTHN_VERIFICATION_FAILED',
        'an assertion whose counter did not move forward',
      );
      user.authenticator.setCounter(user.credentialId, 7);
      t.success(await loginWithPasskey(t, user), 'a counter ahead again');
    },
  },
  {
    id: 'webauthn.delete.needs-step-up',
    clause: '§5 delete',
    profiles: TWOFOLD,
    async run(t) {
      const user = await passkeyUser(t);
      const second = await addPasskey(t, user, t.authenticator(), { password: user.password });
      t.failure(
        await deletePasskey(t, user, user.credentialId, {}),
        'MFA_UNAUTHORIZED',
        'no proof',
      );
      t.failure(
        await deletePasskey(t, user, user.credentialId, { password: 'not the password' }),
        'MFA_UNAUTHORIZED',
        'wrong password',
      );
      const intruder = await t.user('pk');
      t.failure(
        await deletePasskey(t, intruder, user.credentialId, { password: intruder.password }),
        'NOT_FOUND',
        "another user removing the user's passkey",
      );
      const removed = await deletePasskey(t, user, user.credentialId, { password: user.password });
      t.success(removed, 'with the password');
      ensure(removed.body.message === 'Passkey removed', `message ${removed.body.message}`);
      const list = await listPasskeys(t, user);
      ensure(
        list.length === 1 && list[0].credential_id === second.credential_id,
        `credentials after the removal ${show(list)}`,
      );
      const status = await mfaStatus(t, user);
      ensure(
        jsonEqual(status, { enabled: true, methods: ['webauthn'], backup_codes_remaining: 10 }),
        `another passkey keeps MFA on, status ${show(status)}`,
      );
    },
  },
  {
    id: 'webauthn.delete.last-factor-turns-mfa-off',
    clause: '§5 delete',
    profiles: TWOFOLD,
    async run(t) {
      const user = await passkeyUser(t);
      t.success(
        await deletePasskey(t, user, user.credentialId, { password: user.password }),
        'removing the only passkey',
      );
      const status = await mfaStatus(t, user);
      ensure(
        jsonEqual(status, { enabled: false, methods: [], backup_codes_remaining: 0 }),
        `status ${show(status)}`,
      );
      t.failure(
        await t.call('POST', '/mfa/verify-backup-code', {
          token: user.accessToken,
          body: { backup_code: user.backupCodes[0] },
        }),
        'MFA_ERROR',
        'a backup code of the removed factor',
      );
      const login = await t.call('POST', '/auth/login', {
        body: { username: user.username, password: user.password },
      });
      ensure(
        typeof t.success(login, 'login without MFA').access_token === 'string',
        'no access_token',
      );
    },
  },
  {
    id: 'webauthn.mfa-disable.removes-every-factor',
    clause: '§3 disable, §5',
    profiles: TWOFOLD,
    async run(t) {
      const authenticator = t.authenticator();
      const user = await t.enrolled('pk');
      const added = await addPasskey(t, user, authenticator, { password: user.password });
      ensure(
        added.backup_codes === undefined,
        `a passkey added to TOTP is not the first factor: no new backup codes, got ${show(added.backup_codes)}`,
      );
      const before = await mfaStatus(t, user);
      ensure(
        before.methods?.includes('totp') && before.methods.includes('webauthn'),
        `status ${show(before)}`,
      );
      t.success(
        await t.call('POST', '/mfa/disable', {
          token: user.accessToken,
          body: { password: user.password, totp_code: user.nextCode() },
        }),
        'disable',
      );
      const after = await mfaStatus(t, user);
      ensure(
        jsonEqual(after, { enabled: false, methods: [], backup_codes_remaining: 0 }),
        `status after disable ${show(after)}`,
      );
      const list = await listPasskeys(t, user);
      ensure(list.length === 0, `passkeys after disable ${show(list)}`);
      const login = await t.call('POST', '/auth/login', {
        body: { username: user.username, password: user.password },
      });
      t.success(login, 'login after disable');
    },
  },
  {
    id: 'webauthn.login.failed-assertion-is-an-attempt',
    clause: '§3 rule 3, §5',
    profiles: TWOFOLD,
    spends: 5,
    async run(t) {
      const user = await passkeyUser(t);
      user.authenticator.origin = EVIL_ORIGIN;
      for (let i = 0; i < 5; i++) {
        t.failure(
          await loginWithPasskey(t, user),
          'WEBAUTHN_VERIFICATION_FAILED',
          `failed assertion ${i + 1}`,
        );
      }
      user.authenticator.origin = t.webauthn.origin;
      const limited = await loginWithPasskey(t, user);
      t.failure(limited, 'RATE_LIMITED', 'a valid assertion after 5 failed ones');
      const after = Number(limited.headers.get('Retry-After'));
      ensure(
        Number.isInteger(after) && after > 0 && after <= 15 * 60,
        `Retry-After ${limited.headers.get('Retry-After')}`,
      );
    },
  },
];

const N = 50;

/** Attempt-heavy: run with the other concurrency checks, at the end. */
export const passkeyConcurrencyChecks: Check[] = [
  {
    id: 'concurrency.challenge.webauthn-single-use-under-50',
    clause: '§3 rule 2, §2.1, §5',
    profiles: TWOFOLD,
    spends: 8,
    async run(t) {
      // First, distinct assertions for one challenge (each with a higher sign counter) at
      // once, as many as the user's attempt limit lets be checked: the challenge itself must be
      // single use, not only the counter (many authenticators keep theirs at 0). First, because
      // the 49 failures below count against this check's client address.
      const racer = await passkeyUser(t);
      const raced = await passkeyChallenge(t, racer);
      const assertions = [];
      for (let i = 0; i < LIMITS.attemptsPerUser; i++) {
        assertions.push(await racer.authenticator.authenticate(raced.options));
      }
      const distinct = await Promise.all(
        assertions.map((each) => completeWithPasskey(t, racer, raced.challengeId, each)),
      );
      t.exactlyOneSucceeded(
        distinct,
        'concurrent completions of one challenge with distinct assertions',
      );
      // Then one assertion sent 50 times at once: a replay race.
      const user = await passkeyUser(t);
      const { challengeId, options } = await passkeyChallenge(t, user);
      const assertion = await user.authenticator.authenticate(options);
      const replies = await Promise.all(
        Array.from({ length: N }, () => completeWithPasskey(t, user, challengeId, assertion)),
      );
      t.exactlyOneSucceeded(replies, 'concurrent completions with one assertion');
    },
  },
];
