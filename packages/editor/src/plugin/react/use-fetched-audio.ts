import { useEffect, useState } from 'react';

export interface FetchedAudio {
  readonly blob: Blob | null;
  /** An object URL for <audio>, revoked when the player goes or the URL changes. */
  readonly src: string | null;
  readonly problem: string | null;
}

const nothingYet: FetchedAudio = { blob: null, src: null, problem: null };

/** What was fetched, with the URL and fetch it was fetched through. */
interface Fetched {
  readonly url: string;
  readonly fetcher: typeof fetch;
  readonly audio: FetchedAudio;
}

/**
 * Fetches audio through the host's fetch rather than letting <audio> load the URL itself, so
 * the request carries whatever the host adds (the sa3 server's access token).
 */
export function useFetchedAudio(url: string, fetcher: typeof fetch): FetchedAudio {
  const [fetched, setFetched] = useState<Fetched>({ url, fetcher, audio: nothingYet });
  // A new URL starts from nothing. Adjusted while rendering, so no render shows the audio of the old URL.
  const current = fetched.url === url && fetched.fetcher === fetcher;
  if (!current) setFetched({ url, fetcher, audio: nothingYet });
  useEffect(() => {
    let live = true;
    let src: string | null = null;
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
        setFetched({ url, fetcher, audio: { blob, src, problem: null } });
      },
      (error: Error) => live && setFetched({ url, fetcher, audio: { blob: null, src: null, problem: error.message } }),
    );
    return () => {
      live = false;
      if (src) URL.revokeObjectURL(src);
    };
  }, [url, fetcher]);
  return current ? fetched.audio : nothingYet;
}
