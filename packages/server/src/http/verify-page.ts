import { MESSAGES } from '@twofold/contract';
import { ApiError } from './api-error.js';
import type { Answer, IncomingRequest } from './exchange.js';
import { SECURITY_HEADERS } from './respond.js';

/** Where the default link of verification emails leads (beside `/api/v1`, not under it). */
export const VERIFY_PAGE_PATH = '/verify-email';

/**
 * The page's headers: HTML, never cached (it carries a token), no referrer (the token is in
 * the URL), and a Content-Security-Policy that allows no script, style or frame at all — the
 * page is a plain form, so nothing injected into it could run.
 */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

const escapeHtml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

function page(status: number, title: string, body: string): Answer {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${body}
</main></body>
</html>
`;
  return { status, headers: { ...PAGE_HEADERS }, body: html };
}

/**
 * `GET /verify-email?token=…`: an explanation and a button, nothing more. Mail scanners and
 * link previews follow links, so a GET must never consume the token; the button's form POSTs it.
 * The form's action is relative, so the page also works behind a proxy that adds a path prefix.
 */
function confirmPage(url: URL, product: string): Answer {
  const token = url.searchParams.get('token') ?? '';
  if (token === '') {
    return page(
      400,
      'Link incomplete',
      '<p>This link carries no verification token. Open the link from the email again, or copy all of it.</p>',
    );
  }
  return page(
    200,
    'Confirm your email address',
    `<p>Press the button to confirm your email address for ${escapeHtml(product)}.</p>
<form method="post" action="verify-email">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit">Confirm my email address</button>
</form>`,
  );
}

/** The form's token, or undefined for a body that is not one (never an error page of 500). */
async function formToken(request: IncomingRequest, limit: number): Promise<string | undefined> {
  const type = request.headers.get('Content-Type') ?? '';
  if (!/^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(type)) return undefined;
  let text: string;
  try {
    // Bounded as JSON bodies are: a form must not make the server buffer megabytes.
    text = new TextDecoder().decode(await request.readBody(limit));
  } catch {
    return undefined;
  }
  return new URLSearchParams(text).get('token') ?? undefined;
}

/**
 * `POST /verify-email` (the page's button): redeems the token as `POST /api/v1/auth/verify-email`
 * does and answers a page saying what happened.
 */
async function resultPage(
  request: IncomingRequest,
  limit: number,
  redeem: (token: string) => Promise<string | undefined>,
): Promise<Answer> {
  const token = await formToken(request, limit);
  const userId = token === undefined || token === '' ? undefined : await redeem(token);
  if (userId === undefined) {
    return page(
      400,
      'Link invalid or expired',
      '<p>This verification link is invalid, has expired or was already used. Sign in and ask for a new verification email.</p>',
    );
  }
  return page(200, 'Email address verified', '<p>Thank you. You can close this page.</p>');
}

/** What the verification page needs from the server. */
export interface VerifyPageContext {
  productName: string;
  bodyBytes: number;
  redeem(token: string): Promise<string | undefined>;
}

/** The answer of the verification page's path: GET shows the button, POST verifies. */
export async function verifyPage(
  request: IncomingRequest,
  url: URL,
  context: () => Promise<VerifyPageContext>,
): Promise<Answer> {
  if (request.method === 'GET') return confirmPage(url, (await context()).productName);
  if (request.method === 'POST') {
    const { bodyBytes, redeem } = await context();
    return resultPage(request, bodyBytes, redeem);
  }
  throw new ApiError('METHOD_NOT_ALLOWED', MESSAGES.methodNotAllowed, undefined, {
    Allow: 'GET, POST',
  });
}
