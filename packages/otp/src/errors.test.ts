import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { isOtpError, OtpError } from './errors.js';

describe('OtpError', () => {
  it('is an Error with a name, a code and an optional cause', () => {
    const cause = new Error('root');
    const error = new OtpError('INVALID_URI', 'bad uri', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('OtpError');
    expect(error.code).toBe('INVALID_URI');
    expect(error.cause).toBe(cause);
  });

  it('is recognised by isOtpError across realms, and other errors are not', () => {
    const foreign = runInNewContext(
      `const e = new Error('x'); Object.defineProperty(e, Symbol.for('@twofold/otp/OtpError'), { value: true }); e`,
    );
    expect(foreign instanceof OtpError).toBe(false);
    expect(isOtpError(foreign)).toBe(true);
    expect(isOtpError(new OtpError('INVALID_OPTION', 'x'))).toBe(true);
    expect(isOtpError(new Error('x'))).toBe(false);
    expect(isOtpError({ code: 'INVALID_OPTION' })).toBe(false);
    expect(isOtpError(null)).toBe(false);
  });
});
