/** BullMQ job ids may not be plain integers nor hold ':'; a run id (which a Cog client may choose) becomes one that is neither. */
export function jobIdOfRun(runId: string): string {
  return `run-${Buffer.from(runId, 'utf8').toString('base64url')}`;
}
