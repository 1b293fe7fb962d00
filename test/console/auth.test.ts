import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/main.js';
import { ADMIN_PASSWORD, PASSWORD, StaffClient, admin, staff, start } from './helpers.js';

describe('console sign-in, sessions and CSRF', () => {
  let app: RunningApp;
  let boss: StaffClient;

  beforeAll(async () => {
    app = await start({ LOGIN_MAX_FAILURES: '3' });
    boss = await admin(app);
  });
  afterAll(() => app.close());

  it('signs in with a session cookie (httpOnly, SameSite=Strict, not Secure over plain http) and a CSRF token', async () => {
    const c = new StaffClient(app);
    const r = await c.login('admin', ADMIN_PASSWORD);
    expect(r.status).toBe(200);
    expect(r.body.user).toEqual({ id: 'admin', role: 'admin' });
    expect(r.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/^hl_console=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure');
    const me = await c.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { id: 'admin', role: 'admin' }, csrfToken: r.body.csrfToken });
  });

  it('refuses wrong credentials with 401 and malformed bodies with 400', async () => {
    const c = new StaffClient(app);
    expect((await c.login('admin', 'wrong-password')).status).toBe(401);
    expect((await c.login('nobody', 'whatever-1')).status).toBe(401);
    const bad = await app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/password/);
    // A cross-site HTML form cannot send JSON: other content types are refused before any check.
    const form = await app.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'username=admin&password=x',
    });
    expect(form.statusCode).toBe(415);
  });

  it('locks an account after repeated failures from one address, even with the right password, but not from elsewhere', async () => {
    await staff(app, boss, 'target', 'counselor');
    for (let i = 0; i < 3; i++) {
      const r = await app.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.0.0.1', payload: { username: 'target', password: 'nope-nope' } });
      expect(r.statusCode).toBe(401);
    }
    const locked = await app.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.0.0.1', payload: { username: 'Target', password: PASSWORD } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error).toMatch(/too many failed sign-ins for this account from this address/);
    // Whoever guessed from there cannot lock the counselor out of their own desk.
    const elsewhere = await app.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.0.0.9', payload: { username: 'target', password: PASSWORD } });
    expect(elsewhere.statusCode).toBe(200);
    // Other accounts are not affected.
    expect((await new StaffClient(app).login('admin', ADMIN_PASSWORD)).status).toBe(200);
  });

  it('counts parallel wrong passwords before hashing: at most the limit are checked', async () => {
    await staff(app, boss, 'parallel', 'counselor');
    const tries = await Promise.all(
      Array.from({ length: 12 }, () => app.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.0.1.1', payload: { username: 'parallel', password: 'guess-guess' } })),
    );
    const codes = tries.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(3);
    expect(codes.every((c) => c === 401 || c === 429)).toBe(true);
  });

  it('limits password changes: wrong current passwords cannot be tried at leisure with a stolen session', async () => {
    const c = await staff(app, boss, 'pwlimit', 'counselor');
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await c.post('/api/auth/password', { current: `wrong-guess-${i}`, next: 'another-password-9' })).status);
    expect(codes.slice(0, 3)).toEqual([403, 403, 403]);
    expect(codes.slice(3)).toEqual([429, 429]);
    const audit = (await boss.get('/api/audit?limit=100')).body as { by: string; action: string }[];
    expect(audit.filter((e) => e.by === 'pwlimit' && e.action === 'password-change-failed')).toHaveLength(3);
  });

  it('writes failed sign-ins to the audit log, with no address in clear', async () => {
    await app.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '192.0.2.44', payload: { username: 'admin', password: 'not-the-password' } });
    const audit = (await boss.get('/api/audit?limit=50')).body as { by: string; action: string; detail?: string }[];
    const failed = audit.find((e) => e.action === 'login-failed' && e.by === 'admin');
    expect(failed).toBeDefined();
    expect(JSON.stringify(audit)).not.toContain('192.0.2.44');
  });

  it('requires the CSRF token on every state-changing request', async () => {
    const c = await staff(app, boss, 'csrf-check', 'counselor');
    const none = await c.req('POST', '/api/presence', { available: true }, { csrf: null });
    expect(none.status).toBe(403);
    expect(none.body.error).toMatch(/CSRF/);
    const wrong = await c.req('POST', '/api/presence', { available: true }, { csrf: 'x'.repeat(32) });
    expect(wrong.status).toBe(403);
    const other = await c.req('POST', '/api/presence', { available: true }, { csrf: boss.csrf });
    expect(other.status).toBe(403);
    expect((await c.post('/api/presence', { available: true })).status).toBe(200);
    // Logout is state-changing too.
    expect((await c.req('POST', '/api/auth/logout', undefined, { csrf: null })).status).toBe(403);
    expect((await boss.req('POST', '/api/accounts', { username: 'x-csrf', password: PASSWORD, role: 'counselor' }, { csrf: null })).status).toBe(403);
  });

  it('ends the session at logout and marks the counselor unavailable', async () => {
    const c = await staff(app, boss, 'leaver', 'counselor');
    expect((await c.post('/api/presence', { available: true })).status).toBe(200);
    expect(await app.store.listPresent()).toContain('leaver');
    const out = await c.post('/api/auth/logout');
    expect(out.status).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/hl_console=;/);
    expect(await app.store.listPresent()).not.toContain('leaver');
    expect((await c.get('/api/auth/me')).status).toBe(401);
    expect((await c.get('/api/queue')).status).toBe(401);
  });

  it('a disabled account loses its session at once and cannot sign in', async () => {
    const c = await staff(app, boss, 'disabled-one', 'counselor');
    expect((await c.get('/api/queue')).status).toBe(200);
    expect((await boss.req('PATCH', '/api/accounts/disabled-one', { disabled: true })).status).toBe(200);
    expect((await c.get('/api/queue')).status).toBe(401);
    expect((await new StaffClient(app).login('disabled-one', PASSWORD)).status).toBe(401);
  });

  it('changes the own password with the current one', async () => {
    const c = await staff(app, boss, 'changer', 'supervisor');
    expect((await c.post('/api/auth/password', { current: 'wrong-one', next: 'brand-new-pass' })).status).toBe(403);
    expect((await c.post('/api/auth/password', { current: PASSWORD, next: 'short' })).status).toBe(400);
    expect((await c.post('/api/auth/password', { current: PASSWORD, next: 'brand-new-pass' })).status).toBe(200);
    expect((await new StaffClient(app).login('changer', PASSWORD)).status).toBe(401);
    expect((await new StaffClient(app).login('changer', 'brand-new-pass')).status).toBe(200);
  });

  it('serves the console page at /console and /console/ with anti-framing and security headers', async () => {
    const redirect = await app.app.inject({ method: 'GET', url: '/console' });
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBe('/console/');
    const page = await app.app.inject({ method: 'GET', url: '/console/' });
    expect(page.statusCode).toBe(200);
    // The typed console renders into its root (its sign-in form is drawn by the app, words from /api/console/ui).
    expect(page.body).toContain('id="root"');
    expect(page.body).toMatch(/<script type="module"[^>]* src="\/assets\/console-/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const api = await boss.get('/api/queue');
    expect(api.headers['cache-control']).toBe('no-store');
  });
});

