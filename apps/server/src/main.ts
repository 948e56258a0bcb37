#!/usr/bin/env node
import { type RunningServer, serve } from '@twofold/server/node';
import { type App, createApp } from './app.js';
import { type AppConfig, ConfigError, HELP, passwordCostWarning, readConfig } from './config.js';
import { type Keys, resolveKeys } from './keys.js';

/**
 * Opens the app and listens. On a given port the app comes first, so a bad option is refused
 * before the port is taken. On port 0 the port is known only once listening, and the default
 * public URL (links in emails, passkey origins) is made from it: listening comes first, and a
 * request waits for the app.
 */
async function start(config: AppConfig, keys: Keys): Promise<{ app: App; running: RunningServer }> {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const publicUrl = (port: number) => config.publicUrl ?? `http://${host}:${port}`;
  let openApp: (app: Promise<App>) => void = () => {};
  const app = new Promise<App>((resolve) => {
    openApp = resolve;
  });
  if (config.port !== 0) {
    openApp(createApp(config, keys, publicUrl(config.port)));
    await app;
  }
  const running = await serve(
    // The app is made once the port is known (port 0); `handle` answers without Web objects.
    { handle: async (request, connection) => (await app).server.handle(request, connection) },
    {
      port: config.port,
      host: config.host,
      onShutdown: () =>
        app.then(
          (opened) => opened.close(),
          () => {},
        ),
    },
  );
  if (config.port === 0) openApp(createApp(config, keys, publicUrl(running.port)));
  try {
    return { app: await app, running };
  } catch (error) {
    await running.close();
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig(process.argv.slice(2), process.env);
  if (config === 'help') {
    console.log(HELP);
    return;
  }
  const keys = resolveKeys(config, (message) => console.warn(`warning: ${message}`));
  const kdfWarning = passwordCostWarning(config);
  if (kdfWarning !== undefined) console.warn(`warning: ${kdfWarning}`);
  const { app, running } = await start(config, keys);
  console.log(`mode: ${config.mode}; store: ${app.storeDescription}`);
  console.log(`passkeys: ${app.passkeysDescription}`);
  console.log(`cors: ${app.corsDescription}`);
  console.log(`demo: ${app.demoDescription}`);
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
