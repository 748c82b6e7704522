import { acceptKey, buildUpgradeResponse } from '../../shared/protocol/handshake.js';
import { negotiateDeflate } from '../../shared/protocol/permessage-deflate.js';
import { PerMessageDeflate } from '../connection/deflate-codec.js';
import { Connection } from '../connection/connection.js';
import { HandshakeRequest, HandshakeResponse } from './handshake-io.js';
import { clientAddressOf } from './client-address.js';
import { AddressSet } from '../../shared/proxy/address-match.js';
import { reject } from './http-entry.js';
/** What the deadline of an async handshake hook resolves to. */
const HOOK_TIMED_OUT = Symbol('handshake hook timed out');
/**
 * The upgrade after RFC 6455 validation: the app's handshake hook decides (it may be async),
 * then the server itself writes the whole 101 — subprotocol only if offered, the negotiated
 * extension, the hook's extra headers — so no half-written handshake can exist.
 */
export class Upgrader {
    /** Upgrades waiting for the app's hook, by fd. */
    pending = new Map();
    host;
    /** The compression settings every negotiation uses (a reload rebuilds moved connections with them). */
    deflateSettings;
    /** Proxies whose forwarding headers are believed (config.trustProxy). */
    trustProxy;
    constructor(host) {
        this.host = host;
        const c = host.config;
        this.trustProxy = AddressSet.parse(c.trustProxy).set;
        this.deflateSettings = {
            serverNoContextTakeover: c.serverNoContextTakeover,
            clientNoContextTakeover: c.clientNoContextTakeover,
            serverMaxWindowBits: c.serverMaxWindowBits,
            clientMaxWindowBits: c.clientMaxWindowBits,
            threshold: c.compressionThreshold,
            level: 3,
            memLevel: 8,
        };
    }
    upgrade(fd, req, socket, head, valid, arrivedAt) {
        const request = new HandshakeRequest(fd, req, valid.protocols, clientAddressOf(socket, req.headers, this.trustProxy));
        const response = new HandshakeResponse();
        const hook = this.host.handshakeHook();
        // No hook, or a hook that answers synchronously (routing, a token check): decided in this
        // turn, with no promise or listener per connection (the common case of a handshake storm).
        let answer = true;
        if (hook) {
            try {
                answer = hook(request, response, this.host.server);
            }
            catch (err) {
                this.hookFailed(fd, response, err);
            }
        }
        if (isThenable(answer)) {
            // Whatever goes wrong after the hook settles stays with this socket: an unhandled
            // rejection would end the worker and every connection on it.
            this.awaitHook(answer, fd, request, response, socket, head, valid, arrivedAt).catch((err) => this.failed(fd, socket, err));
        }
        else {
            try {
                this.decide(fd, request, response, socket, head, valid, answer, arrivedAt);
            }
            catch (err) {
                this.failed(fd, socket, err);
            }
        }
    }
    /** A failure of our own after the hook: logged, and only this socket pays. */
    failed(fd, socket, err) {
        this.host.log.error({ fd, err }, 'handshake failed');
        socket.destroy();
    }
    hookFailed(fd, response, err) {
        this.host.log.error({ fd, err }, 'handshake callback failed');
        response.status(500).end('internal error');
    }
    /** An async hook: the socket waits in `pending`; a client that leaves meanwhile is only reported. */
    async awaitHook(answer, fd, request, response, socket, head, valid, arrivedAt) {
        const host = this.host;
        this.pending.set(fd, socket);
        let gone = false;
        const onGone = () => {
            gone = true;
        };
        socket.once('close', onGone);
        // The hook may never settle (a stuck lookup): the socket is not held past the deadline.
        let timer;
        const deadline = new Promise((resolve) => {
            timer = setTimeout(resolve, host.config.handshakeHookTimeoutMs, HOOK_TIMED_OUT);
        });
        let accepted = true;
        try {
            const settled = await Promise.race([answer, deadline]);
            if (settled === HOOK_TIMED_OUT) {
                this.pending.delete(fd);
                socket.off('close', onGone);
                if (gone || socket.destroyed)
                    return host.unestablished(fd, true);
                host.log.warn({ event: 'handshake-hook-timeout', fd, ms: host.config.handshakeHookTimeoutMs }, 'async handshake hook did not settle in time: 503');
                return this.refuse(fd, socket, 503, 'handshake timed out', [['Retry-After', '1']]);
            }
            accepted = settled;
        }
        catch (err) {
            this.hookFailed(fd, response, err);
        }
        finally {
            clearTimeout(timer);
        }
        this.pending.delete(fd);
        socket.off('close', onGone);
        if (gone || socket.destroyed) {
            // The client left while the hook ran: nothing to write, just tell the app.
            host.unestablished(fd, true);
            return;
        }
        this.decide(fd, request, response, socket, head, valid, accepted, arrivedAt);
    }
    decide(fd, request, response, socket, head, valid, accepted, arrivedAt) {
        const host = this.host;
        // The hook's answer is checked as a whole before a byte is written: its fields are public,
        // and a 1xx status or a Transfer-Encoding header would make a response we cannot build.
        const problem = host.handshakeHook() === undefined ? null : response.problem();
        if (problem !== null) {
            host.log.error({ fd, problem }, 'handshake hook gave an answer that cannot be sent: 500');
            this.refuse(fd, socket, 500, 'internal error', []);
            return;
        }
        if (response.statusCode !== 101 || accepted === false) {
            const status = response.statusCode !== 101 ? response.statusCode : 403;
            host.log.debug({ fd, status }, 'handshake refused by app');
            const body = response.body.length > 0 ? response.body : defaultBody(status);
            this.refuse(fd, socket, status, body, response.headers);
            return;
        }
        const refusal = host.capacityRefusal();
        if (refusal !== null) {
            this.refuse(fd, socket, 503, refusal, [['Retry-After', '1']]);
            return;
        }
        this.establish(fd, request, response, socket, head, valid, arrivedAt);
    }
    refuse(fd, socket, status, body, headers) {
        socket.once('close', () => this.host.unestablished(fd, false));
        if (reject(socket, status, body, headers))
            this.host.refused(status);
    }
    establish(fd, request, response, socket, head, valid, arrivedAt) {
        const host = this.host;
        // A subprotocol only if the client offered it (RFC 6455 §4.2.2): the hook's pick, or the client's first.
        let protocol = '';
        if (response.chosenProtocol === undefined)
            protocol = valid.protocols[0] ?? '';
        else if (response.chosenProtocol !== null) {
            if (valid.protocols.includes(response.chosenProtocol))
                protocol = response.chosenProtocol;
            else
                host.log.warn({ fd, protocol: response.chosenProtocol }, 'handshake hook chose a subprotocol the client did not offer; none sent');
        }
        request.protocol = protocol;
        const negotiated = host.config.websocketCompression ? negotiateDeflate(valid.extensions, this.deflateSettings) : null;
        const deflate = negotiated ? new PerMessageDeflate(negotiated.agreement, this.deflateSettings) : null;
        const reply = { accept: acceptKey(valid.key), headers: response.headers };
        if (protocol)
            reply.protocol = protocol;
        if (negotiated)
            reply.extensions = negotiated.response;
        socket.write(buildUpgradeResponse(reply), 'latin1');
        const conn = new Connection({
            fd,
            socket,
            host,
            log: host.log,
            deflate,
            path: request.path,
            protocol,
            extensions: negotiated?.response ?? '',
            client: request,
        });
        host.established(conn, request, arrivedAt);
        // Bytes that came with the upgrade request, then everything else.
        if (!socket.destroyed) {
            conn.receive(head);
            socket.resume();
        }
    }
}
function isThenable(value) {
    return typeof value?.then === 'function';
}
function defaultBody(status) {
    return status === 403 ? 'forbidden' : status === 404 ? 'not found' : status === 401 ? 'unauthorized' : `refused (${status})`;
}
//# sourceMappingURL=upgrade.js.map