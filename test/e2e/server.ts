import { preview, type PreviewServer } from 'vite';

/** A running server of the app: where it is, and how to stop it. */
export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the built app (dist/) on a FIXED port: IndexedDB is per origin including the port, so
 * reload and restart tests need the same one every time.
 */
export async function serveBuiltApp(port: number): Promise<ServedApp> {
  const server: PreviewServer = await preview({
    preview: { port, strictPort: true, host: '127.0.0.1' },
    logLevel: 'warn',
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => server.close(),
  };
}
