import { Socket } from 'node:net';
/**
 * The answers the master writes itself, before any worker sees a connection (it never reads
 * the request: the answer goes out at once, the socket is half-closed, and destroyed a second
 * later so that the client has read the answer before a reset could reach it).
 */
/** How long a refused socket is kept for its answer to be read. */
const LINGER_MS = 1000;
/**
 * Refused sockets held at once (each for up to LINGER_MS); beyond it new refusals are closed
 * unanswered: whatever arrives, the master's memory for refusals stays bounded.
 */
export const MAX_REFUSALS_IN_FLIGHT = 512;
const REASONS = { 429: 'Too Many Requests', 503: 'Service Unavailable' };
/** A complete HTTP/1.1 response with Retry-After, Connection: close and a one-line body. */
export function refusalResponse(status, retryAfter, body) {
    const text = `${body}\n`;
    return Buffer.from(`HTTP/1.1 ${status} ${REASONS[status]}\r\nConnection: close\r\nRetry-After: ${retryAfter}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`, 'latin1');
}
/** Writes refusals on raw accepted handles, at most MAX_REFUSALS_IN_FLIGHT at once. */
export class RefusalWriter {
    inFlight = 0;
    /** Refused sockets whose answer is being written or read. */
    get pending() {
        return this.inFlight;
    }
    /** Answers `response` and closes; false if too many refusals are in flight (the handle was closed unanswered). */
    refuse(handle, response) {
        if (this.inFlight >= MAX_REFUSALS_IN_FLIGHT) {
            handle.close();
            return false;
        }
        this.inFlight++;
        const socket = new Socket({ handle, readable: true, writable: true });
        socket.on('error', () => { });
        socket.once('close', () => {
            this.inFlight--;
            clearTimeout(timer);
        });
        socket.end(response);
        const timer = setTimeout(() => socket.destroy(), LINGER_MS);
        timer.unref();
        return true;
    }
}
//# sourceMappingURL=refusals.js.map