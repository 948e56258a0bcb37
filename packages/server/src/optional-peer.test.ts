import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { importPeer, isMissingPackage } from './optional-peer.js';

// Node's own loaders, not vite's: the built package meets exactly these errors.
const require = createRequire(import.meta.url);

/** The error of Node's `import(specifier)`, from a child process (vitest's loader differs). */
function nativeImportError(specifier: string): Error {
  const script = `import(${JSON.stringify(specifier)}).then(
    () => console.log('null'),
    (error) => console.log(JSON.stringify({ code: error.code, message: error.message })),
  );`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  const failure = JSON.parse(output) as { code: string; message: string } | null;
  if (failure === null) throw new Error(`${specifier} is installed`);
  return Object.assign(new Error(failure.message), { code: failure.code });
}
const ABSENT = 'twofold-absent-peer';

describe('optional peer dependencies', () => {
  it('name the package to install when it is missing (import)', async () => {
    await expect(
      importPeer('createPostgresStore', ABSENT, () => Promise.reject(nativeImportError(ABSENT))),
    ).rejects.toThrow(`createPostgresStore needs the \`${ABSENT}\` package: npm install ${ABSENT}`);
  });

  it('recognise a missing package from require too', () => {
    let error: unknown;
    try {
      require(ABSENT);
    } catch (caught) {
      error = caught;
    }
    expect(isMissingPackage(error, ABSENT)).toBe(true);
  });

  it('pass other failures through: a throwing module, or a missing dependency of the peer', async () => {
    const boom = new Error('boom');
    await expect(importPeer('createPGliteStore', 'pg', () => Promise.reject(boom))).rejects.toBe(
      boom,
    );
    const nested = Object.assign(new Error("Cannot find package 'pg-types' imported from pg"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    expect(isMissingPackage(nested, 'pg')).toBe(false);
  });
});
