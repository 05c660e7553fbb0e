import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Two pages: the editor app, and a plain Rete editor that only uses the exported plugin API
// (the browser tests check that another Rete app can host our nodes).
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: { index: 'index.html', 'plain-rete': 'plain-rete.html' },
    },
  },
});
