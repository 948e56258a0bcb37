// pg, @electric-sql/pglite and nodemailer are optional peer dependencies: a browser app that
// installs the mock (and so this package) must not pull a database driver or an SMTP client.
// Whoever calls the function that needs one gets told which package to install.

/** The error for a missing optional peer: `what` needs `name`, and how to install it. */
export function missingPeer(what: string, name: string, cause: unknown): Error {
  return new Error(`${what} needs the \`${name}\` package: npm install ${name}`, { cause });
}

/** True when `error` says that `name` itself (not one of its own imports) cannot be found. */
export function isMissingPackage(error: unknown, name: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    (message.includes(`'${name}'`) || message.includes(`"${name}"`))
  );
}

/** `import(name)` through `load`, or the {@link missingPeer} error when it is not installed. */
export async function importPeer<T>(
  what: string,
  name: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw isMissingPackage(error, name) ? missingPeer(what, name, error) : error;
  }
}

/** The synchronous twin of {@link importPeer}, for a peer loaded with `require`. */
export function requirePeer<T>(what: string, name: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    throw isMissingPackage(error, name) ? missingPeer(what, name, error) : error;
  }
}
