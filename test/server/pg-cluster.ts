import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Cluster {
  /** Admin URL of the `postgres` database. */
  url: string
  port: number
  stop(): void
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

function bin(): string {
  const base = '/usr/lib/postgresql'
  const v = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a))[0] : undefined
  if (!v || !existsSync(join(base, v, 'bin/initdb')))
    throw new Error('PostgreSQL is not installed: apt-get install -y postgresql (the binaries go to /usr/lib/postgresql/<version>/bin)')
  return join(base, v, 'bin')
}

/**
 * Starts a throwaway PostgreSQL cluster in a temp folder on 127.0.0.1 and a free port.
 * initdb and postgres refuse to run as root, so as root they run as the postgres user.
 * `settings` become `-c name=value` flags (tests turn fsync off; benchmarks keep defaults).
 */
export async function startCluster(settings: Record<string, string> = {}): Promise<Cluster> {
  const dir = bin()
  const root = process.getuid?.() === 0
  const data = mkdtempSync(join(tmpdir(), 'pt-pg-'))
  chmodSync(data, 0o700)
  if (root) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim())
    chownSync(data, id('-u'), id('-g'))
  }
  const run = (cmd: string, args: string[]) => {
    const argv = root ? ['runuser', '-u', 'postgres', '--', join(dir, cmd), ...args] : [join(dir, cmd), ...args]
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`)
  }
  run('initdb', ['-D', join(data, 'db'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'])
  const port = await freePort()
  const flags = Object.entries({ listen_addresses: '127.0.0.1', port: String(port), unix_socket_directories: data, ...settings })
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ')
  run('pg_ctl', ['-D', join(data, 'db'), '-o', flags, '-l', join(data, 'log'), '-w', '-t', '60', 'start'])
  let stopped = false
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      if (stopped) return
      stopped = true
      try {
        run('pg_ctl', ['-D', join(data, 'db'), '-m', 'fast', '-w', 'stop'])
      } finally {
        rmSync(data, { recursive: true, force: true })
      }
    },
  }
}
