import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const outDir = fileURLToPath(new URL('./dist/', import.meta.url));
// The plugin library `npm run build:lib` writes; an app build leaves it alone.
const LIBRARY_DIR = 'lib';

/** Empties dist/ before the app is written, except the plugin library. */
function emptyAppOutDir(): Plugin {
  return {
    name: 'sa3-empty-app-out-dir',
    apply: 'build',
    buildStart() {
      const entries = (() => {
        try {
          return readdirSync(outDir);
        } catch {
          return [];
        }
      })();
      for (const entry of entries) if (entry !== LIBRARY_DIR) rmSync(join(outDir, entry), { recursive: true, force: true });
    },
  };
}

// Two pages: the editor app, and a plain Rete editor that only uses the exported plugin API
// (the browser tests check that another Rete app can host our nodes). The app goes to dist/, which
// the sa3 server serves; the plugin library goes to dist/lib/ (tsconfig.lib.json), what the
// package exports and `npm pack` packs.
export default defineConfig({
  plugins: [react(), emptyAppOutDir()],
  base: '/',
  build: {
    outDir,
    emptyOutDir: false,
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: { index: 'index.html', 'plain-rete': 'plain-rete.html' },
    },
  },
});
