import { useState } from 'react';
import { api } from '../api.js';
import { useAppState, useStore } from '../app-context.js';
import { downloadBlob } from '../open-file.js';
import { Modal } from './modal.js';

export function ReportPanel() {
  const store = useStore();
  const report = useAppState((s) => s.report);
  const files = report?.outputs ?? [];
  const [downloadProblem, setDownloadProblem] = useState<string | null>(null);
  // Fetched rather than followed, so the request carries the access token.
  const download = (runId: string, path: string): void => {
    setDownloadProblem(null);
    api.blob(api.runOutputUrl(runId, path)).then(
      (blob) => downloadBlob(blob, path.split('/').pop() ?? path),
      (error: Error) => setDownloadProblem(`${path} could not be downloaded: ${error.message}`),
    );
  };
  return (
    <Modal title="Run report" onClose={() => store.dispatch({ type: 'dialog-closed' })} testId="report-panel">
      {!report && <p className="dim">No run has finished yet. Press Run (Ctrl+Enter).</p>}
      {report && (
        <>
          <p>
            Run <code>{report.runId}</code>: <b data-testid="report-status">{report.status}</b>
            {report.durationMs !== undefined && <> in {(report.durationMs / 1000).toFixed(2)} s</>}
            {report.cacheHits ? <>, {report.cacheHits} node(s) from cache</> : null}
          </p>
          {report.error && <p className="problem">{report.error.message}</p>}
          <h3>Seeds used</h3>
          <table className="table" data-testid="report-seeds">
            <tbody>
              {Object.entries(report.seeds ?? {}).flatMap(([node, seeds]) =>
                Object.entries(seeds).map(([param, seed]) => (
                  <tr key={`${node}.${param}`}>
                    <td>
                      <code>
                        {node}.{param}
                      </code>
                    </td>
                    <td>
                      <code>{seed}</code>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          <h3>Nodes</h3>
          <table className="table">
            <tbody>
              {(report.nodes ?? []).map((n) => (
                <tr key={n.id}>
                  <td>
                    <code>{n.id}</code>
                  </td>
                  <td>{n.type}</td>
                  <td>{n.status}</td>
                  <td>{n.ms !== undefined ? `${n.ms} ms` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {files.length > 0 && (
            <>
              <h3>Files</h3>
              <ul>
                {files.map((o) => (
                  <li key={o.path}>
                    <a
                      href={api.runOutputUrl(report.runId, o.path)}
                      download
                      data-testid="report-file"
                      onClick={(e) => {
                        e.preventDefault();
                        download(report.runId, o.path);
                      }}
                    >
                      {o.path}
                    </a>{' '}
                    <span className="dim">({(o.bytes / 1024).toFixed(0)} KiB)</span>
                  </li>
                ))}
              </ul>
              {downloadProblem && <p className="problem">{downloadProblem}</p>}
            </>
          )}
          <details>
            <summary>Raw report</summary>
            <pre>{JSON.stringify(report, null, 2)}</pre>
          </details>
        </>
      )}
    </Modal>
  );
}
