// The seed rule is shared with the runtime's batches, so the editor and `sa3 run --repeat` step seeds alike.
export { nextSeed, randomSeed, seedModes, seedModesFromMeta, seedModesToMeta, SEED_CONTROL_META, type SeedMode, type SeedModesByNode } from '@sa3/nodes';
