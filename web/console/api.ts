// HTTP to the console API: same-origin cookie, the CSRF token on every change, JSON both ways.
// An answer is parsed with its schema from src/console/schemas.ts when the caller gives one.
import type { $ZodType, output } from 'zod/v4/core';
import { safeParse } from 'zod/v4/core';

/** A refusal: `message` is the server's English, for the developer console only; people see errorText() (text.ts). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    /** Values to say it in words (e.g. the chat cap: max). */
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
  }
}

let csrf: string | null = null;
let onUnauthorized: () => void = () => undefined;

export function setCsrf(token: string | null): void {
  csrf = token;
}
/** What a 401 does (outside sign-in itself): back to the sign-in form. */
export function whenUnauthorized(fn: () => void): void {
  onUnauthorized = fn;
}

export async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const raw = await res.text();
  let data: unknown;
  try {
    data = raw ? JSON.parse(raw) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const d = (data ?? {}) as { error?: string; message?: string; code?: string; params?: Record<string, string | number> };
    if (res.status === 401 && path !== '/api/auth/login') onUnauthorized();
    throw new ApiError(d.error || d.message || res.statusText, res.status, d.code, d.params);
  }
  return data;
}

/** The answer checked against its schema: a server that answers something else is an error, not a crash later. */
export async function apiAs<S extends $ZodType>(schema: S, method: string, path: string, body?: unknown): Promise<output<S>> {
  const data = await api(method, path, body);
  const r = safeParse(schema, data);
  if (!r.success) {
    console.warn(`unexpected answer from ${method} ${path.split('?')[0]}`, r.error.issues[0]);
    throw new ApiError('unexpected answer from the server', 502);
  }
  return r.data;
}

export const enc = encodeURIComponent;
