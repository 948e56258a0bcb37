import { createClient } from '@twofold/client';
import { base32Decode, totp } from '@twofold/otp';
import { describeSdkChallengeRules, describeSdkFlows, type SdkTarget } from '@twofold/testing';
import { afterAll, beforeAll } from 'vitest';
import { setupTwofoldMock } from '../src/node.js';

// The SDK's own flow tests, unchanged, against the mock in Node (msw/node) instead of the
// in-process reference server: only this setup differs.
const BASE_URL = 'http://mock.twofold.test';
const mock = setupTwofoldMock({ baseUrl: BASE_URL });
beforeAll(() => mock.listen({ onUnhandledRequest: 'error' }));
afterAll(() => mock.close());

function mockTarget(): SdkTarget {
  mock.reset();
  return {
    client: (extra = {}) => createClient({ baseUrl: BASE_URL, retry: 0, ...extra }),
    code: (secret, offsetSteps = 0) =>
      totp(base32Decode(secret), { time: mock.clock.now() + offsetSteps * 30_000 }),
    clock: mock.clock,
    requests: mock.requests,
  };
}

describeSdkFlows('the mock (msw/node)', mockTarget);
describeSdkChallengeRules('the mock (msw/node)', mockTarget);
