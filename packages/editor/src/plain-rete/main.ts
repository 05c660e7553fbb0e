// A minimal host: a stock Rete v2 + React editor that adds our nodes through the public plugin
// API only, as another app would. The browser tests load this page.
import { createRoot } from 'react-dom/client';
import { NodeEditor } from 'rete';
import { AreaExtensions, AreaPlugin } from 'rete-area-plugin';
import { ConnectionPlugin } from 'rete-connection-plugin';
import { ReactPlugin } from 'rete-react-plugin';
import { Sa3Connection, createSa3Plugin, type Sa3AreaExtra, type Sa3Schemes } from '../plugin/index.js';

const container = document.getElementById('editor')!;
const editor = new NodeEditor<Sa3Schemes>();
const area = new AreaPlugin<Sa3Schemes, Sa3AreaExtra>(container);
const connection = new ConnectionPlugin<Sa3Schemes, Sa3AreaExtra>();
const render = new ReactPlugin<Sa3Schemes, Sa3AreaExtra>({ createRoot });
const refused: string[] = [];
const sa3 = createSa3Plugin(editor, area, { onRefused: (reason) => refused.push(reason) });

render.addPreset(sa3.renderPreset);
connection.addPreset(sa3.connectionPreset(connection));
editor.use(area);
area.use(connection);
area.use(render);

const prompt = await sa3.addNode('sa3.prompt', { x: 0, y: 0 });
const generate = await sa3.addNode('sa3.generate', { x: 360, y: 0 });
await sa3.addNode('audio.save', { x: 720, y: 0 });
await editor.addConnection(new Sa3Connection(prompt, 'conditioning', generate, 'prompt'));
await AreaExtensions.zoomAt(area, editor.getNodes());

Object.assign(window, { plainRete: { editor, area, sa3, refused } });
document.body.dataset.ready = 'true';
