declare const process: { env: { NODE_ENV?: string | undefined } }

/**
 * True in development builds. Bundlers replace `process.env.NODE_ENV`; a raw browser has no `process`
 * and counts as production.
 * @example if (isDev()) console.warn('checked in development only')
 */
export function isDev(): boolean {
  try {
    return process.env.NODE_ENV !== 'production'
  } catch {
    return false
  }
}

export const SDK = `prompt-telemetry@${typeof __SDK_VERSION__ == 'string' ? __SDK_VERSION__ : '0.0.0'}`
declare const __SDK_VERSION__: string | undefined
