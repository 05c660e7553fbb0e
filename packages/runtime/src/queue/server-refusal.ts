/** "403: <the server's sentence>" for a refused job file request, as worker errors quote it. */
export async function refusalOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { detail?: unknown } | null;
  return typeof body?.detail === 'string' ? `${response.status}: ${body.detail}` : String(response.status);
}
