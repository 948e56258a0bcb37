import * as main from '../src/index.js';
import * as node from '../src/node.js';
import * as sha1 from '../src/sha1.js';

/** Every entry point that computes codes, for tests that must hold for all of them. */
export const entries = [
  { name: '@twofold/otp', otp: main, algorithms: ['SHA1', 'SHA256', 'SHA512'] },
  { name: '@twofold/otp/node', otp: node, algorithms: ['SHA1', 'SHA256', 'SHA512'] },
  { name: '@twofold/otp/sha1', otp: sha1, algorithms: ['SHA1'] },
] as const;
