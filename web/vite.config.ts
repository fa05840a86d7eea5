import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The browser client: `web/` in, `dist/web/` out, served by the server at `/`.
 * `npm run dev:web` serves it with hot reload and sends `/api` (HTTP and
 * WebSocket) to the server at CONFAB_API (default http://127.0.0.1:8080).
 */
const api = process.env.CONFAB_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: api, ws: true } },
  },
});
