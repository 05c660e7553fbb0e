import type { CatalogueEntry } from './catalogue-entry.js';
import { communityPacks } from './community-packs.js';
import { officialPacks } from './official-packs.js';
import { PackError } from '../pack-format/index.js';

export type { Availability, CatalogueEntry, CatalogueFile, CheckpointRole, FileRole, GraphRole, SourceRepo } from './catalogue-entry.js';
export { entryBytes, entrySourceRepo } from './catalogue-entry.js';

/** The packs sa3 knows how to get, official first. */
export const CATALOGUE: readonly CatalogueEntry[] = [...officialPacks, ...communityPacks];

export function catalogueEntry(id: string, catalogue: readonly CatalogueEntry[] = CATALOGUE): CatalogueEntry {
  const entry = catalogue.find((e) => e.id === id);
  if (!entry) throw new PackError('unknown_pack', `"${id}" is not a pack sa3 knows; the known packs are ${catalogue.map((e) => e.id).join(', ')}`);
  return entry;
}
export { describeRole, isCompanionOf, isGraphRole } from './file-roles.js';
