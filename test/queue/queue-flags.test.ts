import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { freePort } from '../helpers/redis-server.js';

describe('the queue commands refuse bad flags in one sentence', () => {
  it.each([
    [['worker'], 'sa3 worker: --redis URL is required, e.g. sa3 worker --redis redis://10.0.0.5:6379'],
    [['worker', '--redis', 'http://127.0.0.1:6379'], 'sa3 worker: --redis must be a redis:// URL such as redis://127.0.0.1:6379, got "http://127.0.0.1:6379"'],
    [['worker', '--redis', 'redis://127.0.0.1:6379/x'], 'sa3 worker: --redis names database "x", which is not a whole number'],
    [['worker', '--redis', 'redis://127.0.0.1:6379', '--concurrency', '0'], 'sa3 worker: --concurrency must be a whole number above 0, got "0"'],
    [
      ['worker', '--redis', 'redis://127.0.0.1:6379'],
      'sa3 worker: no model pack is installed on this box; install one (sa3 models pull ID) before starting a worker',
    ],
    [['serve', '--redis', 'localhost:6379'], 'sa3 serve: --redis must be a redis:// URL such as redis://127.0.0.1:6379, got "localhost:6379"'],
    [
      ['serve', '--rate-limit', '30/fortnight'],
      'sa3 serve: --rate-limit must be N/second, N/minute or N/hour with N a whole number above 0, such as 30/min, got "30/fortnight"',
    ],
    [
      ['serve', '--rate-limit', '0/min'],
      'sa3 serve: --rate-limit must be N/second, N/minute or N/hour with N a whole number above 0, such as 30/min, got "0/min"',
    ],
    [['workers'], 'sa3 workers: --redis URL is required, e.g. sa3 workers --redis redis://10.0.0.5:6379'],
  ])('sa3 %j', async (args, sentence) => {
    const result = await runCli(args, { env: { SA3_HOME: await tempDir('sa3-queue-flags-') } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${sentence}\n`);
  });

  it('sa3 workers on a Redis nobody listens on says so and exits 1', async () => {
    const port = await freePort();
    const result = await runCli(['workers', '--redis', `redis://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^sa3 workers: Redis at redis://127\\.0\\.0\\.1:${port} cannot be reached \\(.*ECONNREFUSED.*\\)\\n$`));
  });
});
