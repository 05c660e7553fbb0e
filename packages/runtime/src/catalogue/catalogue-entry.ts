import type { DitLayout, GraphIo, PackManifest } from '../pack-format/index.js';

export type GraphRole = 'textEncoder' | 'dit' | 'encoder' | 'decoder' | 'conditioner';
/**
 * externalData: weights a graph loads from beside it; which graph is read from the graphs themselves.
 * The checkpoint roles are the files of a safetensors release that a pull converts into a pack.
 */
export type FileRole = GraphRole | 'tokenizer' | 'tokenizerConfig' | 'externalData' | CheckpointRole;
export type CheckpointRole = 'checkpointWeights' | 'checkpointConfig' | 'textEncoderWeights' | 'textEncoderConfig';

/** One file a pull fetches. */
export interface CatalogueFile {
  readonly role: FileRole;
  /** Hugging Face model repo, owner/name. */
  readonly repo: string;
  /** Path inside the repo. */
  readonly path: string;
  /** Path inside the pack folder. Graphs keep their folder so external data beside them still resolves. */
  readonly packPath: string;
  /**
   * true: the path is confirmed by the reference (official build scripts, shipped file lists).
   * false: only the name is known from secondary sources; a pull then also accepts a file of
   * that name anywhere in the repo.
   */
  readonly verified: boolean;
  /** A pull goes on without it when the repo does not have it. */
  readonly optional?: boolean;
  /** Approximate size, for `sa3 models list` before the repo is asked. */
  readonly approxBytes: number;
}

export interface SourceRepo {
  readonly repo: string;
  /** Whether downloads need an accepted licence and HF_TOKEN; "unknown" when the reference does not say. */
  readonly gated: 'yes' | 'no' | 'unknown';
}

export type Availability =
  | { readonly kind: 'pullable' }
  /**
   * No ONNX export runs in ONNX Runtime, but the safetensors release in `repo` does: a pull
   * downloads it (`files` are the checkpoint's) and converts it into a pack on this machine.
   */
  | { readonly kind: 'convertible'; readonly repo: string; readonly reason: string }
  /** No ONNX export is published; the safetensors checkpoint has to be converted first. */
  | { readonly kind: 'needs-conversion'; readonly reason: string }
  /** Published, but one graph cannot run in ONNX Runtime. */
  | { readonly kind: 'blocked'; readonly reason: string };

/** A pack sa3 knows how to get: where its files are and the sa3-pack.json it becomes. */
export interface CatalogueEntry {
  readonly id: string;
  readonly title: string;
  readonly family: PackManifest['family'];
  readonly objective: PackManifest['objective'];
  /** The checkpoint's sample_size. */
  readonly maxSamples: number;
  readonly availability: Availability;
  readonly revision: string;
  readonly repos: readonly SourceRepo[];
  readonly licence: string;
  readonly ditLayout: DitLayout;
  readonly files: readonly CatalogueFile[];
  /**
   * Graph inputs and outputs by role. Names are what the published graphs are called; dtypes
   * and shapes are the expected ones, replaced at pull time by what the downloaded graph declares.
   */
  readonly io: Readonly<Partial<Record<GraphRole, GraphIo>>>;
  readonly text: Omit<PackManifest['text'], 'tokenizer'>;
  readonly codec: PackManifest['codec'];
  /** What the reference does not confirm about this entry, said plainly. */
  readonly unverified: readonly string[];
  readonly note?: string;
}

export function entryBytes(entry: CatalogueEntry): number {
  return entry.files.reduce((sum, file) => sum + file.approxBytes, 0);
}

/** The repo whose files a pulled pack is recorded as coming from: the DiT's, or a converted checkpoint's. */
export function entrySourceRepo(entry: CatalogueEntry): string | undefined {
  return entry.availability.kind === 'convertible' ? entry.availability.repo : entry.files.find((f) => f.role === 'dit')?.repo;
}
