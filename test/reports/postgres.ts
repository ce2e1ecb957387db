import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface PostgresCluster {
  url: string
  stop(): Promise<void>
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

function binDir(): string {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => +b - +a) : []
  if (!versions.length) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql)')
  return join(root, versions[0]!, 'bin')
}

/**
 * A throwaway PostgreSQL cluster on 127.0.0.1 and a free port, in a temporary folder, run as
 * the `postgres` user (initdb and postgres refuse root). `stop()` shuts it down and deletes it.
 */
export async function startPostgres(): Promise<PostgresCluster> {
  const bin = binDir()
  const dir = mkdtempSync(join(tmpdir(), 'pt-reports-pg-'))
  const data = join(dir, 'data')
  const asPg = (cmd: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe', timeout: 60_000 })
  const uid = +execFileSync('id', ['-u', 'postgres']).toString().trim()
  const gid = +execFileSync('id', ['-g', 'postgres']).toString().trim()
  chownSync(dir, uid, gid)
  asPg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'])
  const port = await freePort()
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`
  asPg('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-w', '-t', '60', 'start'])
  let stopped = false
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return
      stopped = true
      try {
        asPg('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
