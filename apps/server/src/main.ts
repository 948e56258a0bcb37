#!/usr/bin/env node
import { serve } from '@twofold/server/node';
import { createApp } from './app.js';
import { ConfigError, HELP, readConfig } from './config.js';
import { resolveKeys } from './keys.js';

async function main(): Promise<void> {
  const config = readConfig(process.argv.slice(2), process.env);
  if (config === 'help') {
    console.log(HELP);
    return;
  }
  const keys = resolveKeys(config, (message) => console.warn(`warning: ${message}`));
  const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const app = await createApp(config, keys, publicUrl);
  await app.server.ready;
  console.log(`mode: ${config.mode}; store: ${app.storeDescription}`);
  const running = await serve(app.server, {
    port: config.port,
    host: config.host,
    onShutdown: () => app.close(),
  });
  console.log(`Twofold reference server listening on ${running.url}`);
}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    console.error(`twofold-server: ${(error as Error).message}`);
    console.error('Run with --help for the options.');
  } else {
    console.error('twofold-server failed to start:', error);
  }
  process.exit(1);
});
