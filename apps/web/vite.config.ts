import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The SPA talks only to the API, under /api (proxied in dev, nginx in production).
const apiUrl = process.env.WB_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': { target: apiUrl, rewrite: (p) => p.replace(/^\/api/, '') } } },
  preview: { proxy: { '/api': { target: apiUrl, rewrite: (p) => p.replace(/^\/api/, '') } } },
});
