import * as ort from 'onnxruntime-node';

export const knownProviders = ['cuda', 'tensorrt', 'coreml', 'dml', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof knownProviders)[number];

/**
 * The providers to try, from config or SA3_EXECUTION_PROVIDER ("cuda", "tensorrt,cuda", ...);
 * cpu is always the last resort.
 */
export function requestedProviders(configured?: string): ProviderName[] {
  const text = configured ?? process.env.SA3_EXECUTION_PROVIDER ?? 'cpu';
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const name of names) {
    if (!(knownProviders as readonly string[]).includes(name)) throw new Error(`unknown execution provider "${name}"; choose from ${knownProviders.join(', ')}`);
  }
  const list = names as ProviderName[];
  return list.includes('cpu') ? list : [...list, 'cpu'];
}

export interface OpenedSession {
  readonly session: ort.InferenceSession;
  readonly provider: ProviderName;
}

/**
 * Opens a session on the first provider that loads, falling back towards cpu. Says once, in
 * one line, what was asked and what runs when that is not the same.
 */
export async function openSession(path: string, providers: readonly ProviderName[], log: (line: string) => void, threads?: number): Promise<OpenedSession> {
  const failures: string[] = [];
  for (const provider of providers) {
    try {
      const session = await ort.InferenceSession.create(path, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        ...(threads ? { intraOpNumThreads: threads } : {}),
      });
      if (failures.length > 0) log(`execution provider ${providers[0]} was asked for but could not load (${failures[0]}); running ${path.split('/').pop()} on ${provider}`);
      return { session, provider };
    } catch (error) {
      if (provider === 'cpu') throw error;
      failures.push(`${provider}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no execution provider could open ${path}`);
}
