'use client'
export { createTelemetry } from 'prompt-telemetry'
