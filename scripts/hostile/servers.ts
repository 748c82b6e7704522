/**
 * The servers `npm run hostile` attacks: Switchyard (the CLI, as `npm start` runs it) and
 * `ws` (scripts/peers: one process, or node:cluster with N workers), each in its own process
 * group. A fresh server per case, so that one attack's leftovers never count in the next; in
 * the smoke run (--quick) servers of the same spec are shared by the cases (starting them is
 * most of a quick run's time) and the result says so.
 */
import type { ChildProcess } from 'node:child_process';
import { processTree } from '../lib/cpu.ts';
import { signalGroup, stopGroup } from '../lib/processes.ts';
import { startServer, startSwitchyard } from '../lib/switchyard.ts';

export type ServerKind = 'switchyard' | 'ws';

export type ServerSpec =
  /** tag: tells apart nodes started with the same flags (node a, node b); not a flag itself. */
  | { kind: 'switchyard'; workers: number; app?: string; args?: string[]; tag?: string }
  /** workers 1: ws-single; more: ws-cluster. */
  | { kind: 'ws'; workers: number; deflate: boolean; maxPayload: number };

export interface Side {
  kind: ServerKind;
  label: string;
  spec: ServerSpec;
  host: string;
  port: number;
  /** The group leader (Switchyard's master, ws's only process or node:cluster primary). */
  leader: number;
  /** Leader and descendants, now. */
  pids(): number[];
  alive(): boolean;
  /** Last lines of its output. */
  tail(): string;
  /** SIGKILL to the whole group, now (an RSS ceiling, a wedged server). */
  kill(): void;
}

interface Entry {
  side: Side;
  child: ChildProcess;
}

export class Servers {
  /** --quick: servers by spec, started or starting (cases running at once share one). */
  private readonly cache = new Map<string, Promise<Entry>>();
  private readonly all = new Set<Entry>();

  constructor(private readonly reuse: boolean) {}

  /** A server of `spec`; `reused` when an earlier case already had it (--quick). */
  async get(spec: ServerSpec): Promise<{ side: Side; reused: boolean }> {
    const key = JSON.stringify(spec);
    const cached = this.reuse ? this.cache.get(key) : undefined;
    if (cached) {
      const entry = await cached.catch(() => null);
      if (entry?.side.alive()) return { side: entry.side, reused: true };
    }
    const starting = start(spec);
    if (this.reuse) this.cache.set(key, starting);
    starting.catch(() => this.cache.get(key) === starting && this.cache.delete(key));
    const entry = await starting;
    this.all.add(entry);
    return { side: entry.side, reused: false };
  }

  /** Done with a case: stopped unless kept for reuse (a dead or killed one is never kept). */
  async release(side: Side): Promise<void> {
    const entry = [...this.all].find((e) => e.side === side);
    if (!entry) return;
    if (this.reuse && side.alive()) return;
    await this.stop(entry);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.all].map((e) => this.stop(e)));
  }

  private async stop(entry: Entry): Promise<void> {
    this.all.delete(entry);
    this.cache.delete(JSON.stringify(entry.side.spec));
    // Its figures are taken; a server grown by GBs takes long to exit gracefully: 1 s, then SIGKILL.
    await stopGroup(entry.child, 1000);
  }
}

export function describe(spec: ServerSpec, masking?: string): string {
  if (spec.kind === 'switchyard') return `Switchyard${spec.tag ? ` node ${spec.tag}` : ''}, ${spec.workers} worker${spec.workers > 1 ? 's' : ''}${spec.args?.length ? ` (${spec.args.join(' ')})` : ''}`;
  const how = spec.workers > 1 ? `node:cluster ${spec.workers} workers` : 'one process';
  return `ws, ${how}${spec.deflate ? ', permessage-deflate' : ''}${masking ? `, ${masking}` : ''}`;
}

async function start(spec: ServerSpec): Promise<Entry> {
  let child: ChildProcess;
  let port: number;
  let tail: () => string;
  let masking: string | undefined;
  if (spec.kind === 'switchyard') {
    const target = await startSwitchyard({ workers: spec.workers, ...(spec.app ? { app: spec.app } : {}), args: spec.args ?? [] });
    child = target.child!;
    port = target.port;
    tail = target.tail;
  } else {
    const peer = spec.workers > 1 ? ['scripts/peers/ws-cluster.ts', '--workers', String(spec.workers)] : ['scripts/peers/ws-single.ts'];
    const args = ['--import', 'tsx', ...peer, '--port', '0', '--max-payload', String(spec.maxPayload), ...(spec.deflate ? ['--deflate'] : [])];
    const started = await startServer('ws', args, {});
    child = started.child;
    port = started.port;
    tail = started.tail;
    // The listening line said what ws masks with; it is among the output's first lines.
    masking = /"masking":"([^"]+)"/.exec(tail())?.[1];
  }
  const leader = child.pid!;
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const side: Side = {
    kind: spec.kind,
    label: describe(spec, masking),
    spec,
    host: '127.0.0.1',
    port,
    leader,
    pids: () => (alive() ? processTree(leader) : []),
    alive,
    tail,
    kill: () => void signalGroup(leader, 'SIGKILL'),
  };
  return { side, child };
}
