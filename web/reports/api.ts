// The dashboard's calls: its words, who is signed in, the figures. Same-origin, the session
// cookie; a POST carries the CSRF token the sign-in gave.
import type { ReportSummary } from '../../src/core/reports';

export type { ReportSummary };

export interface ReportsUi {
  locale: string;
  strings: Record<string, string>;
  labels: Record<string, Record<string, string>>;
}

export interface Me {
  user: { id: string; role: string };
  csrfToken: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, csrf?: string): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...(csrf ? { 'x-csrf-token': csrf } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new ApiError(res.status, json.error ?? `HTTP ${res.status}`);
  return json as T;
}

export const api = {
  ui: (lang: string) => call<ReportsUi>('GET', `/api/reports/ui?lang=${encodeURIComponent(lang)}`),
  me: () => call<Me>('GET', '/api/auth/me'),
  login: (username: string, password: string) => call<Me>('POST', '/api/auth/login', { username, password }),
  summary: (query: string) => call<ReportSummary>('GET', `/api/reports/summary?${query}`),
};
