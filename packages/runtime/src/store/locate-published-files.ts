import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { type CatalogueEntry, type CatalogueFile, describeRole, isCompanionOf, isGraphRole } from '../catalogue/index.js';
import { PackError } from '../pack-format/index.js';

/** Every file under `dir`, as a posix path relative to it. */
export async function listFilesUnder(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFilesUnder(dir, relative)));
    else if (entry.isFile()) out.push(relative);
  }
  return out;
}

/**
 * Where a catalogue file sits in a folder a user downloaded by hand: at its repo path, at its
 * pack path, under any parent folder, by its last folder and name, or by name alone (for a
 * verified name only at the top, as a browser download leaves it). The first rule with exactly
 * one match wins; a folder named like the repo (<owner>/<name>/) is searched first.
 */
export function locatePublishedFile(file: CatalogueFile, files: readonly string[]): string | undefined {
  const name = posix.basename(file.path);
  const lastTwo = file.path.split('/').slice(-2).join('/');
  const repoPrefix = `${file.repo}/`;
  const inRepoFolder = files.filter((p) => p.startsWith(repoPrefix)).map((p) => p.slice(repoPrefix.length));
  const rules: ((path: string) => boolean)[] = [
    (p) => p === file.path,
    (p) => p === file.packPath,
    (p) => p.endsWith(`/${file.path}`),
    (p) => lastTwo !== name && (p === lastTwo || p.endsWith(`/${lastTwo}`)),
    (p) => posix.basename(p) === name && (!file.verified || !p.includes('/')),
  ];
  for (const [pool, prefix] of [
    [inRepoFolder, repoPrefix],
    [files, ''],
  ] as const) {
    for (const rule of rules) {
      const found = pool.filter(rule);
      if (found.length === 1) return prefix + found[0]!;
      if (found.length > 1) return undefined;
    }
  }
  return undefined;
}

export interface PublishedMatch {
  readonly entry: CatalogueEntry;
  /** Source path (relative to the folder) -> pack path. */
  readonly files: ReadonlyMap<string, { readonly packPath: string; readonly role: CatalogueFile['role'] }>;
}

function matchEntry(entry: CatalogueEntry, files: readonly string[]): { match: PublishedMatch; missing: CatalogueFile[] } {
  const located = new Map<string, { packPath: string; role: CatalogueFile['role'] }>();
  const missing: CatalogueFile[] = [];
  for (const file of entry.files) {
    const path = locatePublishedFile(file, files);
    if (!path) {
      if (!file.optional) missing.push(file);
      continue;
    }
    located.set(path, { packPath: file.packPath, role: file.role });
    if (!isGraphRole(file.role)) continue;
    for (const companion of files.filter((f) => isCompanionOf(f, path))) {
      located.set(companion, { packPath: posix.join(posix.dirname(file.packPath), posix.basename(companion)), role: 'externalData' });
    }
  }
  return { match: { entry, files: located }, missing };
}

/** The catalogue pack whose published files a hand-downloaded folder holds, with where each file is. */
export async function matchPublishedLayout(dir: string, catalogue: readonly CatalogueEntry[], id?: string): Promise<PublishedMatch> {
  const files = await listFilesUnder(dir);
  const candidates = catalogue.filter((e) => e.availability.kind === 'pullable' && (id === undefined || e.id === id));
  if (id !== undefined && candidates.length === 0) {
    const known = catalogue.find((e) => e.id === id);
    if (known?.availability.kind === 'convertible') {
      throw new PackError(
        'import_unmatched',
        `${id} is made from its safetensors checkpoint, not imported from published files: run "sa3 models pull ${id}", or download ${known.availability.repo} (model.safetensors, model_config.json, t5gemma-b-b-ul2/) and run "sa3 models convert DIR --id ${id}"`,
      );
    }
    throw new PackError(
      'import_unmatched',
      known && known.availability.kind !== 'pullable'
        ? `${id} cannot be imported from published files: it ${known.availability.reason}`
        : `"${id}" is not a pack sa3 knows; the known packs are ${catalogue.map((e) => e.id).join(', ')}`,
    );
  }
  const results = candidates.map((entry) => matchEntry(entry, files));
  const complete = results.filter((r) => r.missing.length === 0);
  if (complete.length === 1) return complete[0]!.match;
  if (complete.length > 1)
    throw new PackError('import_unmatched', `${dir} holds the published files of ${complete.map((r) => r.match.entry.id).join(' and ')}; say which with --id`);
  const closest = [...results].sort((a, b) => a.missing.length - b.missing.length)[0];
  if (!closest) throw new PackError('import_unmatched', `${dir} is not an sa3 pack: it has no sa3-pack.json`);
  const lacking = closest.missing.map((f) => `${f.path} (the ${describeRole(f.role)})`).join(', ');
  throw new PackError(
    'import_unmatched',
    `${dir} is not an sa3 pack (it has no sa3-pack.json) and not a complete published layout: for ${closest.match.entry.id} it lacks ${lacking}`,
    closest.missing[0]?.path,
  );
}
