import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { serveFolders } from './scripts/vite-serve-folders.ts';
import { serviceWorker } from './scripts/vite-service-worker.ts';

// `base: './'` makes the built site work from any sub-path (e.g. a project page).
// models/ (bundled BERT), datasets/ (demo data snapshot) and results/ (committed reference runs, one
// of them bundled as a finished demo experiment) are data, served and copied as they are, and
// precached with the app by the service worker so that it works offline after one visit.
const DATA_FOLDERS = ['models', 'datasets', 'results'];

export default defineConfig({
  base: './',
  plugins: [svelte(), serveFolders(DATA_FOLDERS), serviceWorker()],
  resolve: {
    // Only the tokenizers of @xenova/transformers run here; see the stub for why.
    alias: [
      { find: /^onnxruntime-(web|node)$/, replacement: fileURLToPath(new URL('./src/lib/bert/onnxruntime-stub.ts', import.meta.url)) },
    ],
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
