import type { FastifyInstance } from 'fastify';
import type { LoraEntry } from '@sa3/nodes';
import { LoraLibrary } from '../../store/index.js';

/** GET /api/loras: the LoRA files installed in $SA3_HOME/loras, with the sha256 a workflow records for each. */
export function registerLoraRoutes(app: FastifyInstance, library = new LoraLibrary()): void {
  app.get<{ Reply: LoraEntry[] }>('/api/loras', async () => {
    const entries: LoraEntry[] = [];
    for (const lora of await library.list()) {
      // The library keeps each file's hash until the file changes, so listing again costs a stat per file.
      const { sha256 } = await library.resolve(lora.name, { baseDir: library.dir, confine: true });
      entries.push({
        name: lora.name,
        bytes: lora.bytes,
        sha256,
        ...(lora.adapterType !== undefined ? { adapterType: lora.adapterType } : {}),
        ...(lora.rank !== undefined ? { rank: lora.rank } : {}),
      });
    }
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  });
}
