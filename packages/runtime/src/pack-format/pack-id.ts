/** Pack ids name a folder of SA3_HOME/packs: lower-case letters, digits, ".", "_" and "-", starting with a letter or digit. */
export const PACK_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** A sentence saying why `id` cannot name a pack, or null when it can. */
export function packIdProblem(id: string): string | null {
  if (PACK_ID_PATTERN.test(id)) return null;
  return `${JSON.stringify(id)} is not a pack id: ids are 1 to 100 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit`;
}
