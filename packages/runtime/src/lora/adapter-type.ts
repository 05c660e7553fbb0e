/**
 * The adapter types of the official LoRA code (models/lora/model.py) and the trainable tensors
 * each one saves per adapted weight.
 */
export const ADAPTER_TYPES = ['lora', 'dora-rows', 'dora-cols', 'bora', 'lora-xs', 'dora-rows-xs', 'dora-cols-xs', 'bora-xs'] as const;

export type AdapterType = (typeof ADAPTER_TYPES)[number];

export type AdapterTensorName = 'lora_A' | 'lora_B' | 'M_xs' | 'magnitude' | 'magnitude_r' | 'magnitude_c';

export const ADAPTER_TENSOR_NAMES: readonly AdapterTensorName[] = ['lora_A', 'lora_B', 'M_xs', 'magnitude', 'magnitude_r', 'magnitude_c'];

export function isAdapterType(value: string): value is AdapterType {
  return (ADAPTER_TYPES as readonly string[]).includes(value);
}

/** The tensors a file of this type holds for every weight it adapts. */
export function tensorsOf(type: AdapterType): readonly AdapterTensorName[] {
  const lowRank: AdapterTensorName[] = usesSvdBases(type) ? ['M_xs'] : ['lora_A', 'lora_B'];
  switch (normalisation(type)) {
    case 'none':
      return lowRank;
    case 'rows':
    case 'cols':
      return [...lowRank, 'magnitude'];
    case 'both':
      return [...lowRank, 'magnitude_r', 'magnitude_c'];
  }
}

/** -xs types: the update is U·M_xs·Vᵀ in the top singular vectors of the base weight. */
export function usesSvdBases(type: AdapterType): boolean {
  return type.endsWith('-xs');
}

/** How the updated weight is renormalised: DoRA per row or per column, BoRA both, plain LoRA not at all. */
export function normalisation(type: AdapterType): 'none' | 'rows' | 'cols' | 'both' {
  if (type.startsWith('dora-rows')) return 'rows';
  if (type.startsWith('dora-cols')) return 'cols';
  if (type.startsWith('bora')) return 'both';
  return 'none';
}
