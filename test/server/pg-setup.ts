import type { TestProject } from 'vitest/node'
import { startCluster } from './pg-cluster'

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string
  }
}

// One PostgreSQL cluster for the whole run; each test server gets its own database.
export default async function setup(project: TestProject) {
  const cluster = await startCluster({ fsync: 'off', synchronous_commit: 'off', max_connections: '200' })
  project.provide('pgUrl', cluster.url)
  return () => cluster.stop()
}
