import type { Dim, TensorDtype, TensorSpec } from './manifest.js';

export interface GraphIo {
  readonly inputs: Readonly<Record<string, TensorSpec>>;
  readonly outputs: Readonly<Record<string, TensorSpec>>;
}

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
