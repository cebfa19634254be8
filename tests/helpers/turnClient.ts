/**
 * Just enough of a TURN client (RFC 5766 Allocate over UDP, long-term credentials) to ask a real
 * coturn whether it accepts a credential: 'allocated' with the relayed address, or the error code.
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';

const MAGIC = 0x2112a442;
const ALLOCATE = 0x0003;
const CREATE_PERMISSION = 0x0008;
const ATTR = { USERNAME: 0x0006, MESSAGE_INTEGRITY: 0x0008, ERROR_CODE: 0x0009, REALM: 0x0014, NONCE: 0x0015, XOR_PEER_ADDRESS: 0x0012, XOR_RELAYED_ADDRESS: 0x0016, REQUESTED_TRANSPORT: 0x0019 };

type Attr = [number, Buffer];

function attribute([type, value]: Attr): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(value.length, 2);
  const pad = Buffer.alloc((4 - (value.length % 4)) % 4);
  return Buffer.concat([header, value, pad]);
}

function message(type: number, attrs: Attr[], integrityKey?: Buffer): Buffer {
  const txid = crypto.randomBytes(12);
  let body = Buffer.concat(attrs.map(attribute));
  const header = (length: number) => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(type, 0);
    h.writeUInt16BE(length, 2);
    h.writeUInt32BE(MAGIC, 4);
    txid.copy(h, 8);
    return h;
  };
  if (integrityKey) {
    // The HMAC covers the message with its length already counting the integrity attribute.
    const hmac = crypto.createHmac('sha1', integrityKey).update(Buffer.concat([header(body.length + 24), body])).digest();
    body = Buffer.concat([body, attribute([ATTR.MESSAGE_INTEGRITY, hmac])]);
  }
  return Buffer.concat([header(body.length), body]);
}

function parse(buf: Buffer): { type: number; attrs: Map<number, Buffer> } {
  const attrs = new Map<number, Buffer>();
  let offset = 20;
  while (offset + 4 <= buf.length) {
    const type = buf.readUInt16BE(offset);
    const length = buf.readUInt16BE(offset + 2);
    attrs.set(type, buf.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length + ((4 - (length % 4)) % 4);
  }
  return { type: buf.readUInt16BE(0), attrs };
}

export type AllocateResult = { ok: true; relayed: string; permitted?: Record<string, boolean | number> } | { ok: false; code: number; reason: string };

function xorPeer(ip: string): Buffer {
  const value = Buffer.alloc(8);
  value.writeUInt16BE(0x0001, 0); // IPv4
  value.writeUInt16BE(9 ^ (MAGIC >>> 16), 2); // the port does not matter for a permission
  ip.split('.').forEach((b, i) => value.writeUInt8(Number(b) ^ ((MAGIC >>> (24 - 8 * i)) & 0xff), 4 + i));
  return value;
}

const errorCode = (attrs: Map<number, Buffer>) => {
  const error = attrs.get(ATTR.ERROR_CODE);
  return error ? (error[2]! & 7) * 100 + error[3]! : 0;
};

/**
 * Allocate once unauthenticated (for realm and nonce), then with the credential; then, if asked,
 * CreatePermission for each of `peers` (true when granted, else the error code). A permission
 * sends nothing to the peer: it only asks whether the relay would.
 */
export async function tryAllocate(host: string, port: number, username: string, password: string, peers: string[] = [], timeoutMs = 5_000): Promise<AllocateResult> {
  const socket = dgram.createSocket('udp4');
  const ask = (msg: Buffer) => new Promise<ReturnType<typeof parse>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer from TURN at ${host}:${port}`)), timeoutMs);
    socket.once('message', (data) => {
      clearTimeout(timer);
      resolve(parse(data));
    });
    socket.send(msg, port, host);
  });
  const transport: Attr = [ATTR.REQUESTED_TRANSPORT, Buffer.from([17, 0, 0, 0])];
  try {
    const challenge = await ask(message(ALLOCATE, [transport]));
    const realm = challenge.attrs.get(ATTR.REALM);
    const nonce = challenge.attrs.get(ATTR.NONCE);
    if (!realm || !nonce) throw new Error('TURN server sent no realm/nonce challenge');
    const key = crypto.createHash('md5').update(`${username}:${realm.toString()}:${password}`).digest();
    const answer = await ask(message(ALLOCATE, [[ATTR.USERNAME, Buffer.from(username)], [ATTR.REALM, realm], [ATTR.NONCE, nonce], transport], key));
    if (answer.type === 0x0103) {
      const xor = answer.attrs.get(ATTR.XOR_RELAYED_ADDRESS)!;
      const port = xor.readUInt16BE(2) ^ (MAGIC >>> 16);
      const ip = [...xor.subarray(4, 8)].map((b, i) => b ^ ((MAGIC >>> (24 - 8 * i)) & 0xff)).join('.');
      const permitted: Record<string, boolean | number> = {};
      for (const peer of peers) {
        const reply = await ask(message(CREATE_PERMISSION, [[ATTR.XOR_PEER_ADDRESS, xorPeer(peer)], [ATTR.USERNAME, Buffer.from(username)], [ATTR.REALM, realm], [ATTR.NONCE, nonce]], key));
        permitted[peer] = reply.type === 0x0108 ? true : errorCode(reply.attrs);
      }
      return { ok: true, relayed: `${ip}:${port}`, permitted };
    }
    const error = answer.attrs.get(ATTR.ERROR_CODE);
    return { ok: false, code: errorCode(answer.attrs), reason: error ? error.subarray(4).toString() : '' };
  } finally {
    socket.close();
  }
}
