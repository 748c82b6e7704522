/**
 * A child process's JSON log lines (pino, or a generator's events), read as they come, and
 * waiting for one: "listening" with its port, "flooding", "worker-up"… For the tests and the
 * load scripts alike.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export type LogEntry = Record<string, unknown>;

/** A line that parses as a JSON object, or null. */
export function parseJsonLine(line: string): LogEntry | null {
  if (!line.startsWith('{')) return null;
  try {
    const v: unknown = JSON.parse(line);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as LogEntry) : null;
  } catch {
    return null;
  }
}

interface Waiter {
  match: (e: LogEntry) => boolean;
  resolve: (e: LogEntry) => void;
}

export class JsonLog {
  /** Every line read (at most `keep`, the last ones). */
  readonly lines: string[] = [];
  /** The lines that are JSON objects, with the process.hrtime.bigint() of their arrival. */
  readonly entries: Array<{ at: bigint; e: LogEntry }> = [];
  private readonly waiters = new Set<Waiter>();

  constructor(
    input: Readable,
    private readonly keep = Infinity,
  ) {
    createInterface({ input, crlfDelay: Infinity }).on('line', (line) => this.add(line));
  }

  /** The first entry `match` accepts so far. */
  find(match: (e: LogEntry) => boolean): { at: bigint; e: LogEntry } | undefined {
    return this.entries.find((x) => match(x.e));
  }

  /**
   * The first entry `match` accepts (one already read, or the next); rejects when `child`
   * exits first or after `timeoutMs`, saying `what` was awaited.
   */
  waitFor(match: (e: LogEntry) => boolean, child: ChildProcess, timeoutMs: number, what: string): Promise<LogEntry> {
    const seen = this.find(match);
    if (seen) return Promise.resolve(seen.e);
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.off('error', onError);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = { match, resolve: (e) => (done(), resolve(e)) };
      const fail = (why: string): void => {
        done();
        reject(new Error(why));
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => fail(`exited (code ${code}, signal ${signal}) before ${what}`);
      const onError = (err: Error): void => fail(`cannot start: ${err.message}`);
      const timer = setTimeout(() => fail(`no ${what} within ${timeoutMs} ms`), timeoutMs);
      if (child.exitCode !== null || child.signalCode !== null) return onExit(child.exitCode, child.signalCode);
      child.once('exit', onExit);
      child.once('error', onError);
      this.waiters.add(waiter);
    });
  }

  /** The port of the first `{"event": <event>, "port": N}` line (or `msg: <event>`). */
  async port(child: ChildProcess, timeoutMs: number, event = 'listening'): Promise<number> {
    const e = await this.waitFor((x) => (x.event === event || x.msg === event) && typeof x.port === 'number', child, timeoutMs, `a "${event}" log line`);
    return e.port as number;
  }

  private add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.keep) this.lines.shift();
    if (this.entries.length > this.keep) this.entries.shift();
    const e = parseJsonLine(line);
    if (e === null) return;
    this.entries.push({ at: process.hrtime.bigint(), e });
    for (const w of this.waiters) if (w.match(e)) w.resolve(e);
  }
}
