/**
 * A generator process of `load:connect` (started by connect-fleet.ts with an IPC channel):
 * says `ready`, runs the plan it is sent, reports its counts every 250 ms and its result, holds
 * the connections until told to close, then exits. It leaves when the coordinator goes.
 */
import { ConnectGenerator, type FromGenerator, type ToGenerator } from './connect-generator.ts';

const send = (m: FromGenerator): void => {
  if (process.connected) process.send!(m);
};

let generator: ConnectGenerator | null = null;
let ticker: NodeJS.Timeout | null = null;

process.on('disconnect', () => process.exit(0));
process.on('message', (m: ToGenerator) => {
  if (m.t === 'run' && generator === null) {
    const g = new ConnectGenerator(m.plan);
    generator = g;
    ticker = setInterval(() => send({ t: 'counts', counts: g.counts() }), 250);
    void g.run().then((result) => send({ t: 'opened', result }));
  } else if (m.t === 'close') {
    if (ticker) clearInterval(ticker);
    const closing = generator ? generator.close() : Promise.resolve({ clean: 0, forced: 0 });
    void closing.then((result) => {
      send({ t: 'closed', result });
      process.disconnect();
    });
  }
});
send({ t: 'ready' });
