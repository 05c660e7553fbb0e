import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { predictionInputSchema } from '../../src/server/cog/input-schema.js';

const referencePath = fileURLToPath(new URL('../../../../../shared/reference/replicate-stable-audio-3-medium.schema.json', import.meta.url));
const present = existsSync(referencePath);
if (!present && process.env.SA3_REQUIRE_SHARED === '1') throw new Error(`${referencePath} is missing; CI runs with ../shared beside the repository`);

describe.skipIf(!present)('the Cog input schema built from the param kinds', () => {
  it('is exactly the hosted model input schema', () => {
    const reference = JSON.parse(readFileSync(referencePath, 'utf8')) as { input: unknown };
    expect(predictionInputSchema()).toEqual(reference.input);
  });
});
