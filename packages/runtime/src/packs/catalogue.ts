import type { CatalogueEntry } from './catalogue/catalogue-entry.js';
import { communityPacks } from './catalogue/community-packs.js';
import { officialPacks } from './catalogue/official-packs.js';
import { PackError } from './pack-error.js';

export type { Availability, CatalogueEntry, CatalogueFile, CheckpointRole, FileRole, GraphIo, GraphRole, SourceRepo } from './catalogue/catalogue-entry.js';
export { entryBytes, entrySourceRepo } from './catalogue/catalogue-entry.js';

/** The packs sa3 knows how to get, official first. */
export const CATALOGUE: readonly CatalogueEntry[] = [...officialPacks, ...communityPacks];

export function catalogueEntry(id: string, catalogue: readonly CatalogueEntry[] = CATALOGUE): CatalogueEntry {
  const entry = catalogue.find((e) => e.id === id);
  if (!entry) throw new PackError('unknown_pack', `"${id}" is not a pack sa3 knows; the known packs are ${catalogue.map((e) => e.id).join(', ')}`);
  return entry;
}
