import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PackError } from '../../src/pack-format/index.js';
import { removePack } from '../../src/store/index.js';

const base = mkdtempSync(join(tmpdir(), 'sa3-remove-ids-'));
const home = join(base, 'home');
const victim = join(base, 'victim');
mkdirSync(join(home, 'packs', 'small-music'), { recursive: true });
writeFileSync(join(home, 'packs', 'small-music', 'sa3-pack.json'), '{}');
mkdirSync(victim);
writeFileSync(join(victim, 'keep.txt'), 'keep');
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('removePack refuses ids that are not pack ids', () => {
  it.each(['.', '..', '../victim', '../../victim', 'packs/../..', '/tmp', 'Small-Music', '', ' small-music', 'a/b'])('%j', async (id) => {
    const error = await removePack(id, { home }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackError);
    expect((error as PackError).code).toBe('invalid_pack_id');
    expect((error as PackError).message).toMatch(/is not a pack id: .*; nothing was removed$/);
    expect(readdirSync(join(home, 'packs'))).toEqual(['small-music']);
    expect(readdirSync(victim)).toEqual(['keep.txt']);
  });
});
