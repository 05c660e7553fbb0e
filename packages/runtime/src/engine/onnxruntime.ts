/**
 * The only module that imports onnxruntime-node (a dependency-cruiser rule keeps it so). Left to
 * itself, onnxruntime-node 1.30 starts a telemetry system when it creates its environment (at
 * the first InferenceSession): it reads /etc/machine-id, writes a device id and an event
 * database under ~/.cache/Microsoft/DeveloperTools and queues events for a Microsoft collector
 * (mobile.events.data.microsoft.com). sa3 is a local tool and sends nothing anywhere, so telemetry is turned off here.
 *
 * The switch is the environment variable ORT_DISABLE_TELEMETRY, read by the native library when
 * that environment is created; onnxruntime-node has no API for it (its `env` carries log level,
 * debug, trace and web flags only, and the binding does not expose the C API's
 * DisableTelemetryEvents). Modules run their dependencies' bodies before their own, so every
 * module that reaches onnxruntime-node through this one runs after the variable is set, before
 * any session exists.
 */
export { InferenceSession, Tensor, env } from 'onnxruntime-node';

process.env.ORT_DISABLE_TELEMETRY = '1';
