export { createTelemetry as init } from 'prompt-telemetry'
