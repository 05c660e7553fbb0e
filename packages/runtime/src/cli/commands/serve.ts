import { resolve } from 'node:path';
import { startServer, defaultServerOptions, parseRateLimit, type RateLimit, type ServerOptions } from '../../server/index.js';
import { EXIT_INVALID_INPUT } from '../exit-codes.js';
import { cliResultStore } from '../result-store.js';
import { watchStopSignals } from '../stop-signals.js';
import { removeHeldTempPathsSync } from '../../files/index.js';
import { loraFlags } from '../lora-flags.js';
import type { RedisAddress } from '../../queue/index.js';

function positiveInteger(text: string | undefined, flag: string): number | string | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : `--${flag} must be a whole number above 0, got "${text}"`;
}

/**
 * `sa3 serve`: the Cog predictions API, the workflow API and the editor, until Ctrl+C, SIGTERM or
 * SIGHUP: then it takes no new work, cancels the runs in hand (with --redis: leaves them to their jobs, for
 * the next start to follow), closes every connection and exits 0
 * (within 5 s: after that it ends at once, with 128 + the signal's number).
 */
export async function serveCommand(values: Readonly<Record<string, string | boolean | readonly string[] | undefined>>): Promise<number> {
  const defaults = defaultServerOptions();
  const port = values.port === '0' ? 0 : positiveInteger(values.port as string | undefined, 'port');
  const queue = positiveInteger(values.queue as string | undefined, 'queue');
  for (const value of [port, queue]) {
    if (typeof value === 'string') {
      process.stderr.write(`sa3 serve: ${value}\n`);
      return EXIT_INVALID_INPUT;
    }
  }
  const loras = await loraFlags(values.lora, process.cwd());
  if (typeof loras === 'string') {
    process.stderr.write(`sa3 serve: ${loras}\n`);
    return EXIT_INVALID_INPUT;
  }
  let redis: RedisAddress | undefined;
  try {
    if (typeof values.redis === 'string') redis = (await import('../../queue/index.js')).parseRedisUrl(values.redis);
  } catch (error) {
    process.stderr.write(`sa3 serve: ${(error as Error).message}\n`);
    return EXIT_INVALID_INPUT;
  }
  let rateLimit: RateLimit | undefined;
  try {
    if (typeof values['rate-limit'] === 'string') rateLimit = parseRateLimit(values['rate-limit']);
  } catch (error) {
    process.stderr.write(`sa3 serve: ${(error as Error).message}\n`);
    return EXIT_INVALID_INPUT;
  }
  const store = cliResultStore(values['no-cache'] === true);
  const options: ServerOptions = {
    ...defaults,
    ...(typeof values.host === 'string' ? { host: values.host } : {}),
    ...(typeof port === 'number' ? { port } : {}),
    ...(typeof queue === 'number' ? { queueDepth: queue, predictionQueueDepth: queue } : {}),
    ...(typeof values.token === 'string' ? { token: values.token } : {}),
    ...(typeof values.files === 'string' ? { filesDir: resolve(values.files) } : {}),
    ...(typeof values.outputs === 'string' ? { outputDir: resolve(values.outputs) } : {}),
    outputsAsUrls: values['output-urls'] === true,
    ...(typeof values['replicate-model'] === 'string' ? { replicateModel: values['replicate-model'] } : {}),
    ...(typeof values['public-url'] === 'string' ? { publicUrl: values['public-url'] } : {}),
    ...(store ? { store } : {}),
    ...(loras.length > 0 ? { predictionLoras: loras } : {}),
    ...(redis ? { redis } : {}),
    ...(rateLimit ? { rateLimit } : {}),
    // Nothing was made by this process yet: what carries its pid is from an earlier one (a restarted container's pid 1).
    ownPidIsPast: true,
  };
  let server;
  try {
    server = await startServer(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(
      `sa3 serve: ${code === 'EADDRINUSE' ? `port ${options.port} on ${options.host} is already in use; pick another with --port` : (error as Error).message}\n`,
    );
    return EXIT_INVALID_INPUT;
  }
  // Listening for the stop signals before saying so, so a supervisor may stop it as soon as it reads the line.
  const stopped = new Promise<void>((done) => {
    const watch = watchStopSignals((signal) => {
      const inHand = server.runs.pending;
      process.stderr.write(`sa3 serve: ${signal}: stopping${inHand > 0 ? `, cancelling ${inHand} run(s)` : ''}\n`);
      void server
        .close()
        .catch((error: unknown) => process.stderr.write(`sa3 serve: while stopping: ${(error as Error).message}\n`))
        .then(() => {
          watch.dispose();
          removeHeldTempPathsSync();
          done();
        });
    });
  });
  // The token rides in the fragment, which browsers never send, so it stays out of request logs.
  const editorUrl = options.token ? `${server.url}/#token=${encodeURIComponent(options.token)}` : server.url;
  process.stdout.write(`sa3 serve: listening on ${editorUrl}${options.token ? ' (bearer token required)' : ''}\n`);
  if (options.host !== '127.0.0.1' && options.host !== 'localhost' && !options.token) {
    process.stderr.write('sa3 serve: warning: reachable beyond this machine without a token; set SA3_TOKEN or --token\n');
  }
  await stopped;
  return 0;
}
