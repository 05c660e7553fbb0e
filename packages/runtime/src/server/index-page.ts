/** The page at / until the editor app is served there. */
export const indexPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sa3-workflows</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:0 .3em;border-radius:3px}</style></head>
<body><h1>sa3-workflows</h1>
<p>This server runs Stable Audio 3 workflows. The visual editor will be served on this page.</p>
<h2>Cog predictions (the hosted stable-audio-3-medium input schema)</h2>
<ul><li><code>GET /health-check</code>, <code>GET /openapi.json</code></li>
<li><code>POST /predictions</code> with <code>{"input": {"prompt": "...", "duration": 30}}</code>; add <code>Prefer: respond-async</code> and a <code>webhook</code> to be called back</li>
<li><code>PUT /predictions/{id}</code> (idempotent), <code>POST /predictions/{id}/cancel</code></li></ul>
<h2>Workflows</h2>
<ul><li><code>POST /api/runs</code> with <code>{"workflow": {...}, "overrides": {"node.param": value}}</code></li>
<li><code>GET /api/runs/{id}</code>, <code>GET /api/runs/{id}/events</code> (Server-Sent Events), <code>POST /api/runs/{id}/cancel</code>, <code>GET /api/runs/{id}/outputs/{file}</code></li>
<li><code>POST /api/uploads?name=take.wav</code> (raw audio body) gives an <code>upload:</code> id for <code>audio.load</code></li>
<li><code>GET /api/nodes</code>, <code>GET /api/models</code>, <code>GET /api/loras</code> (installed LoRA files with their sha256)</li></ul>
</body></html>
`;
