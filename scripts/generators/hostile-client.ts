/**
 * A client process of `npm run hostile` (started by scripts/hostile/pool.ts with an IPC
 * channel): says `ready`, then runs the jobs it is sent — an attack's clients
 * (scripts/hostile/clients/), several at once if the pool asks — reporting ticks and a result
 * each. It leaves when the coordinator goes (the channel closes), so no client outlives the
 * script.
 */
import { flood } from '../hostile/clients/flooder.ts';
import { echoLoad, receiver, requests, storm } from '../hostile/clients/misc.ts';
import { connector, probe } from '../hostile/clients/probe.ts';
import { slowHttp } from '../hostile/clients/slow-http.ts';
import type { FromClient, RoleContext, RoleFn, RoleName, ToClient } from '../hostile/protocol.ts';

const ROLES: Record<RoleName, RoleFn> = {
  flood,
  probe,
  connector,
  'slow-http': slowHttp,
  requests,
  receiver,
  'echo-load': echoLoad,
  storm,
};

const send = (m: FromClient): void => {
  if (process.connected) process.send!(m);
};

/** Running jobs: how to stop each. */
const jobs = new Map<number, () => void>();

function runJob(id: number, role: RoleName, params: unknown): void {
  let stopped = false;
  let stop = (): void => {};
  const ctx: RoleContext = {
    tick: (data) => send({ t: 'tick', id, data }),
    stopped: new Promise<void>((r) => (stop = r)),
    isStopped: () => stopped,
  };
  jobs.set(id, () => {
    stopped = true;
    stop();
  });
  const fn = ROLES[role] as (p: unknown, c: RoleContext) => Promise<unknown>;
  fn(params, ctx).then(
    (result) => {
      jobs.delete(id);
      send({ t: 'result', id, result });
    },
    (err: unknown) => {
      jobs.delete(id);
      send({ t: 'error', id, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    },
  );
}

process.on('disconnect', () => process.exit(0));
process.on('message', (m: ToClient) => {
  if (m.t === 'job') runJob(m.id, m.role, m.params);
  else if (m.t === 'stop') jobs.get(m.id)?.();
});
// A client socket's late error must not end the process mid-attack (the roles listen for
// their sockets' errors; this is the last line of defence).
process.on('uncaughtException', (err) => process.stderr.write(`hostile-client: ${err.stack ?? err.message}\n`));
send({ t: 'ready' });
