import type { LoraEntry, LoraFileParam } from '@sa3/nodes';
import { FIELD_HEIGHT, shown, type ControlProps, type ParamControl } from './control.js';

const NOTE_HEIGHT = 18;

function kindOf(entry: LoraEntry): string {
  return [entry.adapterType, entry.rank !== undefined ? `rank ${entry.rank}` : undefined].filter(Boolean).join(', ');
}

function describe(entry: LoraEntry): string {
  const kind = kindOf(entry);
  return kind ? `${entry.name} (${kind})` : entry.name;
}

/**
 * A LoRA file by installed name (offered from the server's list) or by path. Choosing an
 * installed one records its sha256 beside it, so a run refuses the file if it later changes.
 */
function LoraFileControl({ value, set, host }: ControlProps<LoraFileParam>) {
  const loras = host.loras();
  const listId = `${host.fieldId}-loras`;
  const text = shown(value);
  const installed = loras.find((entry) => entry.name === text || `${entry.name}.safetensors` === text);
  const choose = (next: string): void => {
    set(next);
    const entry = loras.find((e) => e.name === next || `${e.name}.safetensors` === next);
    if (entry) host.setSibling('sha256', entry.sha256);
  };
  return (
    <>
      <input
        type="text"
        data-testid="param-input"
        list={listId}
        value={text}
        placeholder="an installed name or a .safetensors path"
        onChange={(e) => choose(e.target.value)}
      />
      <datalist id={listId}>
        {loras.map((entry) => (
          <option key={entry.name} value={entry.name}>
            {describe(entry)}
          </option>
        ))}
      </datalist>
      <div className="unit" data-testid="lora-note" style={{ minHeight: NOTE_HEIGHT, marginTop: 3 }}>
        {installed
          ? `installed: ${[kindOf(installed), `sha256 ${installed.sha256.slice(0, 8)}…`].filter(Boolean).join(', ')}`
          : loras.length > 0
            ? `${loras.length} installed: ${loras.map((e) => e.name).join(', ')}`
            : 'none installed (sa3 models lora import FILE)'}
      </div>
    </>
  );
}

export const loraFileControl: ParamControl<LoraFileParam> = { Control: LoraFileControl, height: () => FIELD_HEIGHT + NOTE_HEIGHT + 3 };
