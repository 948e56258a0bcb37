import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { appDataDirectory, startApp, stopApp } from '@twofold/testing';
import { describe, expect, it } from 'vitest';

// Issue 14 item 12: the running server under 50 concurrent loopback connections. The limits
// hold exactly (a burst checks no more codes or passwords than allowed), and the process's
// memory stays bounded while 20,000 requests with fresh usernames go by. Bounded in count and
// time; the server process is killed at the end, also on a timeout.

const CONNECTIONS = 50;
const FLOOD = 20_000;

interface Reply {
  status: number;
  code: string | undefined;
}

/** `total` requests of `make(i)` through at most 50 keep-alive connections at once. */
async function burst(
  baseUrl: string,
  total: number,
  make: (i: number) => { method: string; path: string; token?: string; body?: unknown },
): Promise<Reply[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const url = new URL(baseUrl);
  const replies: Reply[] = new Array(total);
  let next = 0;
  const one = (i: number) =>
    new Promise<Reply>((resolve, reject) => {
      const { method, path, token, body } = make(i);
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path: `/api/v1${path}`,
          headers: {
            ...(payload === undefined
              ? {}
              : {
                  'Content-Type': 'application/json',
                  'Content-Length': Buffer.byteLength(payload),
                }),
            ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const parsed = JSON.parse(text) as { error?: { code?: string } };
            resolve({ status: res.statusCode ?? 0, code: parsed.error?.code });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
      req.end(payload);
    });
  const worker = async () => {
    while (next < total) {
      const i = next++;
      replies[i] = await one(i);
    }
  };
  try {
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  } finally {
    agent.destroy();
  }
  return replies;
}

const count = (replies: Reply[], code: string | undefined) =>
  replies.filter((reply) => reply.code === code).length;

/** The resident set of process `pid`, in MiB (Linux). */
function rssMiB(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (line === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line[1]) / 1024;
}

describe('apps/server under 50 concurrent connections (loopback)', () => {
  it('holds every limit exactly, and keeps its memory bounded through 20,000 requests', async () => {
    const app = await startApp(
      { TWOFOLD_DATA_DIR: await appDataDirectory('twofold-load-') },
      90_000,
    );
    try {
      const pid = app.child.pid;
      if (pid === undefined) throw new Error('the server has no process id');
      const user = await app.api.userWithMfa('load');

      // 300 wrong backup codes at once: exactly 5 are checked (5 per user per 15 minutes).
      const codes = await burst(app.url, 300, () => ({
        method: 'POST',
        path: '/mfa/verify-backup-code',
        token: user.accessToken,
        body: { backup_code: 'WRONGXXX' },
      }));
      expect(count(codes, 'MFA_INVALID_CODE')).toBe(5);
      expect(count(codes, 'RATE_LIMITED')).toBe(295);

      // 300 wrong passwords at once: exactly 10 are hashed (10 per account and address).
      const guesses = await burst(app.url, 300, () => ({
        method: 'POST',
        path: '/auth/login',
        body: { username: user.username, password: 'not the password' },
      }));
      expect(count(guesses, 'INVALID_CREDENTIALS')).toBe(10);
      expect(count(guesses, 'RATE_LIMITED')).toBe(290);

      // 100 resends to one address at once: exactly 1 (1 a minute).
      const resends = await burst(app.url, 100, () => ({
        method: 'POST',
        path: '/auth/resend-verification',
        body: { email: 'load-target@example.com' },
      }));
      expect(resends.filter((reply) => reply.status === 200)).toHaveLength(1);
      expect(count(resends, 'RATE_LIMITED')).toBe(99);

      // Memory: a warm-up, then 20,000 requests — password guesses under fresh usernames (each
      // would be a new counter if refused ones left any behind) and status reads.
      const flood = (offset: number, total: number) =>
        burst(app.url, total, (i) =>
          i % 2 === 0
            ? { method: 'GET', path: '/mfa/status', token: user.accessToken }
            : {
                method: 'POST',
                path: '/auth/login',
                body: { username: `ghost_${offset + i}`, password: 'not the password' },
              },
        );
      await flood(0, 2_000);
      const before = rssMiB(pid);
      const replies = await flood(1_000_000, FLOOD);
      const after = rssMiB(pid);
      expect(replies.filter((reply) => reply.status >= 500)).toEqual([]);
      expect(count(replies, undefined)).toBe(FLOOD / 2);
      console.info(
        `load: 50 connections; limits exact (5 codes, 10 passwords, 1 resend checked); RSS ${before.toFixed(0)} → ${after.toFixed(0)} MiB over ${FLOOD} requests`,
      );
      expect(after - before).toBeLessThan(64);
      // Still serving normally.
      expect((await app.api.call('GET', '/mfa/status', { token: user.accessToken })).status).toBe(
        200,
      );
    } finally {
      await stopApp(app);
    }
  }, 240_000);
});
