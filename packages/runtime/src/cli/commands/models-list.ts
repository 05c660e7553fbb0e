import { CATALOGUE, entryBytes, type CatalogueEntry } from '../../catalogue/index.js';
import { formatBytes } from '../../files/index.js';
import type { DamagedPack, LocatedPack, PackLocator } from '../../store/index.js';
import { basename } from 'node:path';
import type { PackManifest } from '../../pack-format/index.js';
import type { Style } from '../terminal.js';

function status(entry: CatalogueEntry, installed: ReadonlySet<string>): 'installed' | CatalogueEntry['availability']['kind'] {
  return installed.has(entry.id) ? 'installed' : entry.availability.kind;
}

function gatedRepos(entry: CatalogueEntry): string[] {
  return entry.repos.filter((r) => r.gated === 'yes').map((r) => r.repo);
}

/** What pulling a convertible pack involves: the checkpoint download, the conversion, and that the checkpoint goes afterwards. */
export function conversionSummary(entry: CatalogueEntry): string {
  if (entry.availability.kind !== 'convertible') return '';
  return `pull downloads the ${formatBytes(entryBytes(entry))} checkpoint from huggingface.co/${entry.availability.repo} and converts it into ONNX on this machine (about as much again on disk while converting); the checkpoint is deleted afterwards unless --keep-checkpoint`;
}

function listJson(root: string, packs: readonly LocatedPack[], damaged: readonly DamagedPack[], installed: ReadonlySet<string>): string {
  return JSON.stringify(
    {
      packsDir: root,
      damaged: damaged.map((d) => ({ dir: d.dir, code: d.problem.code, message: d.problem.message })),
      installed: packs.map((p) => ({
        id: p.manifest.id,
        title: p.manifest.title,
        dir: p.dir,
        objective: p.manifest.objective,
        ditLayout: p.manifest.ditLayout,
        maxSeconds: p.manifest.maxSamples / 44_100,
        precision: p.manifest.precision ?? 'fp32',
        bytes: packBytes(p.manifest),
        source: p.manifest.source ?? null,
      })),
      catalogue: CATALOGUE.map((e) => ({
        id: e.id,
        title: e.title,
        status: status(e, installed),
        ...(e.availability.kind === 'pullable' ? {} : { reason: e.availability.reason }),
        ...(e.availability.kind === 'convertible' ? { checkpointRepo: e.availability.repo, deletedAfterConversion: true } : {}),
        approxBytes: entryBytes(e),
        gatedRepos: gatedRepos(e),
        licence: e.licence,
        ditLayout: e.ditLayout,
        files: e.files.map((f) => ({
          repo: f.repo,
          path: f.path,
          verified: f.verified,
          approxBytes: f.approxBytes,
          ...(f.optional ? { optional: true } : {}),
        })),
        unverified: e.unverified,
      })),
    },
    null,
    2,
  );
}

/** What the pack's files take on disk. */
function packBytes(manifest: PackManifest): number {
  return manifest.files.reduce((sum, file) => sum + file.bytes, 0);
}

/** ", from owner/name@abc1234" for a pack pulled at a commit. */
function pulledFrom(source: PackManifest['source']): string {
  return source?.repo && source.revision && /^[0-9a-f]{40}$/.test(source.revision) ? `, from ${source.repo}@${source.revision.slice(0, 7)}` : '';
}

/** `sa3 models list`: the installed packs, then every catalogue pack and whether it can be pulled. */
export async function listModels(locator: PackLocator, json: boolean, style: Style): Promise<void> {
  const packs = await locator.list();
  const damaged = await locator.damaged();
  const installed = new Set(packs.map((p) => p.manifest.id));
  if (json) {
    process.stdout.write(`${listJson(locator.roots[0] ?? '', packs, damaged, installed)}\n`);
    return;
  }
  const out: string[] = [];
  if (packs.length === 0 && damaged.length === 0) {
    out.push(
      `no model packs installed in ${locator.roots.join(', ')}`,
      'pull one with "sa3 models pull small-music", or try offline with "sa3 models testpack"',
    );
  } else {
    out.push(`installed (${locator.roots.join(', ')}):`);
    for (const p of packs)
      out.push(
        `  ${style.bold(p.manifest.id.padEnd(18))} ${p.manifest.title} ${style.dim(`(${p.manifest.objective}, ${p.manifest.precision ?? 'fp32'}, ${formatBytes(packBytes(p.manifest))}, up to ${(p.manifest.maxSamples / 44_100).toFixed(1)} s${pulledFrom(p.manifest.source)}) ${p.dir}`)}`,
      );
    for (const d of damaged) out.push(`  ${style.bold(basename(d.dir).padEnd(18))} ${style.red('damaged')} ${d.problem.message}`);
  }
  out.push('', 'known packs:');
  for (const entry of CATALOGUE) {
    const state = status(entry, installed);
    const label =
      state === 'installed'
        ? style.green('installed')
        : state === 'pullable'
          ? style.cyan('pullable ')
          : state === 'convertible'
            ? style.cyan('convert  ')
            : style.yellow('not yet  ');
    const size = entry.files.length > 0 ? `~${formatBytes(entryBytes(entry))}` : '';
    const details: string[] = [entry.title];
    if (entry.availability.kind === 'needs-conversion' || entry.availability.kind === 'blocked') details.push(entry.availability.reason);
    else {
      if (entry.availability.kind === 'convertible' && state !== 'installed') details.push(conversionSummary(entry));
      const gated = gatedRepos(entry);
      if (gated.length > 0) details.push(`gated: accept the licence on ${gated.map((r) => `huggingface.co/${r}`).join(', ')} and set HF_TOKEN`);
      if (entry.files.some((f) => !f.verified)) details.push('file names unverified');
    }
    out.push(`  ${style.bold(entry.id.padEnd(18))} ${label} ${size.padEnd(9)} ${details.join('; ')}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
