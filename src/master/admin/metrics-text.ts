import type { ClusterStats, NodeStats } from '../../shared/cluster-messages.ts';

/**
 * A minimal Prometheus text exposition of what Master.stats() already has: per worker slot (and
 * node, when several share Redis) the established connections and the WebSocket messages
 * received and sent. Counters are the current incarnation's: a restarted worker starts again
 * at 0, which Prometheus reads as a counter reset. The full metrics (handshakes, pushes, bus,
 * lag, ...) replace this function: it is the admin server's `metrics` dependency.
 */
export function statsExposition(stats: ClusterStats): string {
  const nodes: NodeStats[] = stats.nodes ?? [stats];
  const families: Array<{ name: string; type: 'gauge' | 'counter'; help: string; value: (w: NodeStats['workers'][number]) => number }> = [
    { name: 'switchyard_connections', type: 'gauge', help: 'Established WebSocket connections.', value: (w) => w.connections },
    { name: 'switchyard_messages_received_total', type: 'counter', help: 'WebSocket messages received from clients.', value: (w) => w.messagesIn },
    { name: 'switchyard_messages_sent_total', type: 'counter', help: 'WebSocket messages sent to clients.', value: (w) => w.messagesOut },
  ];
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const n of nodes) for (const w of n.workers) lines.push(`${f.name}{node="${n.node}",worker="${w.id}"} ${f.value(w)}`);
  }
  return `${lines.join('\n')}\n`;
}
