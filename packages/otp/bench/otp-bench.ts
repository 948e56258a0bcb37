// `pnpm bench` (otp part): throughput of "generate the code for t+30 s, verify it at t with
// window 1" (SHA1, 6 digits), ours against node:crypto, otpauth and otplib, in one process.
import { createHmac } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { generateSync as otplibGenerate, verifySync as otplibVerify } from 'otplib';
import { base32Encode, generateSecret, totp, verifyTotp } from '../src/index.js';
import * as nodeOtp from '../src/node.js';
import { type Contender, measure } from './measure.js';

const secret = generateSecret(20);
const secretBuffer = Buffer.from(secret);
const base = 1_700_000_000_000;
/** A different moment for every operation, 1000 distinct steps. */
const timeOf = (i: number) => base + (i % 1000) * 30_000;

/** The reference: a plain RFC 4226 loop on createHmac, all three candidates computed. */
function referenceCode(step: number): string {
  const message = Buffer.alloc(8);
  message.writeUInt32BE(Math.floor(step / 0x1_0000_0000), 0);
  message.writeUInt32BE(step >>> 0, 4);
  const mac = createHmac('sha1', secretBuffer).update(message).digest();
  const offset = (mac[19] ?? 0) & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const otpauth = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(base32Encode(secret)) });

const contenders: Contender[] = [
  {
    name: 'node:crypto createHmac loop (reference)',
    run: (i) => {
      const step = Math.floor(timeOf(i) / 30_000);
      const code = referenceCode(step + 1);
      let ok = false;
      for (let delta = -1; delta <= 1; delta++) ok = referenceCode(step + delta) === code || ok;
      return ok;
    },
  },
  {
    name: '@twofold/otp (noble)',
    run: (i) => {
      const time = timeOf(i);
      return verifyTotp(secret, totp(secret, { time: time + 30_000 }), { time }).ok;
    },
  },
  {
    name: '@twofold/otp/node',
    run: (i) => {
      const time = timeOf(i);
      return nodeOtp.verifyTotp(secret, nodeOtp.totp(secret, { time: time + 30_000 }), { time }).ok;
    },
  },
  {
    name: 'otpauth',
    run: (i) => {
      const timestamp = timeOf(i);
      const token = otpauth.generate({ timestamp: timestamp + 30_000 });
      return otpauth.validate({ token, timestamp, window: 1 }) === 1;
    },
  },
  {
    name: 'otplib',
    run: (i) => {
      const epoch = timeOf(i) / 1000;
      const token = otplibGenerate({ secret, epoch: epoch + 30 });
      return otplibVerify({ secret, token, epoch, epochTolerance: 30 }).valid;
    },
  },
];

// Every contender must really verify, or its speed means nothing.
for (const contender of contenders) {
  if (!contender.run(0)) throw new Error(`${contender.name} failed to verify its own code`);
}

const results = measure(contenders);
const byName = new Map(results.map((result) => [result.name, result.opsPerSecond]));
const reference = results[0]?.opsPerSecond ?? Number.NaN;

console.log('\nTOTP generate(t+30s) + verify(t, window 1), SHA1, 6 digits — median of 9 rounds');
console.table(
  results.map((result) => ({
    implementation: result.name,
    'ops/s': Math.round(result.opsPerSecond),
    'x reference': (result.opsPerSecond / reference).toFixed(2),
  })),
);

const ours = byName.get('@twofold/otp (noble)') ?? 0;
const targets = [
  ['ours (noble) >= 0.85 x reference', ours >= 0.85 * reference],
  ['ours (noble) ahead of otpauth', ours > (byName.get('otpauth') ?? 0)],
  ['ours (noble) >= 3 x otplib', ours >= 3 * (byName.get('otplib') ?? 0)],
] as const;
for (const [target, met] of targets) console.log(`${met ? 'met   ' : 'MISSED'} ${target}`);
