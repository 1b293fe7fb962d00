// The server's own limits, tried as an outside client: a slow body is cut off, /metrics is not
// open to the world, a client-written X-Forwarded-For cannot pick its address behind one proxy,
// and the security headers say what the settings say.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/main.js';

const base = { PORT: '0', LOG_LEVEL: 'silent', RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR ?? '', ADMIN_PASSWORD: 'hardening-admin-pw' };

describe('server limits and headers (no proxy)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp({ ...base, HTTP_REQUEST_TIMEOUT_SECONDS: '1', WEBCHAT_FRAME_ANCESTORS: "'self' https://helpline.example" });
  });
  afterAll(() => app?.close());

  it('cuts off a request whose body trickles in', async () => {
    const { port } = new URL(app.url);
    const started = Date.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const sock = connect(Number(port), '127.0.0.1', () => {
        sock.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"user');
      });
      let got = '';
      sock.on('data', (d) => (got += d.toString()));
      sock.on('close', () => resolve(got));
      sock.on('error', reject);
      setTimeout(() => {
        sock.destroy();
        reject(new Error('the slow request was never cut off'));
      }, 8000);
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('serves /metrics to this machine only when no METRICS_TOKEN is set', async () => {
    expect((await app.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
    const far = await app.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
    expect(far.statusCode).toBe(403);
    expect(far.json().error).toMatch(/METRICS_TOKEN/);
    expect((await fetch(`${app.url}/metrics`)).status).toBe(200);
  });

  it('limits connect-src to the page origin, frames the web chat as configured, never the console, and sends no HSTS without a proxy', async () => {
    const page = await app.app.inject({ url: '/' });
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/connect-src[^;]*ws:/);
    expect(csp).toContain("frame-ancestors 'self' https://helpline.example");
    expect(page.headers['strict-transport-security']).toBeUndefined();
    const console = await app.app.inject({ url: '/console/' });
    expect(String(console.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });
});

describe('behind one reverse proxy (TRUST_PROXY=1)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp({ ...base, TRUST_PROXY: '1', LOGIN_MAX_PER_MINUTE: '3' });
  });
  afterAll(() => app?.close());

  it('takes the address the proxy appended, so a forged X-Forwarded-For does not get past the per-address limit', async () => {
    const attempt = (forged: string) =>
      app.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '10.0.0.2',
        // The client wrote the first entry; the proxy appended the real peer.
        headers: { 'x-forwarded-for': `${forged}, 198.51.100.7` },
        payload: { username: 'admin', password: 'wrong-password' },
      });
    for (let i = 0; i < 3; i++) expect((await attempt(`203.0.113.${i + 1}`)).statusCode).toBe(401);
    expect((await attempt('203.0.113.99')).statusCode).toBe(429);
  });

  it('sends HSTS', async () => {
    const page = await app.app.inject({ url: '/', headers: { 'x-forwarded-proto': 'https' } });
    expect(String(page.headers['strict-transport-security'])).toMatch(/max-age=\d+/);
  });
});
