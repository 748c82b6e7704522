import { SessionTableError } from '../errors.ts';
import { decodeFd } from '../session-id.ts';
import type { SessionRecord, SessionTable } from './types.ts';

export interface MemorySessionTableOptions {
  /** Whether a node is alive; its sessions are hidden from reads while it is not. Default: all alive. */
  isAlive?: (node: number) => boolean;
}

/**
 * The session table of one process (a single-node server, or tests): plain maps, every write
 * applied at once. Same semantics as RedisSessionTable, minus the network.
 */
export class MemorySessionTable implements SessionTable {
  private readonly sessions = new Map<number, SessionRecord>();
  private readonly byUid = new Map<string, Set<number>>();
  private readonly isAlive: (node: number) => boolean;
  private closed = false;
  private invalid = 0;

  constructor(options: MemorySessionTableOptions = {}) {
    this.isAlive = options.isAlive ?? (() => true);
  }

  /** Writes ignored because their fd (or its node/slot) was malformed, or after close(). */
  stats(): { invalid: number } {
    return { invalid: this.invalid };
  }

  add(s: Omit<SessionRecord, 'uid'>): void {
    const parts = decodeFd(s.fd);
    if (this.closed || !parts || parts.node !== s.node || parts.slot !== s.slot) {
      this.invalid++;
      return;
    }
    this.drop(s.fd); // an fd is never reused; if it is anyway, the old record (and uid) goes
    this.sessions.set(s.fd, { fd: s.fd, node: s.node, slot: s.slot, remoteAddress: s.remoteAddress, remotePort: s.remotePort, connectTime: s.connectTime, uid: null });
  }

  remove(fd: number): void {
    if (this.closed) this.invalid++;
    else this.drop(fd);
  }

  bind(fd: number, uid: string): void {
    const s = this.closed ? undefined : this.sessions.get(fd);
    if (!s) {
      this.invalid++; // unknown fd (closed already): binding it would leave a stale uid entry
      return;
    }
    this.unbindRecord(s);
    s.uid = uid;
    let fds = this.byUid.get(uid);
    if (!fds) this.byUid.set(uid, (fds = new Set()));
    fds.add(fd);
  }

  /** Nothing to do: writes land at once and are never lost. */
  keepInSync(): void {}

  resync(): void {}

  unbind(fd: number): void {
    const s = this.closed ? undefined : this.sessions.get(fd);
    if (s) this.unbindRecord(s);
  }

  async fdsByUid(uid: string): Promise<number[]> {
    this.assertOpen();
    return [...(this.byUid.get(uid) ?? [])].filter((fd) => this.visible(fd)).sort((a, b) => a - b);
  }

  async get(fd: number): Promise<SessionRecord | null> {
    this.assertOpen();
    const s = this.sessions.get(fd);
    return s && this.visible(fd) ? { ...s } : null;
  }

  async all(): Promise<number[]> {
    this.assertOpen();
    return [...this.sessions.keys()].filter((fd) => this.visible(fd)).sort((a, b) => a - b);
  }

  async count(): Promise<number> {
    this.assertOpen();
    let n = 0;
    for (const fd of this.sessions.keys()) if (this.visible(fd)) n++;
    return n;
  }

  async purgeWorker(node: number, slot: number): Promise<number> {
    this.assertOpen();
    let n = 0;
    for (const s of [...this.sessions.values()]) {
      if (s.node === node && s.slot === slot && this.drop(s.fd)) n++;
    }
    return n;
  }

  async purgeDeadNodes(): Promise<number[]> {
    this.assertOpen();
    const dead = new Set<number>();
    for (const s of this.sessions.values()) if (!this.isAlive(s.node)) dead.add(s.node);
    for (const s of [...this.sessions.values()]) if (dead.has(s.node)) this.drop(s.fd);
    return [...dead].sort((a, b) => a - b);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private visible(fd: number): boolean {
    const s = this.sessions.get(fd);
    return s !== undefined && this.isAlive(s.node);
  }

  /** True if there was a session to forget. */
  private drop(fd: number): boolean {
    const s = this.sessions.get(fd);
    if (!s) return false;
    this.unbindRecord(s);
    this.sessions.delete(fd);
    return true;
  }

  private unbindRecord(s: SessionRecord): void {
    if (s.uid === null) return;
    const fds = this.byUid.get(s.uid);
    fds?.delete(s.fd);
    if (fds?.size === 0) this.byUid.delete(s.uid);
    s.uid = null;
  }

  private assertOpen(): void {
    if (this.closed) throw new SessionTableError('ERR_SESSION_TABLE_CLOSED', 'session table is closed');
  }
}
