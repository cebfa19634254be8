import { describe, expect, it } from 'vitest';
import { NodeDirectory, type FetchJson } from './NodeDirectory.ts';

/** A fake cluster: answers by URL, and throws (as a dead node's fetch does) for anything else. */
function cluster(answers: Record<string, unknown>): { get: FetchJson; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    get: async (url) => {
      asked.push(url);
      if (!(url in answers)) throw new Error(`unreachable: ${url}`);
      return answers[url];
    },
  };
}

describe('NodeDirectory', () => {
  it('remembers the listed nodes and asks a live one which node to use when its own is gone', async () => {
    const c = cluster({
      'http://b:3000/api/nodes': { nodes: [{ url: 'http://a:3000' }, { url: 'http://b:3000/' }, { url: 'http://c:3000' }] },
      'http://c:3000/api/join-node': { nodeId: 'c', url: 'http://c:3000' },
    });
    const dir = new NodeDirectory(c.get);
    await dir.refresh('http://b:3000');
    expect(dir.known).toEqual(['http://b:3000', 'http://a:3000', 'http://c:3000']);
    // b is the dead one; a does not answer either; c does.
    expect(await dir.pick('http://b:3000')).toBe('http://c:3000');
    expect(c.asked).toEqual(['http://b:3000/api/nodes', 'http://a:3000/api/join-node', 'http://c:3000/api/join-node']);
  });

  it('finds nothing on a single node, and never sends the page back to the node that stopped answering', async () => {
    const single = new NodeDirectory(cluster({ 'http://solo/api/nodes': { nodes: [{ id: 'local', url: '' }] } }).get);
    await single.refresh('http://solo');
    expect(await single.pick('http://solo')).toBeUndefined();

    const c = cluster({
      'http://b/api/nodes': { nodes: [{ url: 'http://a' }] },
      'http://a/api/join-node': { url: 'http://b' }, // a still thinks b is the least loaded
    });
    const dir = new NodeDirectory(c.get);
    await dir.refresh('http://b');
    expect(await dir.pick('http://b')).toBe('http://a'); // a answered, so a is alive
  });

  it('keeps the last list when a refresh fails, and ignores malformed answers', async () => {
    const answers: Record<string, unknown> = { 'http://b/api/nodes': { nodes: [{ url: 'http://a' }, { url: 42 }, { url: 'javascript:x' }] } };
    const dir = new NodeDirectory(cluster(answers).get);
    await dir.refresh('http://b');
    expect(dir.known).toEqual(['http://b', 'http://a']);
    delete answers['http://b/api/nodes'];
    await dir.refresh('http://b');
    expect(dir.known).toEqual(['http://b', 'http://a']);
    expect(await dir.pick('http://b')).toBeUndefined(); // a does not answer
    answers['http://a/api/join-node'] = { url: 'not a url' };
    expect(await dir.pick('http://b')).toBe('http://a');
  });
});
