import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { GraphBuilder } from '../compiler/index.js';
import { type CatalogueEntry, type CatalogueFile, isGraphRole } from '../catalogue/index.js';
import type { GraphIo } from '../pack-format/index.js';
import { buildDecoder, buildEncoder } from './codec-graphs.js';
import { buildConditioner, buildDit, type IoNames } from './dit-graph.js';
import { buildTextEncoder } from './text-encoder-graph.js';
import { tokenizerConfigJson, tokenizerJson } from './tokenizer-json.js';

/** Noise the published-layout decoder adds to its latents, loud enough to change the decoded samples. */
export const PUBLISHED_DECODER_NOISE = 1e-2;

export interface PublishedLayoutOptions {
  /** Save the DiT with its weights in external data (dit.onnx -> dit.onnx.data). */
  readonly ditExternalData?: boolean;
  /** Put the files whose paths the catalogue has not confirmed under this folder, as an export might. */
  readonly unverifiedUnder?: string;
}

function namesOf(io: GraphIo | undefined): IoNames {
  return Object.fromEntries(Object.entries({ ...io?.inputs, ...io?.outputs }).map(([role, spec]) => [role, spec.name]));
}

function graphFor(entry: CatalogueEntry, file: CatalogueFile): GraphBuilder | null {
  const io = isGraphRole(file.role) ? entry.io[file.role] : undefined;
  const names = namesOf(io);
  switch (file.role) {
    case 'textEncoder':
      return buildTextEncoder(names);
    case 'dit':
      return buildDit(entry.ditLayout, io !== undefined && 'padding_mask' in io.inputs, names);
    case 'encoder':
      return buildEncoder(names);
    case 'decoder':
      // The PCM-baked variant carries the bottleneck noise too, as the published decoder does.
      return buildDecoder(names, io !== undefined && 'pcm' in io.outputs ? { pcm: true, noise: PUBLISHED_DECODER_NOISE } : {});
    case 'conditioner':
      return buildConditioner(names);
    default:
      return null;
  }
}

/**
 * Writes the test pack's graphs and tokenizer where a catalogue entry expects them in its
 * Hugging Face repos, <root>/<owner>/<name>/<path>, with the entry's tensor names: a stand-in for
 * the published files that sa3 can pull from a local server. Returns the paths written, relative to root.
 */
export async function writePublishedTestLayout(root: string, entry: CatalogueEntry, options: PublishedLayoutOptions = {}): Promise<string[]> {
  const written: string[] = [];
  for (const file of entry.files) {
    const path = !file.verified && options.unverifiedUnder ? posix.join(options.unverifiedUnder, file.path) : file.path;
    const target = join(root, file.repo, path);
    await mkdir(dirname(target), { recursive: true });
    const graph = graphFor(entry, file);
    if (graph) {
      const threshold = file.role === 'dit' && options.ditExternalData ? { externalDataThresholdBytes: 1024 } : {};
      const saved = await graph.save(dirname(target), posix.basename(path), threshold);
      written.push(...saved.files.map((f) => posix.join(file.repo, posix.dirname(path), f)));
    } else if (file.role === 'tokenizer') {
      await writeFile(target, `${JSON.stringify(tokenizerJson(), null, 2)}\n`);
      written.push(posix.join(file.repo, path));
    } else if (file.role === 'tokenizerConfig') {
      await writeFile(target, `${JSON.stringify(tokenizerConfigJson(), null, 2)}\n`);
      written.push(posix.join(file.repo, path));
    }
  }
  return written;
}
