/**
 * A network namespace joined to the host by a veth pair, for tests that need a client at an
 * address that is not localhost (secure pages) or behind a campus firewall (nftables inside the
 * namespace). Traffic only ever flows between the two ends of the pair. Names carry the pid and
 * a counter so parallel runs never collide; close() (and, as a last resort, process exit)
 * removes everything.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Netns {
  name: string;
  /** The host end's interface: shaping it (tc) limits what the namespace receives. */
  hostIf: string;
  /** The namespace's end of the veth (shaping it limits what the namespace sends). */
  nsIf: string;
  /** Host end of the veth: the server listens here. */
  hostIp: string;
  /** More host-end addresses when asked (e.g. a TURN server on its own :443). */
  extraHostIps: string[];
  /** The client's address inside the namespace. */
  nsIp: string;
  /** A Chromium that runs inside the namespace (for playwright's executablePath). */
  chromium: string;
  /** Loads an nftables ruleset inside the namespace (a firewall the browser sits behind). */
  firewall(ruleset: string): void;
  close(): void;
}

let counter = 0;
const live = new Set<Netns>();
process.once('exit', () => {
  for (const ns of live) ns.close();
});

const run = (cmd: string, args: string[], input?: string) => execFileSync(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], input }).toString();
const quiet = (cmd: string, args: string[]) => {
  try {
    run(cmd, args);
  } catch {
    // already gone
  }
};

export function createNetns(extraHostIps = 0): Netns {
  const n = counter++;
  const id = `${process.pid % 100_000}${n}`;
  const name = `tt-ns-${id}`;
  const hostIf = `tth${id}`;
  const nsIf = `ttn${id}`;
  // 10.(200+pid%50).(n%256).0/24: private, and distinct per run and per namespace.
  const prefix = `10.${200 + (process.pid % 50)}.${(process.pid * 7 + n) % 256}`;
  const hostIp = `${prefix}.1`;
  const nsIp = `${prefix}.2`;
  const extras = Array.from({ length: extraHostIps }, (_, i) => `${prefix}.${10 + i}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const chromium = path.join(dir, 'chromium-in-netns.sh');

  quiet('ip', ['netns', 'del', name]); // a leftover from a crashed run with a reused pid
  quiet('ip', ['link', 'del', hostIf]);
  let closed = false;
  const ns: Netns = {
    name, hostIf, nsIf, hostIp, nsIp, extraHostIps: extras, chromium,
    firewall(ruleset) {
      run('ip', ['netns', 'exec', name, 'nft', '-f', '-'], ruleset);
    },
    close() {
      if (closed) return;
      closed = true;
      live.delete(ns);
      quiet('ip', ['netns', 'del', name]); // takes the namespace end of the veth, and the pair with it
      quiet('ip', ['link', 'del', hostIf]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  live.add(ns);
  try {
    run('ip', ['netns', 'add', name]);
    run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
    run('ip', ['link', 'set', nsIf, 'netns', name]);
    run('ip', ['addr', 'add', `${hostIp}/24`, 'dev', hostIf]);
    for (const ip of extras) run('ip', ['addr', 'add', `${ip}/24`, 'dev', hostIf]);
    run('ip', ['link', 'set', hostIf, 'up']);
    run('ip', ['-n', name, 'addr', 'add', `${nsIp}/24`, 'dev', nsIf]);
    run('ip', ['-n', name, 'link', 'set', nsIf, 'up']);
    run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    const browser = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    fs.writeFileSync(chromium, `#!/bin/sh\nexec ip netns exec ${name} ${browser} "$@"\n`, { mode: 0o755 });
  } catch (err) {
    ns.close();
    throw err;
  }
  return ns;
}

/** A test CA and a server certificate it signs for `ips`, plus the leaf's SPKI hash for Chromium. */
export function makeTestCertificates(ips: string[]): { dir: string; certFile: string; keyFile: string; spki: string; close(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongtang-ca-'));
  const f = (name: string) => path.join(dir, name);
  run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=Tongtang test CA', '-keyout', f('ca.key'), '-out', f('ca.pem')]);
  run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', `/CN=${ips[0]}`, '-keyout', f('server.key'), '-out', f('server.csr')]);
  fs.writeFileSync(f('ext.cnf'), `subjectAltName=${ips.map((ip) => `IP:${ip}`).join(',')}\nextendedKeyUsage=serverAuth\n`);
  run('openssl', ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial',
    '-days', '2', '-extfile', f('ext.cnf'), '-out', f('server.pem')]);
  // The chain a server sends: its certificate, then the CA's.
  fs.writeFileSync(f('chain.pem'), fs.readFileSync(f('server.pem'), 'utf8') + fs.readFileSync(f('ca.pem'), 'utf8'));
  const pub = run('openssl', ['x509', '-in', f('server.pem'), '-pubkey', '-noout']);
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: pub });
  const spki = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString('base64');
  return { dir, certFile: f('chain.pem'), keyFile: f('server.key'), spki, close: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
