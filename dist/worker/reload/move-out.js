import { serialize } from 'node:v8';
import { MoveSender } from '../../shared/move/move-link.js';
import { CloseCode } from '../../shared/protocol/constants.js';
/** Connections moved per loop turn: the move link's writes and other work interleave. */
const BATCH = 256;
/** How often connections that cannot move yet (an inflate or a compression in flight) and handshakes still pending are looked at again. */
const RETRY_MS = 10;
/** Past the move's deadline, how much longer handshakes still under way are waited for. */
const HANDSHAKE_GRACE_MS = 5000;
/**
 * The old worker's side of a reload: every connection goes to the replacement listening at
 * `path` — descriptor first (one sendmsg), then, once that write completed, its state captured
 * at that instant (ConnectionCore snapshot, unsent output, unread input, uid, rooms, app data).
 * Operations on a connection already on its way are forwarded behind it (MoveRelay); the bus
 * connections from the other workers go last, unread, so what they carry runs in the
 * replacement. A permessage-deflate connection with an inflate or a compression in flight is
 * held at the end of the message under way (ConnectionCore.prepareMove) and moves once they are
 * done. One that cannot move (TLS; an app store that is not serialisable; a compressed message
 * still under way at the deadline) is closed with 1012 (Service Restart).
 */
export async function moveOut(parts, path, deadlineMs) {
    const { local, log } = parts;
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const sender = await MoveSender.connect(path);
    const report = { moved: 0, failed: [], ms: 0, cpuUs: 0 };
    const movedFds = new Set();
    sender.send({ t: 'manifest', fds: [...local.fds()] }, undefined);
    const relay = {
        divert(fd, op) {
            if (!movedFds.has(fd))
                return false;
            sender.send({ t: 'op', fd, op }, undefined);
            return true;
        },
        broadcast(b) {
            if (movedFds.size > 0)
                sender.send({ t: 'broadcast', b: { ...b, except: [...b.except] } }, undefined);
            return 'also';
        },
    };
    local.relay = relay;
    let inFlight = 0;
    const fail = (conn, why) => {
        report.failed.push({ fd: conn.fd, why, closed: 1012 });
        log.warn({ fd: conn.fd, why }, 'reload: connection cannot move: closed with 1012');
        conn.abandonMove();
        conn.disconnect(CloseCode.ServiceRestart, 'service restart');
    };
    const moveOne = (conn) => {
        const membership = local.detach(conn.fd);
        if (membership === null)
            return;
        if (membership.data !== null) {
            try {
                serialize(membership.data);
            }
            catch (err) {
                local.adopt(conn, membership);
                return fail(conn, `connectionData is not serialisable: ${err.message}`);
            }
        }
        conn.freeze();
        movedFds.add(conn.fd);
        const handle = conn.socket._handle;
        if (handle === null) {
            // Closed under us: the close already happened, nothing to carry.
            movedFds.delete(conn.fd);
            return;
        }
        inFlight++;
        sender.send({ t: 'socket', fd: conn.fd }, handle, (status) => {
            if (status < 0) {
                inFlight--;
                report.failed.push({ fd: conn.fd, why: `descriptor not sent (errno ${status})`, closed: 1006 });
                conn.socket.destroy();
                return;
            }
            const moved = conn.capture();
            if (moved === null) {
                inFlight--;
                report.failed.push({ fd: conn.fd, why: 'unsent output could not be told', closed: 1006 });
                sender.send({ t: 'lost', fd: conn.fd }, undefined);
                conn.socket.destroy();
                return;
            }
            parts.untrack?.(conn.socket);
            report.moved++;
            const state = { t: 'state', fd: conn.fd, conn: moved, m: membership };
            if (!parts.busFlushed) {
                inFlight--;
                return sender.send(state, undefined);
            }
            // Captured now; sent once our publishes so far are in Redis (the connections of one batch share the wait).
            void parts.busFlushed().then(() => {
                inFlight--;
                sender.send(state, undefined);
            });
        });
    };
    const deadline = Date.now() + deadlineMs;
    /** Closing here with 1012 after the deadline: not looked at again. */
    const givenUp = new Set();
    for (;;) {
        const waiting = [];
        let n = 0;
        for (const conn of local.connections()) {
            if (givenUp.has(conn))
                continue;
            const refusal = conn.moveRefusal();
            if (refusal === null)
                moveOne(conn);
            else if (refusal.startsWith('cannot move: '))
                fail(conn, refusal.slice('cannot move: '.length));
            // Closed meanwhile: nothing to move. Anything else passes (a compression, a compressed
            // message): held from now on at the end of what is under way, it passes soon.
            else if (refusal !== 'the connection is closed') {
                conn.prepareMove();
                waiting.push(conn);
            }
            if (++n % BATCH === 0)
                await new Promise((r) => setImmediate(r));
        }
        const more = waiting.length > 0 || parts.pendingHandshakes() > 0;
        if (!more)
            break;
        if (Date.now() >= deadline) {
            for (const conn of waiting) {
                givenUp.add(conn);
                fail(conn, 'did not reach a point where it can move in time');
            }
            // Handshakes still under way finish (or meet their own deadline) and then move: a client
            // that connected during the reload is not reset for being slow.
            if (parts.pendingHandshakes() === 0 || Date.now() >= deadline + HANDSHAKE_GRACE_MS)
                break;
        }
        await new Promise((r) => setTimeout(r, RETRY_MS));
    }
    // Let every descriptor write complete (each sends its state from its callback).
    while (inFlight > 0 && Date.now() < deadline + 5000)
        await new Promise((r) => setTimeout(r, 2));
    // Connections closing with 1012 finish here; the rest of the move does not wait for them.
    // The bus: the other workers' connections to us, unread, with what was read and not decoded.
    if (parts.embedded) {
        const { connections, closed } = parts.embedded.detachInbound();
        for (const c of connections)
            sender.send({ t: 'bus', remainder: c.remainder }, c.handle, () => c.release());
        // The listener's close completes once those are released (their descriptors sent).
        await closed;
    }
    await parts.beforeEnd?.();
    report.ms = performance.now() - started;
    const cpu = process.cpuUsage(cpu0);
    report.cpuUs = cpu.user + cpu.system;
    sender.send({ t: 'end', moved: report.moved }, undefined);
    await sender.drained(10_000);
    // Closing before the replacement has read everything could lose what is still queued.
    if (!(await sender.waitAck(10_000)))
        log.warn({ event: 'move-unacknowledged' }, 'reload: the new worker did not acknowledge the move in time');
    local.relay = null;
    sender.close();
    log.info({ event: 'moved-out', moved: report.moved, failed: report.failed.length, ms: Math.round(report.ms) }, 'reload: connections handed to the new worker');
    return report;
}
//# sourceMappingURL=move-out.js.map