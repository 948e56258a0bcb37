import { describe, expect, it } from 'vitest';
import { errorEnvelope, isEnvelope, successData, successMessage } from './envelope.js';
import { ERROR_CODES, isErrorCode, statusOf } from './error-codes.js';

describe('envelope', () => {
  it('builds the four shapes of spec §1, omitting absent members', () => {
    expect(JSON.stringify(successData([1]))).toBe('{"success":true,"data":[1]}');
    expect(JSON.stringify(successMessage('ok'))).toBe('{"success":true,"message":"ok"}');
    expect(JSON.stringify(errorEnvelope('NOT_FOUND', 'x'))).toBe(
      '{"success":false,"error":{"code":"NOT_FOUND","message":"x"}}',
    );
    expect(JSON.stringify(errorEnvelope('RATE_LIMITED', 'x', { retry_after_seconds: 3 }))).toBe(
      '{"success":false,"error":{"code":"RATE_LIMITED","message":"x","details":{"retry_after_seconds":3}}}',
    );
  });

  it('recognises envelopes and rejects everything else', () => {
    expect(isEnvelope(successData(1))).toBe(true);
    expect(isEnvelope(errorEnvelope('X', 'y'))).toBe(true);
    for (const value of [
      null,
      'x',
      [],
      {},
      { success: 'true' },
      { success: false, error: { code: 1, message: 'x' } },
    ]) {
      expect(isEnvelope(value)).toBe(false);
    }
  });
});

describe('error codes', () => {
  it('map to the statuses of spec §1', () => {
    expect(statusOf('VALIDATION_ERROR')).toBe(400);
    expect(statusOf('MFA_INVALID_CODE')).toBe(400);
    for (const code of [
      'UNAUTHORIZED',
      'AUTH_REQUIRED',
      'INVALID_TOKEN',
      'INVALID_CREDENTIALS',
      'MFA_REQUIRED',
    ] as const) {
      expect(statusOf(code)).toBe(401);
    }
    expect(statusOf('MFA_UNAUTHORIZED')).toBe(403);
    expect(statusOf('USER_NOT_FOUND')).toBe(404);
    expect(statusOf('METHOD_NOT_ALLOWED')).toBe(405);
    for (const code of [
      'MFA_NOT_PENDING',
      'MFA_NOT_ENABLED',
      'MFA_ALREADY_ENABLED',
      'CONFLICT',
    ] as const) {
      expect(statusOf(code)).toBe(409);
    }
    expect(statusOf('PAYLOAD_TOO_LARGE')).toBe(413);
    expect(statusOf('UNSUPPORTED_MEDIA_TYPE')).toBe(415);
    expect(statusOf('RATE_LIMITED')).toBe(429);
    for (const code of ['MFA_ERROR', 'INTERNAL_ERROR', 'SERVER_ERROR'] as const)
      expect(statusOf(code)).toBe(500);
  });

  it('are recognised only when in the catalogue', () => {
    expect(ERROR_CODES.every(isErrorCode)).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
  });
});
