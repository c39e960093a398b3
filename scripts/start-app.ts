/**
 * `npm start`: builds the app, then serves the build with Vite's preview server. The built app is
 * the one with the service worker (it precaches the app, the bundled model and the demo data), so
 * what `npm start` serves works offline after one visit; the dev server (`npm run dev`, hot reload)
 * has none, since a precache would serve stale modules while editing.
 *
 * The e2e test of offline use starts the app through `startApp`, as `npm start` does, into a
 * folder of its own so that it never rebuilds the dist/ other tests are serving.
 */
import { pathToFileURL } from 'node:url';
import { build, preview } from 'vite';

export interface StartedApp {
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  port?: number;
  /** Where the build goes; dist/ by default. */
  outDir?: string;
  /** Only warnings and errors from Vite (tests). */
  quiet?: boolean;
}

export const DEFAULT_PORT = 5173;

export async function startApp({ port = DEFAULT_PORT, outDir = 'dist', quiet = false }: StartOptions = {}): Promise<StartedApp> {
  const logLevel = quiet ? 'warn' : 'info';
  // Vite derives the production build (and Svelte its production mode) from NODE_ENV, which test
  // runners set to "test": build what users get.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ mode: 'production', logLevel, build: { outDir, emptyOutDir: true } });
  } finally {
    if (env === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = env;
  }
  const server = await preview({ build: { outDir }, preview: { port, strictPort: true, host: '127.0.0.1' }, logLevel });
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

function portArgument(argv: string[]): number {
  const i = argv.indexOf('--port');
  if (i < 0) return DEFAULT_PORT;
  const port = Number(argv[i + 1]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`usage error: --port needs a port number (1-65535), got "${argv[i + 1] ?? ''}"`);
    process.exit(2);
  }
  return port;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  startApp({ port: portArgument(process.argv.slice(2)) }).then(
    (app) => console.log(`\nTransferScope: open ${app.url} (the built app; it works offline after one visit)`),
    (e: unknown) => {
      console.error((e as Error).message);
      process.exit(1);
    },
  );
}
