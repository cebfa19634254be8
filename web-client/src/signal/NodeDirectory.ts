/**
 * Failover between the nodes of a cluster. While connected, the page remembers the nodes the
 * cluster lists (`/api/nodes`); when its own node stops answering, it asks the nodes it remembers
 * which one a participant should use now (`/api/join-node`) and reconnects there. The page itself
 * stays loaded, so the node that served it may be gone. A single node lists no other node, and
 * then this simply finds nothing and the socket keeps retrying its own node.
 */
export type FetchJson = (url: string, timeoutMs: number) => Promise<unknown>;

const ASK_TIMEOUT_MS = 2_000;

const fetchJson: FetchJson = async (url, timeoutMs) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
};

export class NodeDirectory {
  #known: string[] = [];

  constructor(private readonly get: FetchJson = fetchJson) {}

  get known(): readonly string[] {
    return this.#known;
  }

  /** Learns the cluster's nodes from the node we are connected to. Failure keeps what we knew. */
  async refresh(base: string): Promise<void> {
    try {
      const body = (await this.get(`${trim(base)}/api/nodes`, ASK_TIMEOUT_MS)) as { nodes?: { url?: unknown }[] };
      const urls = (body.nodes ?? []).map((n) => n.url).filter((u): u is string => typeof u === 'string' && /^https?:\/\//.test(u));
      this.#known = [...new Set([trim(base), ...urls.map(trim)])];
    } catch {
      // The node is going away or the list is unavailable: the previous list is the best we have.
    }
  }

  /**
   * The node to reconnect to, asked of every remembered node but `current` in turn (the current
   * one has stopped answering). Until the dead node's registry entry expires the cluster may still
   * name it; the node that answered is alive, so then we go there. Undefined when nobody answers.
   */
  async pick(current: string): Promise<string | undefined> {
    const here = trim(current);
    for (const node of this.#known.filter((u) => u !== here)) {
      try {
        const body = (await this.get(`${node}/api/join-node`, ASK_TIMEOUT_MS)) as { url?: unknown };
        const url = typeof body.url === 'string' && /^https?:\/\//.test(body.url) ? trim(body.url) : undefined;
        return url && url !== here ? url : node;
      } catch {
        // That node is down too: ask the next.
      }
    }
    return undefined;
  }
}

function trim(url: string): string {
  return url.replace(/\/+$/, '');
}
