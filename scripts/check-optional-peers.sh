#!/usr/bin/env bash
# What a browser app that uses the mock installs: packs every public package (`pnpm pack`
# rewrites the `workspace:` ranges), then `npm install`s the mock, client, contract, otp and
# server tarballs plus msw into an empty folder outside the repository, and fails when pg,
# @electric-sql/pglite or nodemailer came along (they are optional peers of @twofold/server).
# It also checks that the mock works there and that each peer-needing function names the
# package to install. Builds first; needs the npm registry. Not run in CI.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
pnpm=${PNPM:-npx -y pnpm@10.34.9}
work=$(mktemp -d "${TMPDIR:-/tmp}/twofold-peers-XXXXXX")
trap 'rm -rf "$work"' EXIT

cd "$root"
quietly() { local out; out=$("$@" 2>&1) || { echo "$out" >&2; echo "failed: $*" >&2; return 1; }; }
quietly $pnpm --filter './packages/*' run build
for dir in otp contract client server mock conformance; do
  (cd "packages/$dir" && quietly $pnpm pack --pack-destination "$work/tarballs")
done
echo "packed: $(cd "$work/tarballs" && ls | tr '\n' ' ')"

mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null
quietly npm install --no-audit --no-fund \
  "$work"/tarballs/twofold-{mock,client,contract,otp,server}-[0-9]*.tgz 'msw@^2.12.0'
echo "installed: $(ls node_modules/@twofold | sed 's|^|@twofold/|' | tr '\n' ' ')msw@$(node -p "require('msw/package.json').version")"

status=0
for peer in pg @electric-sql/pglite nodemailer; do
  if [ -e "node_modules/$peer" ]; then
    echo "present: $peer  <- must not be installed"
    status=1
  else
    echo "absent:  $peer"
  fi
done

cat >check.mjs <<'JS'
import { createClient } from '@twofold/client';
import { setupTwofoldMock } from '@twofold/mock/node';
import { createSmtpMailer } from '@twofold/server/node';
import { createPGliteStore, createPostgresStore } from '@twofold/server/postgres';

const mock = setupTwofoldMock({ baseUrl: 'http://localhost:8787' });
mock.listen();
const user = { username: 'ada', email: 'ada@example.com', password: 'correct horse battery staple' };
await createClient({ baseUrl: 'http://localhost:8787' }).auth.register(user);
mock.close();
console.log('mock:    registered ada through @twofold/client');

const failures = [
  () => createPostgresStore({ connectionString: 'postgres://localhost/twofold' }),
  () => createPGliteStore({ dataDir: 'db' }),
  () => createSmtpMailer({ url: 'smtp://localhost:2525', from: 'no-reply@example.com' }),
];
for (const call of failures) {
  try {
    await call();
    console.log('error:   none, but the peer is not installed');
    process.exitCode = 1;
  } catch (error) {
    console.log(`error:   ${error.message}`);
  }
}
JS
node check.mjs || status=1
exit $status
