import { listWorkers, parseRedisUrl } from '../../queue/index.js';
import { EXIT_INVALID_INPUT, EXIT_OK, EXIT_RUN_FAILED } from '../exit-codes.js';

/** `sa3 workers --redis URL [--json]`: the workers serving that Redis and what each queue holds. */
export async function workersCommand(values: Readonly<Record<string, unknown>>): Promise<number> {
  if (typeof values.redis !== 'string') {
    process.stderr.write('sa3 workers: --redis URL is required, e.g. sa3 workers --redis redis://10.0.0.5:6379\n');
    return EXIT_INVALID_INPUT;
  }
  let listing;
  try {
    const address = parseRedisUrl(values.redis);
    listing = await listWorkers(address).catch((error: Error) => {
      throw new Error(`Redis at ${address.display} cannot be reached (${error.message})`);
    });
  } catch (error) {
    process.stderr.write(`sa3 workers: ${(error as Error).message}\n`);
    return EXIT_RUN_FAILED;
  }
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(listing)}\n`);
    return EXIT_OK;
  }
  const lines = [`workers: ${listing.workers.length}`];
  for (const w of listing.workers)
    lines.push(
      `  ${w.id}  packs ${w.packs.join(', ') || '-'}  loaded ${w.loaded.join(', ') || '-'}  ${w.busy > 0 ? `busy (${w.busy})` : 'idle'}  ${w.done} done`,
    );
  lines.push(`queues: ${listing.queues.length}`);
  for (const q of listing.queues) lines.push(`  ${q.name}  ${q.waiting} waiting  ${q.active} running  ${q.failed} failed  ${q.completed} completed`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_OK;
}
