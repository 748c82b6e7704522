/**
 * A receiver process of `load:push` (forked by chat-receivers.ts with an IPC channel): opens
 * its share of `/chat` WebSocket clients over raw sockets, learns each one's fd from the
 * welcome, and counts the pushes they receive. A push's text starts "<id> <sentUs> <fd> ";
 * the right fd receiving an id for the first time delivers it, and its delivery latency
 * (sentUs, process.hrtime in the sender, to the arrival of the chunk that carried it, same
 * clock) is kept per id. Duplicates and deliveries to the wrong fd are errors, not deliveries.
 * Warm-up pushes start with "w" and are only counted as such.
 */
import type { Socket } from 'node:net';
import { clientFrame, OPCODE, ServerFrameReader } from './frames.ts';
import { raiseOpenFiles } from './limits.ts';
import { openWebSocket } from './upgrade.ts';
import type { Collected, FromReceiver, OpenPlan, ReceiverClient, ToReceiver } from './chat-receivers.ts';

const HANDSHAKE_TIMEOUT_MS = 10_000;

const nowUs = (): number => {
  const [s, ns] = process.hrtime();
  return s * 1e6 + ns / 1e3;
};

const send = (m: FromReceiver): void => {
  if (process.connected) process.send!(m);
};

/** Per-id delivery latency in ms; NaN: not delivered (yet). Grows as ids arrive. */
let latency = new Float32Array(1 << 16).fill(NaN);
let highestId = -1;
const counts = { delivered: 0, duplicates: 0, wrongFd: 0, malformed: 0, warm: 0, other: 0 };
let clientsLost = 0;
let closing = false;
const sockets: Socket[] = [];

function record(id: number, sentUs: number, atUs: number): void {
  if (id >= latency.length) {
    let size = latency.length;
    while (size <= id) size *= 2;
    const grown = new Float32Array(size).fill(NaN);
    grown.set(latency);
    latency = grown;
  }
  if (!Number.isNaN(latency[id]!)) {
    counts.duplicates++;
    return;
  }
  latency[id] = (atUs - sentUs) / 1000;
  counts.delivered++;
  if (id > highestId) highestId = id;
}

/** One pushed text: "<id> <sentUs> <fd> ..." (or "w..." for warm-up). */
function onPush(myFd: number, payload: Buffer, atUs: number): void {
  const head = payload.toString('latin1', 0, Math.min(payload.length, 64));
  if (head.startsWith('w')) {
    counts.warm++;
    return;
  }
  const [idText, sentText, fdText] = head.split(' ', 3);
  const id = Number(idText);
  const sentUs = Number(sentText);
  const fd = Number(fdText);
  if (!Number.isSafeInteger(id) || id < 0 || !Number.isFinite(sentUs) || !Number.isSafeInteger(fd)) {
    if (head.startsWith('{')) counts.other++; // a chat message: not ours
    else counts.malformed++;
    return;
  }
  if (fd !== myFd) {
    counts.wrongFd++;
    return;
  }
  record(id, sentUs, atUs);
}

async function openClient(plan: OpenPlan, localAddress: string | undefined): Promise<ReceiverClient> {
  const t0 = performance.now();
  const opened = await openWebSocket({ host: plan.host, port: plan.port, path: '/chat', deadlineMs: HANDSHAKE_TIMEOUT_MS, ...(localAddress ? { localAddress } : {}) });
  if (!opened.ok) throw new Error(opened.failure === 'timeout' ? 'no welcome within 10 s' : opened.failure);
  const { socket } = opened;
  return new Promise((resolve, reject) => {
    let fd = -1;
    const reader = new ServerFrameReader();
    const timer = setTimeout(() => fail('no welcome within 10 s'), Math.max(0, HANDSHAKE_TIMEOUT_MS - (performance.now() - t0)));
    function fail(why: string): void {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(why));
    }
    const onFrame = (opcode: number, payload: Buffer, atUs: number): void => {
      if (opcode === OPCODE.text) {
        if (fd !== -1) return onPush(fd, payload, atUs);
        const welcome = JSON.parse(payload.toString('utf8')) as { type?: string; fd?: number; worker?: number; node?: number };
        if (welcome.type !== 'welcome' || typeof welcome.fd !== 'number') return fail(`expected a welcome, got ${payload.toString('utf8').slice(0, 80)}`);
        fd = welcome.fd;
        clearTimeout(timer);
        sockets.push(socket);
        resolve({ fd, worker: welcome.worker ?? -1, node: welcome.node ?? 0 });
      } else if (opcode === OPCODE.ping) {
        socket.write(clientFrame(OPCODE.pong, Buffer.from(payload)));
      } else if (opcode === OPCODE.close) {
        socket.destroy(); // the server closed it: counted as lost on 'close'
      }
    };
    const read = (chunk: Buffer): void => {
      const atUs = nowUs(); // every frame of one chunk arrived at one time
      reader.read(chunk, (op, payload) => onFrame(op, payload, atUs));
    };
    socket.on('data', read);
    socket.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
    socket.on('close', () => {
      if (fd === -1) return fail('closed before the welcome');
      if (!closing) clientsLost++;
    });
    if (opened.rest.length > 0) read(opened.rest);
  });
}

async function open(plan: OpenPlan): Promise<void> {
  const { problem } = raiseOpenFiles(plan.count + 64);
  if (problem) {
    send({ t: 'opened', clients: [], failures: { [problem]: plan.count } });
    return;
  }
  const clients: ReceiverClient[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.count) {
      const i = next++;
      const address = plan.addresses.length ? plan.addresses[i % plan.addresses.length] : undefined;
      try {
        clients.push(await openClient(plan, address));
      } catch (err) {
        const why = (err as Error).message;
        failures[why] = (failures[why] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(plan.concurrency, plan.count) }, worker));
  send({ t: 'opened', clients, failures });
}

/** What arrived since the last collect; then starts afresh (ids keep growing across runs). */
function collect(): Collected {
  const used = latency.subarray(0, highestId + 1);
  const c: Collected = { latency: Buffer.from(used.buffer, used.byteOffset, used.byteLength).toString('base64'), ...counts, clientsLost };
  latency = new Float32Array(latency.length).fill(NaN);
  highestId = -1;
  for (const k of Object.keys(counts) as Array<keyof typeof counts>) counts[k] = 0;
  clientsLost = 0;
  return c;
}

process.on('disconnect', () => process.exit(0));
process.on('message', (m: ToReceiver) => {
  if (m.t === 'open') void open(m.plan);
  else if (m.t === 'count') send({ t: 'count', delivered: counts.delivered });
  else if (m.t === 'collect') send({ t: 'collected', collected: collect() });
  else if (m.t === 'close') {
    closing = true;
    for (const s of sockets) s.destroy();
    send({ t: 'closed' });
    process.disconnect();
  }
});
send({ t: 'ready' });
