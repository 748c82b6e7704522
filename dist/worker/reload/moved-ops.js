export function runMovedOp(target, fd, op) {
    switch (op.k) {
        case 'push':
            target.push(fd, op.payload, op.op);
            return;
        case 'disconnect':
            target.disconnect(fd, op.code, op.reason);
            return;
        case 'close':
            target.close(fd);
            return;
        case 'join':
            target.join(fd, op.room);
            return;
        case 'leave':
            target.leave(fd, op.room);
            return;
        case 'bind':
            target.bind(fd, op.uid);
            return;
        case 'protect':
            target.protect(fd, op.value);
            return;
        case 'fanout':
            target.fanOutTo(fd, op.b);
            return;
    }
}
//# sourceMappingURL=moved-ops.js.map