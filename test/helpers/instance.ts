import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './redis-server.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** A real server process (`node --import tsx src/main.ts`), as `npm start` runs it. */
export class Instance {
  private proc: ChildProcess | null = null;
  stderr = '';

  constructor(
    readonly port: number,
    private env: Record<string, string>,
  ) {}

  static async start(env: Record<string, string>, port?: number, healthyWithinMs = 30_000): Promise<Instance> {
    const i = new Instance(port ?? (await freePort()), env);
    await i.start(healthyWithinMs);
    return i;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(healthyWithinMs = 30_000): Promise<void> {
    this.proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? '', PASSWORD_SCRYPT_LOG2N: '15', ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    const deadline = Date.now() + healthyWithinMs;
    for (;;) {
      try {
        if ((await fetch(`${this.url}/healthz`)).status === 200) return;
      } catch {
        // not listening yet
      }
      if (this.proc.exitCode !== null) throw new Error(`instance exited (${this.proc.exitCode}): ${this.stderr.slice(-500)}`);
      if (Date.now() > deadline) {
        // Never leave a stray server behind a failed test.
        await this.kill();
        throw new Error(`instance not healthy in ${healthyWithinMs / 1000} s: ${this.stderr.slice(-500)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** kill -9: no shutdown hooks, nothing flushed. */
  async kill(): Promise<void> {
    const p = this.proc;
    // Ended by a signal, a process has no exit code but a signal code: waiting for its exit would hang.
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGTERM');
    });
  }
}

/** A staff member signed in to one instance's console API over real HTTP. */
export class StaffClient {
  private cookie = '';
  private csrf = '';
  constructor(readonly base: string) {}

  async login(username: string, password: string): Promise<void> {
    const res = await fetch(`${this.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  get cookieHeader(): string {
    return this.cookie;
  }

  // Responses are checked field by field by the tests' assertions.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { cookie: this.cookie, 'x-csrf-token': this.csrf, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  }
}
