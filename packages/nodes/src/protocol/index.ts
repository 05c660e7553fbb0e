/**
 * The HTTP contract between the sa3 server and its clients (the editor, scripts): every payload
 * of the workflow API as a zod schema, and its TypeScript type inferred from it.
 */
export { problemSchema, errorBodySchema, type ErrorBody } from './problem.js';
export {
  outputValueSummarySchema,
  outputSummarySchema,
  nodeStatusSchema,
  nodeReportSchema,
  outputFileReportSchema,
  runErrorReportSchema,
  runReportStatusSchema,
  runSeedsSchema,
  runReportSchema,
  servedOutputFileSchema,
  servedRunReportSchema,
  type ServedOutputFile,
  type ServedRunReport,
  type OutputValueSummary,
  type OutputSummary,
  type NodeStatus,
  type NodeReport,
  type OutputFileReport,
  type RunErrorReport,
  type RunReport,
} from './run-report.js';
export { runEventSchema, runEventTypes, isFinalRunEvent, type RunEvent, type RunEventType, type RunEventBody, type FinalRunEvent } from './run-events.js';
export { runStatusSchema, runOutputSchema, runStateSchema, type RunStatus, type RunOutput, type RunState } from './run-state.js';
export { catalogueNodeSchema, nodeCatalogueSchema, type CatalogueNode } from './catalogue.js';
export {
  catalogueModelListSchema,
  catalogueModelSchema,
  modelEntrySchema,
  modelListSchema,
  modelPullStateSchema,
  type CatalogueModel,
  type ModelEntry,
  type ModelPullState,
} from './models.js';
export { loraEntrySchema, loraListSchema, type LoraEntry } from './loras.js';
export { exampleEntrySchema, exampleListSchema, type ExampleEntry } from './examples.js';
export { uploadReceiptSchema, type UploadReceipt } from './uploads.js';
export {
  MAX_RUN_REPEAT,
  takePeaksSchema,
  takeOutputSchema,
  takeSchema,
  historyPageSchema,
  takeDetailSchema,
  pinTakeBodySchema,
  deletedTakeSchema,
  runBatchSchema,
  type TakeOutput,
  type Take,
  type HistoryPage,
  type TakeDetail,
  type PinTakeBody,
  type DeletedTake,
  type RunBatch,
} from './run-history.js';
export { parsePayload, PayloadError, type PayloadSchema } from './parse-payload.js';
