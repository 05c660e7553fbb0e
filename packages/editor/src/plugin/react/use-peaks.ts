import { useEffect, useState } from 'react';
import { useFetchedAudio } from './use-fetched-audio.js';
import { loadPeaks, type Peaks } from './waveform.js';

export interface FetchedPeaks {
  readonly peaks: Peaks | null;
  readonly problem: string | null;
}

/** Fetches audio through the host's fetch and decodes its waveform (once per URL). Null URL: nothing. */
export function usePeaks(url: string | null, fetcher: typeof fetch, columns = 256): FetchedPeaks {
  const audio = useFetchedAudio(url ?? '', url === null ? noFetch : fetcher);
  const [decoded, setDecoded] = useState<{ url: string; peaks: Peaks | null; problem: string | null } | null>(null);
  useEffect(() => {
    if (!audio.blob || url === null) return;
    let live = true;
    loadPeaks(url, audio.blob, columns).then(
      (peaks) => live && setDecoded({ url, peaks, problem: null }),
      (error: Error) => live && setDecoded({ url, peaks: null, problem: `the audio could not be decoded: ${error.message}` }),
    );
    return () => {
      live = false;
    };
  }, [url, audio.blob, columns]);
  if (url === null) return { peaks: null, problem: null };
  const current = decoded?.url === url ? decoded : null;
  return { peaks: current?.peaks ?? null, problem: audio.problem ?? current?.problem ?? null };
}

/** Stands in for fetch while there is no URL: never settles, so nothing is fetched or shown. */
const noFetch: typeof fetch = () => new Promise<Response>(() => undefined);
