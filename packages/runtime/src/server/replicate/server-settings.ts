/** The model name Replicate's clients call when none is configured: the hosted model this server stands in for. */
export const DEFAULT_MODEL = 'jimothyjohn/stable-audio-3-medium';

const MODEL_NAME = /^[a-z0-9][a-z0-9._-]{0,63}\/[a-z0-9][a-z0-9._-]{0,99}$/i;

/** An owner/name the server answers for, or an Error naming what is wrong with it. */
export function checkModelName(name: string): string {
  if (!MODEL_NAME.test(name)) throw new Error(`--replicate-model "${name}" must be owner/name (letters, digits, ".", "_" or "-"), such as ${DEFAULT_MODEL}`);
  return name;
}

/** The public URL as links are built from it (no trailing slash), or an Error naming what is wrong with it. */
export function checkPublicUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--public-url "${text}" is not a URL; give the address clients reach this server at, such as https://audio.example.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`--public-url "${text}" must be an http(s) URL`);
  if (url.search || url.hash || url.username || url.password) throw new Error(`--public-url "${text}" may not carry a query, a fragment or credentials`);
  return url.href.replace(/\/+$/, '');
}
