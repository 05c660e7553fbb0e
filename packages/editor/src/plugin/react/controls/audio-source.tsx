import { useState } from 'react';
import type { AudioSourceParam } from '@sa3/nodes';
import { FIELD_HEIGHT, shown, type ControlProps, type ParamControl } from './control.js';
import { sourceLabel } from '../../upload-names.js';

/**
 * A path or URL typed in, or a file uploaded to the server: the param then holds its upload id,
 * and the field shows the name the file had on the user's disk.
 */
function AudioSourceControl({ value, set, host }: ControlProps<AudioSourceParam>) {
  const [uploading, setUploading] = useState<string | null>(null);
  const uploadId = `upload-${host.fieldId}`;
  const text = shown(value);
  return (
    <div className="row">
      <input
        type="text"
        data-testid="param-input"
        data-value={text}
        title={text}
        value={typeof value === 'string' ? sourceLabel(value) : text}
        placeholder="path, URL or upload"
        onChange={(e) => set(e.target.value === '' ? undefined : e.target.value)}
      />
      <button type="button" title="Upload an audio file" onClick={() => document.getElementById(uploadId)?.click()} disabled={uploading !== null}>
        {uploading ? '…' : 'Upload'}
      </button>
      <input
        id={uploadId}
        type="file"
        accept="audio/*"
        hidden
        data-testid="param-upload"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          setUploading(file.name);
          void host
            .upload(file)
            .then(set, (error: Error) => host.reportProblem('upload_failed', `the upload of ${file.name} failed: ${error.message}`))
            .finally(() => setUploading(null));
        }}
      />
    </div>
  );
}

export const audioSourceControl: ParamControl<AudioSourceParam> = { Control: AudioSourceControl, height: () => FIELD_HEIGHT };
