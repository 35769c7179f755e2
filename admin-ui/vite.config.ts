import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API is served by the backend on the same origin in production; in dev
// the proxy keeps it same-origin too, so the session cookie just works.
// API_PROXY_TARGET lets the dev server point at a backend on another port.
const apiTarget = process.env.API_PROXY_TARGET ?? 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
});
