/**
 * Reading what a registry (or something answering in its place) sent back: headers, status names, the error body of
 * the distribution API, and HTML pages from proxies and login portals. Shared by the protocol, auth and manifest code.
 */
import type { HttpResponse } from './http';

/** Bodies other than manifests (token answers, tag lists, error bodies, probes) are refused above this size. */
export const MAX_AUX_BYTES = 1024 * 1024;

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${bytes} bytes`;
}

export function describeStatus(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return `${status}${names[status] ? ` ${names[status]}` : ''}`;
}

export interface RegistryError {
  readonly code: string;
  readonly message: string;
}

/** The `errors` of a registry error body (`{"errors":[{"code":"MANIFEST_UNKNOWN","message":"…"}]}`). */
export function registryErrors(body: Buffer): RegistryError[] {
  if (body.length === 0 || body.length > MAX_AUX_BYTES) return [];
  try {
    const data = JSON.parse(body.toString('utf8')) as { errors?: unknown };
    if (!Array.isArray(data.errors)) return [];
    return data.errors
      .filter((error): error is { code?: unknown; message?: unknown } => typeof error === 'object' && error !== null)
      .map((error) => ({ code: typeof error.code === 'string' ? error.code : '', message: typeof error.message === 'string' ? error.message : '' }));
  } catch {
    return [];
  }
}

export function registryErrorText(body: Buffer): string | undefined {
  const first = registryErrors(body)[0];
  if (!first) return undefined;
  const text = (first.message || first.code).replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, 200) : undefined;
}

export function looksLikeHtml(response: HttpResponse): boolean {
  const type = firstHeader(response.headers['content-type'])?.toLowerCase() ?? '';
  if (type.includes('text/html') || type.includes('application/xhtml')) return true;
  const start = response.body.subarray(0, 512).toString('utf8').trimStart().toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html') || start.startsWith('<head') || start.startsWith('<body');
}

export function htmlTitle(body: Buffer): string | undefined {
  const match = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(body.subarray(0, 64 * 1024).toString('utf8'));
  const title = match?.[1]?.replace(/\s+/g, ' ').trim();
  return title ? title.slice(0, 80) : undefined;
}
