import WebSocket from 'ws';
import { startCli, type CliProcess } from './process.ts';
import { until } from './server.ts';

export interface Hello {
  ws: WebSocket;
  fd: number;
  worker: number;
  pid: number;
  /** Every message after the hello. */
  messages: string[];
  closed: Promise<{ code: number; reason: string }>;
}

/** Starts the CLI with the cluster fixture app. */
export function startCluster(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliProcess> {
  return startCli(['--port', '0', '--app', 'test/fixtures/cluster-app.ts', '--log-level', 'info', ...args], 40_000, env);
}

/** Connects (optionally from a given 127.0.0.x address) and waits for the fixture's hello. */
export function hello(port: number, localAddress?: string): Promise<Hello> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, localAddress ? { localAddress } : {});
    const messages: string[] = [];
    let closeResolve!: (v: { code: number; reason: string }) => void;
    const closed = new Promise<{ code: number; reason: string }>((r) => (closeResolve = r));
    ws.on('close', (code, reason) => closeResolve({ code, reason: reason.toString() }));
    ws.on('error', reject);
    ws.once('message', (data: Buffer) => {
      const h = JSON.parse(data.toString()) as { fd: number; worker: number; pid: number };
      ws.on('message', (d: Buffer) => messages.push(d.toString()));
      resolve({ ws, fd: h.fd, worker: h.worker, pid: h.pid, messages, closed });
    });
  });
}

export async function stats(port: number): Promise<{
  workers: Array<{ id: number; pid: number; up: boolean; connections: number; restarts: number }>;
  connections: number;
  accepted: number;
  closed: number;
  workerRestarts: number;
  dispatchMode: string;
  pushesForwarded: number;
  remotePushWritten: number;
  remotePushUnknown: number;
  [k: string]: unknown;
}> {
  const res = await fetch(`http://127.0.0.1:${port}/stats`);
  return res.json() as never;
}

export async function closeAll(clients: Hello[]): Promise<void> {
  await Promise.all(
    clients.map((c) => {
      if (c.ws.readyState === WebSocket.CLOSED) return undefined;
      c.ws.close();
      return c.closed;
    }),
  );
}

/** Sends a command to the cluster fixture app through `via` and waits for its result. */
export async function command(via: Hello, cmd: Record<string, unknown>, timeoutMs = 5000): Promise<any> {
  const before = via.messages.length;
  const results = () => via.messages.slice(before).filter((m) => m.startsWith('{"type":"result"')).map((m) => JSON.parse(m) as { cmd: string; value: unknown });
  via.ws.send(JSON.stringify(cmd));
  await until(() => results().some((r) => r.cmd === cmd.cmd), timeoutMs, `result of ${String(cmd.cmd)}`);
  return results().find((r) => r.cmd === cmd.cmd)!.value;
}
