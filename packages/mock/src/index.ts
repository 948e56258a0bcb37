export type { MockClock } from './clock.js';
export type { ForcedFailure, NetworkCondition, RouteTarget } from './controls.js';
export {
  createTwofoldMock,
  type TwofoldMock,
  type CredentialMaker,
  type TwofoldMockOptions,
} from './create-twofold-mock.js';
