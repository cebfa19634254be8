/**
 * The HTTP(S) listener(s) in front of the express app and Socket.IO.
 *
 * Browsers give the camera and microphone only to secure pages (https:// or localhost), so a
 * lecturer on a second machine needs TLS: either this process terminates it (TLS_CERT and
 * TLS_KEY) or a reverse proxy does (TRUST_PROXY, see README). With a certificate and both PORT
 * and HTTPS_PORT set, PORT only redirects to HTTPS_PORT.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

export interface TlsConfig {
  /** PEM certificate (chain) and key files. */
  certFile: string;
  keyFile: string;
  /** When set, HTTPS listens here and `port` answers plain HTTP with a redirect. */
  httpsPort?: number;
}

/** TLS_CERT + TLS_KEY (+ HTTPS_PORT): both files or neither, so a typo never silently means plain HTTP. */
export function tlsFromEnv(env: NodeJS.ProcessEnv): TlsConfig | undefined {
  const certFile = env.TLS_CERT?.trim();
  const keyFile = env.TLS_KEY?.trim();
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new Error('TLS_CERT and TLS_KEY go together: set both files or neither');
  const raw = env.HTTPS_PORT?.trim();
  if (raw && !/^\d+$/.test(raw)) throw new Error(`HTTPS_PORT must be a port number (got "${raw}")`);
  return { certFile, keyFile, httpsPort: raw ? Number(raw) : undefined };
}

/**
 * TRUST_PROXY → express 'trust proxy': `true`/`false`, a hop count, or addresses/subnets
 * (`loopback`, `10.0.0.0/8`, comma-separated). Unset: the peer address is the client.
 */
export function trustProxyFromEnv(env: NodeJS.ProcessEnv): boolean | number | string {
  const raw = env.TRUST_PROXY?.trim() ?? '';
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

export interface WebListener {
  /** Where Socket.IO attaches. */
  server: http.Server | https.Server;
  listen(host: string, port: number): Promise<{ port: number; url: string; redirectPort?: number }>;
  close(): void;
}

export function createWebListener(app: RequestListener, tls: TlsConfig | undefined): WebListener {
  const server = tls
    ? https.createServer({ cert: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile) }, app)
    : http.createServer(app);
  let redirect: http.Server | undefined;
  return {
    server,
    async listen(host, port) {
      const mainPort = await listenOn(server, host, tls?.httpsPort ?? port);
      const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      const url = `${tls ? 'https' : 'http'}://${shown}:${mainPort}`;
      if (!tls || tls.httpsPort === undefined) return { port: mainPort, url };
      redirect = http.createServer((req, res) => {
        // Same host name the visitor typed, on the HTTPS port.
        const hostname = (req.headers.host ?? shown).replace(/:\d+$/, '');
        res.writeHead(308, { Location: `https://${hostname}${mainPort === 443 ? '' : `:${mainPort}`}${req.url ?? '/'}` }).end();
      });
      const redirectPort = await listenOn(redirect, host, port);
      return { port: mainPort, url, redirectPort };
    },
    close() {
      redirect?.close();
      redirect?.closeAllConnections();
    },
  };
}

function listenOn(server: http.Server | https.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
