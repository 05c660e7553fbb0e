import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../packages/runtime/dist/cli/main.js', import.meta.url));
