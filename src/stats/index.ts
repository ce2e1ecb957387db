export { createStatsClient } from './client'
export type { StatsClient, StatsClientOptions } from './client'
export { StatsError } from './error'
export type * from './types'
