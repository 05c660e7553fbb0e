import type { Dim, TensorDtype, TensorSpec } from './manifest.js';

export interface GraphIo {
  readonly inputs: Readonly<Record<string, TensorSpec>>;
  readonly outputs: Readonly<Record<string, TensorSpec>>;
}

/** Shapes shared by every SA3 export: 256 prompt tokens of 768, 256 latent channels, 257 local channels. */
export const TEXT_TOKENS = 256;
export const HIDDEN_SIZE = 768;
export const LATENT_CHANNELS = 256;
export const LOCAL_CHANNELS = LATENT_CHANNELS + 1;

export function tensor(name: string, dtype: TensorDtype, shape: readonly Dim[]): TensorSpec {
  return { name, dtype, shape };
}

/** Role -> spec, where the role is also the tensor's name unless `names` says otherwise. */
export function io(
  inputs: Record<string, [TensorDtype, readonly Dim[]]>,
  outputs: Record<string, [TensorDtype, readonly Dim[]]>,
  names: Readonly<Record<string, string>> = {},
): GraphIo {
  const specs = (entries: Record<string, [TensorDtype, readonly Dim[]]>) =>
    Object.fromEntries(Object.entries(entries).map(([role, [dtype, shape]]) => [role, tensor(names[role] ?? role, dtype, shape)]));
  return { inputs: specs(inputs), outputs: specs(outputs) };
}
