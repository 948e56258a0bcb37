// What makes `pnpm pack:all` fail loudly: a packed package.json npm could not install, or that
// would fetch an unpublished @twofold package from the registry. (The consumer test packs the
// real packages and installs them.)
import { describe, expect, it } from 'vitest';
import { problemsOf, publicPackageDirs } from './pack-packages.js';

const packed = new Map([
  ['@twofold/contract', '0.1.0'],
  ['@twofold/client', '0.1.0'],
]);
const files = new Set(['package/package.json', 'package/dist/index.js', 'package/dist/index.d.ts']);
const manifest = (fields: Record<string, unknown>) =>
  JSON.stringify(
    {
      name: '@twofold/client',
      version: '0.1.0',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      ...fields,
    },
    null,
    2,
  );

describe('problemsOf (a packed package.json)', () => {
  it('accepts real versions of packed packages and export targets that are in the tarball', () => {
    const text = manifest({ dependencies: { '@twofold/contract': '^0.1.0', ky: '~1.14.3' } });
    expect(problemsOf(text, files, packed)).toEqual([]);
  });

  it('refuses a workspace: range, as npm pack would leave it', () => {
    const text = manifest({ dependencies: { '@twofold/contract': 'workspace:^' } });
    expect(problemsOf(text, files, packed).join('\n')).toContain(
      'workspace: range left: "@twofold/contract": "workspace:^"',
    );
  });

  it('refuses a workspace: range in peerDependencies too', () => {
    const text = manifest({ peerDependencies: { '@twofold/mock': 'workspace:^' } });
    expect(problemsOf(text, files, packed).join('\n')).toContain('workspace: range left');
  });

  it('refuses a dependency on a @twofold package that is not packed (npm would look it up)', () => {
    const text = manifest({ dependencies: { '@twofold/testing': '0.0.0' } });
    expect(problemsOf(text, files, packed)).toEqual([
      'dependencies @twofold/testing is not a packed package',
    ]);
  });

  it('refuses a range that does not name the packed version', () => {
    const text = manifest({ dependencies: { '@twofold/contract': '^0.2.0' } });
    expect(problemsOf(text, files, packed)).toEqual([
      'dependencies @twofold/contract@^0.2.0 does not name the packed 0.1.0',
    ]);
  });

  it('refuses an export target missing from the tarball (packed before a build)', () => {
    const text = manifest({});
    expect(problemsOf(text, new Set(['package/package.json']), packed)).toEqual([
      'export target ./dist/index.d.ts is not in the tarball',
      'export target ./dist/index.js is not in the tarball',
    ]);
  });
});

it('packs the public packages: not @twofold/testing, not the apps', () => {
  expect(publicPackageDirs()).toEqual([
    'client',
    'conformance',
    'contract',
    'mock',
    'otp',
    'server',
  ]);
});
