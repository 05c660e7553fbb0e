import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { graphRoles, PACK_FORMAT, PACK_MANIFEST, PACK_VERSION, type GraphSpec, type PackManifest } from './manifest.js';
import { PackError } from './pack-error.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireField<T>(manifest: Record<string, unknown>, key: string, check: (v: unknown) => boolean, what: string, where: string): T {
  const value = manifest[key];
  if (!check(value)) throw new PackError('manifest_invalid', `${where}: "${key}" must be ${what}, got ${JSON.stringify(value)}`, PACK_MANIFEST);
  return value as T;
}

function decodesToPcm(decoder: unknown): boolean {
  return isObject(decoder) && isObject(decoder.outputs) && 'pcm' in decoder.outputs;
}

const positiveInteger = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;

function checkGraph(dir: string, role: string, graph: unknown, roles: { inputs: readonly string[]; outputs: readonly string[] }): GraphSpec {
  const where = `${join(dir, PACK_MANIFEST)} graph "${role}"`;
  if (!isObject(graph) || typeof graph.file !== 'string' || !isObject(graph.inputs) || !isObject(graph.outputs)) {
    throw new PackError('manifest_invalid', `${where} needs "file", "inputs" and "outputs"`, PACK_MANIFEST);
  }
  for (const [kind, names] of [
    ['inputs', roles.inputs],
    ['outputs', roles.outputs],
  ] as const) {
    for (const name of names) {
      const spec = (graph[kind] as Record<string, unknown>)[name];
      if (!isObject(spec) || typeof spec.name !== 'string' || typeof spec.dtype !== 'string' || !Array.isArray(spec.shape)) {
        throw new PackError(
          'manifest_invalid',
          `${where} does not describe its ${kind === 'inputs' ? 'input' : 'output'} "${name}" (name, dtype, shape)`,
          PACK_MANIFEST,
        );
      }
    }
  }
  return graph as unknown as GraphSpec;
}

