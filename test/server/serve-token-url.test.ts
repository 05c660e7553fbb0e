import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** Starts `sa3 serve` on a free port, hands its first stdout line to `check`, then stops it by pid. */
async function firstLine(args: readonly string[], check: (line: string) => Promise<void>, env: Record<string, string> = {}): Promise<string> {
  let printed = '';
  let failure: Error | undefined;
  const result = await runCli(['serve', '--port', '0', ...args], {
    env: { SA3_TOKEN: '', ...env },
    onStdoutLine: (line, child) => {
      if (printed) return;
      printed = line;
      check(line)
        .catch((error: unknown) => (failure = error instanceof Error ? error : new Error(String(error))))
        .finally(() => process.kill(child.pid!, 'SIGTERM'));
    },
  });
  if (failure) throw failure;
  expect(result.code, result.stderr).toBe(0);
  return printed;
}

function address(line: string): URL {
  const match = /^sa3 serve: listening on (\S+)/.exec(line);
  if (!match) throw new Error(`unexpected line: ${line}`);
  return new URL(match[1]!);
}

describe('sa3 serve with a token', () => {
  it('prints the editor URL with the token in its fragment, and that token opens the API', async () => {
    const token = 'T0k/en+1';
    const line = await firstLine(['--token', token], async (printed) => {
      const url = address(printed);
      expect(url.hash).toBe(`#token=${encodeURIComponent(token)}`);
      const api = new URL('/api/models', url);
      expect((await fetch(api)).status).toBe(401);
      expect((await fetch(api, { headers: { authorization: `Bearer ${decodeURIComponent(url.hash.slice('#token='.length))}` } })).status).toBe(200);
    });
    expect(line).toMatch(/^sa3 serve: listening on http:\/\/127\.0\.0\.1:\d+\/#token=T0k%2Fen%2B1 \(bearer token required\)$/);
  });

  it('takes the token from SA3_TOKEN the same way', async () => {
    const line = await firstLine([], () => Promise.resolve(), { SA3_TOKEN: 'from-env' });
    expect(line).toMatch(/^sa3 serve: listening on http:\/\/127\.0\.0\.1:\d+\/#token=from-env \(bearer token required\)$/);
  });

  it('prints the plain address without a token', async () => {
    const line = await firstLine([], () => Promise.resolve());
    expect(line).toMatch(/^sa3 serve: listening on http:\/\/127\.0\.0\.1:\d+$/);
  });
});
