import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compressAssets } from './compress-assets';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// The Missive server during development (`npm run dev`); override to point at another instance.
const apiTarget = process.env.MISSIVE_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: webRoot,
  plugins: [react(), compressAssets()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The server's CSP forbids inline scripts and styles: never inline assets into HTML.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // The web app imports the shared contracts from ../src/contracts.
    fs: { allow: [repoRoot] },
    proxy: {
      // ws: the live-update socket at /api/v1/ws goes through the dev proxy too.
      '/api': { target: apiTarget, changeOrigin: false, ws: true },
      '/healthz': { target: apiTarget, changeOrigin: false },
    },
  },
});
