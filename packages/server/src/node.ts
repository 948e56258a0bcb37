// Node-only additions: the node:http adapter, OpenSSL scrypt, and SMTP delivery.
export { nodePasswordHasher } from './node/node-scrypt.js';
export { type RunningServer, type ServeOptions, serve } from './node/serve.js';
export { createSmtpMailer, type SmtpMailerOptions } from './node/smtp-mailer.js';
