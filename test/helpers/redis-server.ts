import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** A redis-server owned by one test, on a spare port, that the test may stop and start. */
export class TestRedis {
  private proc: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'redis-'));

  constructor(
    readonly port: number,
    private persistent = false,
  ) {}

  static async create(persistent = false): Promise<TestRedis> {
    const r = new TestRedis(await freePort(), persistent);
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', ''];
    args.push(...(this.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
    this.proc = spawn('redis-server', args, { stdio: 'ignore' });
    const deadline = Date.now() + 5000;
    for (;;) {
      const c = createClient({ url: this.url, socket: { reconnectStrategy: false, connectTimeout: 500 } });
      c.on('error', () => undefined);
      try {
        await c.connect();
        await c.ping();
        await c.close();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** SIGSTOP: the server hangs (connections stay open, nothing answers), as a frozen host does. */
  pause(): void {
    this.proc?.kill('SIGSTOP');
  }

  resume(): void {
    this.proc?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
      p.kill('SIGCONT');
    });
    this.proc = null;
  }
}
