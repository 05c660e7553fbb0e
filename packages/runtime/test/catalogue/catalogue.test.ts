import { describe, expect, it } from 'vitest';
import { CATALOGUE, catalogueEntry, entryBytes } from '../../src/catalogue/index.js';
import { graphRoles } from '../../src/pack-format/manifest.js';
import { autoPreference } from '../../src/store/pack-locator.js';

describe('the pack catalogue', () => {
  it('lists every id the runtime prefers, with the known sample sizes', () => {
    for (const id of autoPreference) expect(catalogueEntry(id).id).toBe(id);
    expect(catalogueEntry('small-music').maxSamples).toBe(5_292_032);
    expect(catalogueEntry('small-sfx-base').maxSamples).toBe(5_324_800);
    expect(catalogueEntry('medium').maxSamples).toBe(16_777_216);
    expect(() => catalogueEntry('large')).toThrow(/"large" is not a pack sa3 knows/);
  });

  it('medium and the -base packs are converted from their official checkpoints; post-trained repos are gated, -base repos are not', () => {
    for (const [id, repo, gated] of [
      ['medium', 'stabilityai/stable-audio-3-medium', 'yes'],
      ['medium-base', 'stabilityai/stable-audio-3-medium-base', 'no'],
      ['small-music-base', 'stabilityai/stable-audio-3-small-music-base', 'no'],
      ['small-sfx-base', 'stabilityai/stable-audio-3-small-sfx-base', 'no'],
    ] as const) {
      const entry = catalogueEntry(id);
      expect(entry.availability).toMatchObject({
        kind: 'convertible',
        repo,
        // vitest types its asymmetric matchers as any.
        reason: expect.stringMatching(/so sa3 converts the official checkpoint into ONNX on this machine$/) as unknown,
      });
      expect(entry.repos).toEqual([{ repo, gated }]);
      expect(entry.files.map((f) => `${f.repo}:${f.path}:${f.packPath === f.path}`)).toEqual(
        [
          'model.safetensors',
          'model_config.json',
          't5gemma-b-b-ul2/config.json',
          't5gemma-b-b-ul2/model.safetensors',
          't5gemma-b-b-ul2/tokenizer.json',
          't5gemma-b-b-ul2/tokenizer_config.json',
        ].map((p) => `${repo}:${p}:true`),
      );
      expect(entry.ditLayout).toBe('explicit');
    }
    expect(catalogueEntry('medium').availability).toMatchObject({
      reason: expect.stringMatching(/^the published onnx\/same-l graphs use the TensorRT-only op/) as unknown,
    });
    // The medium checkpoint (9.2 GB) plus T5Gemma: what `sa3 models list` says a pull downloads.
    expect(entryBytes(catalogueEntry('medium'))).toBeGreaterThan(10.4e9);
    expect(CATALOGUE.filter((e) => e.availability.kind === 'pullable').map((e) => e.id)).toEqual(['small-music', 'small-sfx', 'small-music-int4']);
    expect(CATALOGUE.filter((e) => e.availability.kind !== 'pullable' && e.availability.kind !== 'convertible')).toEqual([]);
  });

  it('the official small packs use the paths the reference confirms', () => {
    for (const [id, folder, repo] of [
      ['small-music', 'sa3-sm-music', 'stabilityai/stable-audio-3-small-music'],
      ['small-sfx', 'sa3-sm-sfx', 'stabilityai/stable-audio-3-small-sfx'],
    ] as const) {
      const entry = catalogueEntry(id);
      const paths = entry.files.filter((f) => !f.optional).map((f) => `${f.repo}:${f.path}`);
      expect(paths.sort()).toEqual(
        [
          'stabilityai/stable-audio-3-optimized:onnx/t5gemma/encoder.onnx',
          `stabilityai/stable-audio-3-optimized:onnx/${folder}/dit.onnx`,
          'stabilityai/stable-audio-3-optimized:onnx/same-s/enc_dynamic_bf16.onnx',
          'stabilityai/stable-audio-3-optimized:onnx/same-s/dec_dynamic_bf16.onnx',
          `${repo}:t5gemma-b-b-ul2/tokenizer.json`,
        ].sort(),
      );
      expect(entry.files.every((f) => f.verified)).toBe(true);
      expect(entry.repos.find((r) => r.repo === repo)?.gated).toBe('yes');
      expect(entry.ditLayout).toBe('baked');
    }
  });

  it('marks the community file names as unverified', () => {
    const int4 = catalogueEntry('small-music-int4');
    expect(int4.files.every((f) => !f.verified)).toBe(true);
    expect(int4.unverified.length).toBeGreaterThan(0);
    expect(int4.io.conditioner?.outputs.embedding?.name).toBe('embedding');
    expect(entryBytes(int4)).toBeGreaterThan(600e6);
  });

  it('every pullable entry has each graph with the roles its layout needs, and distinct pack paths', () => {
    for (const entry of CATALOGUE.filter((e) => e.availability.kind === 'pullable')) {
      const roles = new Set(entry.files.map((f) => f.role));
      for (const role of ['textEncoder', 'dit', 'encoder', 'decoder', 'tokenizer'] as const) expect(roles.has(role), `${entry.id} ${role}`).toBe(true);
      const dit = graphRoles.dit[entry.ditLayout];
      for (const role of dit.inputs) expect(entry.io.dit?.inputs[role], `${entry.id} dit ${role}`).toBeDefined();
      for (const role of ['textEncoder', 'encoder', 'decoder'] as const) {
        // A decoder outputs float audio or, PCM-baked, int32 pcm.
        const expected = role === 'decoder' && entry.io.decoder?.outputs.pcm ? graphRoles.pcmDecoder : graphRoles[role];
        for (const input of expected.inputs) expect(entry.io[role]?.inputs[input]).toBeDefined();
        for (const output of expected.outputs) expect(entry.io[role]?.outputs[output], `${entry.id} ${role} ${output}`).toBeDefined();
      }
      if (entry.ditLayout === 'explicit') expect(roles.has('conditioner')).toBe(true);
      const packPaths = entry.files.map((f) => f.packPath);
      expect(new Set(packPaths).size).toBe(packPaths.length);
    }
  });
});
