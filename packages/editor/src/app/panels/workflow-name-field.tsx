import { useActions, useAppState } from '../app-context.js';

export function WorkflowNameField() {
  const actions = useActions();
  const name = useAppState((s) => s.name);
  return <input className="name" value={name} placeholder="untitled workflow" data-testid="workflow-name" onChange={(e) => actions.rename(e.target.value)} />;
}
