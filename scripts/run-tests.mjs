// Runs every project's tests through nx, then prints one closing line with the totals of all
// of them, read from the JSON reports the vitest configs write into test-artifacts/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const artifacts = 'test-artifacts/vitest';
rmSync(artifacts, { recursive: true, force: true });
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'test', '--parallel=1', '--outputStyle=stream', '--skipNxCache'], { stdio: 'inherit', env });

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of existsSync(artifacts) ? readdirSync(artifacts) : []) {
  const report = JSON.parse(readFileSync(join(artifacts, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
const status = nx.status ?? 1;
if (status !== 0 && failed === 0) failed = 1; // a project that crashed before reporting still fails the run
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status);