describe('console per-address sign-in limit and HTTPS behind a proxy', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await start({ LOGIN_MAX_PER_MINUTE: '3', TRUST_PROXY: '1' });
  });
  afterAll(() => app.close());

  it('answers 429 after too many attempts from one address, other addresses still sign in', async () => {
    const attempt = (ip: string) =>
      app.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { username: 'admin', password: 'bad-password' } });
    for (let i = 0; i < 3; i++) expect((await attempt('192.0.2.7')).statusCode).toBe(401);
    const limited = await attempt('192.0.2.7');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatch(/too many sign-in attempts from this address/);
    expect((await attempt('192.0.2.8')).statusCode).toBe(401);
  });

  it('marks the cookie Secure when the proxy says the request came over HTTPS', async () => {
    const r = await app.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '192.0.2.20',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(r.statusCode).toBe(200);
    expect(String(r.headers['set-cookie'])).toContain('Secure');
  });
});

describe('password cost', () => {
  it('hashes at scrypt N=2^17 by default and redoes a cheaper hash at the next sign-in', async () => {
    const app = await startApp({ RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR, PORT: '0', LOG_LEVEL: 'silent', ADMIN_PASSWORD });
    try {
      const admin0 = (await app.staffConsole.accounts.get('admin'))!;
      expect(admin0.hash.split('$').slice(0, 3)).toEqual(['scrypt', String(2 ** 17), '8']);
      // An account from before the cost was raised (2^15).
      const { hashPassword } = await import('../../src/console/passwords.js');
      const old = await hashPassword(PASSWORD, 15);
      await app.store.hashSet('staff', 'legacy', JSON.stringify({ id: 'legacy', role: 'counselor', hash: old, createdAt: Date.now() }));
      expect((await new StaffClient(app).login('legacy', PASSWORD)).status).toBe(200);
      expect((await app.staffConsole.accounts.get('legacy'))!.hash.split('$')[1]).toBe(String(2 ** 17));
      expect((await new StaffClient(app).login('legacy', PASSWORD)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('the first admin', () => {
  it('gets a random password printed once in the log when ADMIN_PASSWORD is unset', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = pino({ level: 'warn' }, sink);
    const app = await startApp({ RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR, PORT: '0', ADMIN_USERNAME: 'chief' }, log);
    try {
      const line = lines.find((l) => l.includes('first admin account created'));
      expect(line).toBeDefined();
      const password = /password "([^"]+)"/.exec(JSON.parse(line!).msg)![1]!;
      expect(password.length).toBeGreaterThanOrEqual(16);
      const c = new StaffClient(app);
      expect((await c.login('chief', password)).status).toBe(200);
      expect(lines.filter((l) => l.includes(password))).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
