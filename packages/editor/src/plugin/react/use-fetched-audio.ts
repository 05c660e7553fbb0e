import { useEffect, useState } from 'react';

export interface FetchedAudio {
  readonly blob: Blob | null;
  /** An object URL for <audio>, revoked when the player goes or the URL changes. */
  readonly src: string | null;
  readonly problem: string | null;
}

/**
 * Fetches audio through the host's fetch rather than letting <audio> load the URL itself, so
 * the request carries whatever the host adds (the sa3 server's access token).
 */
export function useFetchedAudio(url: string, fetcher: typeof fetch): FetchedAudio {
  const [state, setState] = useState<FetchedAudio>({ blob: null, src: null, problem: null });
  useEffect(() => {
    let live = true;
    let src: string | null = null;
    setState({ blob: null, src: null, problem: null });
    (async () => {
      const response = await fetcher(url).catch((error: Error) => {
        throw new Error(`the audio could not be fetched: ${error.message}`);
      });
      if (!response.ok) throw new Error(`the audio could not be fetched (${response.status})`);
      return response.blob();
    })().then(
      (blob) => {
        if (!live) return;
        src = URL.createObjectURL(blob);
        setState({ blob, src, problem: null });
      },
      (error: Error) => live && setState({ blob: null, src: null, problem: error.message }),
    );
    return () => {
      live = false;
      if (src) URL.revokeObjectURL(src);
    };
  }, [url, fetcher]);
  return state;
}
