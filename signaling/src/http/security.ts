/**
 * Response headers that keep a join link's token, and the page carrying it, to itself: the page
 * is opened as `/?token=…`, so without a referrer policy every script and stylesheet request
 * would carry the token in its Referer; a strict CSP leaves an injected script nowhere to run;
 * the page may not be framed (a lecture UI under someone else's page is a clickjacking target).
 */
import type { RequestHandler } from 'express';

export interface SecurityOptions {
  /**
   * In a cluster the page also talks to other nodes (failover, /api/nodes): their origins are
   * not known up front, so connect-src admits any http(s)/ws(s) origin there. One node: 'self'.
   */
  cluster: boolean;
}

export function securityHeaders({ cluster }: SecurityOptions): RequestHandler {
  const connect = cluster ? "'self' http: https: ws: wss:" : "'self'";
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    // React sets style attributes (tile sizes, level meters); no inline <style> or script needs more.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return (_req, res, next) => {
    res.set({
      'Content-Security-Policy': csp,
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      // Camera and microphone for this origin only; nothing else the page does not use.
      'Permissions-Policy': 'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=()',
    });
    next();
  };
}