/** Reads and checks sa3-pack.json of a pack folder, and that every file it lists is there with its size. */
export async function loadManifest(dir: string): Promise<PackManifest> {
  const path = join(dir, PACK_MANIFEST);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new PackError('pack_not_found', `${dir} is not a model pack: it has no ${PACK_MANIFEST}`, PACK_MANIFEST);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PackError('manifest_invalid', `${path} is not valid JSON: ${(error as Error).message}`, PACK_MANIFEST);
  }
  if (!isObject(raw) || raw.format !== PACK_FORMAT)
    throw new PackError('manifest_invalid', `${path} is not an sa3 pack manifest ("format" must be "${PACK_FORMAT}")`, PACK_MANIFEST);
  if (raw.version !== PACK_VERSION)
    throw new PackError(
      'manifest_invalid',
      `${path} is pack format version ${JSON.stringify(raw.version)}; this runtime reads version ${PACK_VERSION}`,
      PACK_MANIFEST,
    );
  requireField(raw, 'id', (v) => typeof v === 'string' && /^[a-z0-9][a-z0-9._-]*$/.test(v), 'a lower-case id', path);
  requireField(raw, 'objective', (v) => v === 'rf_denoiser' || v === 'rectified_flow', '"rf_denoiser" or "rectified_flow"', path);
  requireField(raw, 'ditLayout', (v) => v === 'baked' || v === 'explicit', '"baked" or "explicit"', path);
  if (raw.precision !== undefined) requireField(raw, 'precision', (v) => v === 'fp32' || v === 'fp16' || v === 'int8', '"fp32", "fp16" or "int8"', path);
  requireField(raw, 'latentChannels', positiveInteger, 'a positive integer', path);
  requireField(raw, 'samplesPerLatent', positiveInteger, 'a positive integer', path);
  requireField(raw, 'maxSamples', positiveInteger, 'a positive integer', path);
  const text_ = requireField<Record<string, unknown>>(raw, 'text', isObject, 'an object { tokenizer, maxTokens, hiddenSize }', path);
  requireField(text_, 'tokenizer', (v) => typeof v === 'string', 'a file name', `${path} "text"`);
  requireField(text_, 'maxTokens', positiveInteger, 'a positive integer', `${path} "text"`);
  requireField(text_, 'hiddenSize', positiveInteger, 'a positive integer', `${path} "text"`);
  const codec = requireField<Record<string, unknown>>(raw, 'codec', isObject, 'an object', path);
  for (const key of ['chunkLatents', 'encoderMultipleLatents']) requireField(codec, key, positiveInteger, 'a positive integer', `${path} "codec"`);
  requireField(
    codec,
    'overlapLatents',
    (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < (codec.chunkLatents as number),
    'a whole number below chunkLatents',
    `${path} "codec"`,
  );
  const graphs = requireField<Record<string, unknown>>(raw, 'graphs', isObject, 'an object', path);
  for (const role of ['textEncoder', 'dit', 'encoder', 'decoder'] as const) {
    if (!graphs[role])
      throw new PackError('graph_missing', `${path} lists no "${role}" graph; a pack needs textEncoder, dit, encoder and decoder`, PACK_MANIFEST);
    const roles =
      role === 'dit'
        ? graphRoles.dit[raw.ditLayout as 'baked' | 'explicit']
        : role === 'decoder' && decodesToPcm(graphs.decoder)
          ? graphRoles.pcmDecoder
          : graphRoles[role];
    checkGraph(dir, role, graphs[role], roles);
  }
  if (decodesToPcm(graphs.decoder)) {
    requireField(
      codec,
      'pcmFullScale',
      (v) => typeof v === 'number' && Number.isFinite(v) && v > 0,
      'a positive number (the decoder outputs int32 "pcm")',
      `${path} "codec"`,
    );
  }
  if (graphs.conditioner) checkGraph(dir, 'conditioner', graphs.conditioner, graphRoles.conditioner);
  if (raw.ditLayout === 'explicit' && !graphs.conditioner && typeof raw.conditionerWeights !== 'string') {
    throw new PackError('manifest_invalid', `${path}: an explicit-layout pack needs a "conditioner" graph or "conditionerWeights"`, PACK_MANIFEST);
  }
  const files = requireField<unknown[]>(raw, 'files', Array.isArray, 'a list of { path, bytes, sha256 }', path);
  for (const entry of files) {
    if (
      !isObject(entry) ||
      typeof entry.path !== 'string' ||
      !Number.isInteger(entry.bytes) ||
      typeof entry.sha256 !== 'string' ||
      !/^[0-9a-f]{64}$/.test(entry.sha256)
    ) {
      throw new PackError(
        'manifest_invalid',
        `${path}: every entry of "files" needs path, bytes and a sha256 in hex, got ${JSON.stringify(entry)}`,
        PACK_MANIFEST,
      );
    }
    if (entry.path.split(/[\\/]/).includes('..') || entry.path.startsWith('/'))
      throw new PackError('manifest_invalid', `${path}: file "${entry.path}" points outside the pack`, PACK_MANIFEST);
  }
  const manifest = raw as unknown as PackManifest;
  const listed = new Set(manifest.files.map((f) => f.path));
  const graphFiles = Object.entries(manifest.graphs).flatMap(([role, g]) =>
    g ? [[role, g.file] as const, ...(g.externalData ?? []).map((f) => [role, f] as const)] : [],
  );
  for (const [role, file] of [
    ...graphFiles,
    ['tokenizer', manifest.text.tokenizer] as const,
    ...(manifest.conditionerWeights ? [['conditioner', manifest.conditionerWeights] as const] : []),
  ]) {
    if (!listed.has(file)) throw new PackError('manifest_invalid', `${path}: the ${role} file "${file}" is not in "files"`, file);
  }
  for (const file of manifest.files) {
    const info = await stat(join(dir, file.path)).catch(() => null);
    if (!info) {
      const role = graphFiles.find(([, f]) => f === file.path)?.[0];
      throw new PackError(
        role ? 'graph_missing' : 'file_missing',
        `the pack ${manifest.id} in ${dir} is missing ${file.path}${role ? ` (its ${role} graph)` : ''}; pull or import the pack again`,
        file.path,
      );
    }
    if (info.size !== file.bytes)
      throw new PackError(
        'file_size_mismatch',
        `${join(dir, file.path)} is ${info.size} bytes but the pack says ${file.bytes}: the file is incomplete or replaced`,
        file.path,
      );
  }
  return manifest;
}
