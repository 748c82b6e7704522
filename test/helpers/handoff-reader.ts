/**
 * A worker's end of a hand-off pipe, alone (for test/master/handoff-pipe.test.ts): the real
 * receiver on descriptor 3, started only when a line arrives on stdin, so that the writer can
 * fill the pipe first. Prints one JSON line per connection (with whether its descriptor came and
 * is the socket the record names: a listening socket whose port is the record's port) and per
 * rejected read, then `{"end":true}` at EOF.
 */
import { createInterface } from 'node:readline';
import { receiveHandoffs } from '../../src/shared/handoff/receiver.ts';

const out = (v: unknown): boolean => process.stdout.write(JSON.stringify(v) + '\n');

createInterface({ input: process.stdin }).once('line', () => {
  receiveHandoffs(3, { slot: Number(process.env.READER_SLOT ?? 0), node: Number(process.env.READER_NODE ?? 0) }, {
    connection: (handoff, handle) => {
      let port: number | null = null;
      if (handle) {
        const name: { port?: number } = {};
        (handle as { getsockname(o: object): number }).getsockname(name);
        port = name.port ?? null;
        (handle as { close(): void }).close();
      }
      out({ ...handoff, handle: handle !== undefined, socketPort: port });
    },
    rejected: (read) => out({ rejected: read }),
    end: () => {
      out({ end: true });
      process.exit(0);
    },
  });
});
