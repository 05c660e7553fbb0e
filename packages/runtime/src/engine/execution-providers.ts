import { availableParallelism } from 'node:os';
import * as ort from './onnxruntime.js';

export const knownProviders = ['cuda', 'tensorrt', 'coreml', 'dml', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof knownProviders)[number];

/**
 * The providers to try, from config or SA3_EXECUTION_PROVIDER ("cuda", "tensorrt,cuda", ...);
 * cpu is always the last resort. A name this build does not know is said once and skipped, as
 * the help promises: the run goes on with what is left.
 */
export function requestedProviders(configured?: string, log: (line: string) => void = () => {}): ProviderName[] {
  const fromEnv = configured === undefined && process.env.SA3_EXECUTION_PROVIDER !== undefined;
  const text = configured ?? process.env.SA3_EXECUTION_PROVIDER ?? 'cpu';
  const names = text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const known = names.filter((name): name is ProviderName => (knownProviders as readonly string[]).includes(name));
  const unknown = names.filter((name) => !(knownProviders as readonly string[]).includes(name));
  const providers: ProviderName[] = known.includes('cpu') ? known : [...known, 'cpu'];
  if (unknown.length > 0)
    log(
      `${fromEnv ? 'SA3_EXECUTION_PROVIDER names' : 'asked for'} unknown execution provider${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} (known: ${knownProviders.join(', ')}); using ${providers.join(' then ')}`,
    );
  return providers;
}

export interface OpenedSession {
  readonly session: ort.InferenceSession;
  readonly provider: ProviderName;
}

let warnedThreads = false;

/**
 * Threads each session computes with: SA3_THREADS, else every core this process may use.
 * ONNX Runtime's own default counts physical cores, which on a 2-vCPU machine is one, and
 * leaves half the machine idle (a MatMul chain measured 1.9x faster with both).
 */
export function intraOpThreads(log: (line: string) => void = () => {}): number {
  const text = process.env.SA3_THREADS;
  if (text === undefined || text === '') return availableParallelism();
  const value = Number(text);
  if (Number.isInteger(value) && value > 0) return value;
  if (!warnedThreads) log(`SA3_THREADS must be a whole number of threads above 0, got "${text}"; using ${availableParallelism()}`);
  warnedThreads = true;
  return availableParallelism();
}

/**
 * Opens a session on the first provider that loads, falling back towards cpu. Says once, in
 * one line, what was asked and what runs when that is not the same.
 */
export async function openSession(
  path: string,
  providers: readonly ProviderName[],
  log: (line: string) => void,
  threads = intraOpThreads(log),
): Promise<OpenedSession> {
  // ONNX Runtime's own log would print a multi-line native error for every provider that does
  // not load; failures reach the caller as exceptions anyway. SA3_ORT_LOG_LEVEL brings it back.
  ort.env.logLevel = (process.env.SA3_ORT_LOG_LEVEL as typeof ort.env.logLevel) ?? 'fatal';
  const failures: string[] = [];
  for (const provider of providers) {
    try {
      const session = await ort.InferenceSession.create(path, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        // A provider that cannot load is reported in our one line; keep ONNX Runtime's own log quiet for it.
        ...(provider === 'cpu' ? {} : { logSeverityLevel: 4 as const }),
        intraOpNumThreads: threads,
      });
      if (failures.length > 0)
        log(`execution provider ${providers[0]} was asked for but could not load (${failures[0]}); running ${path.split('/').pop()} on ${provider}`);
      return { session, provider };
    } catch (error) {
      if (provider === 'cpu') throw error;
      failures.push(`${provider}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no execution provider could open ${path}`);
}
