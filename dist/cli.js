#!/usr/bin/env node
import cluster from 'node:cluster';
import { parseCommandLine } from './cli/arguments.js';
import { helpText, packageVersion } from './cli/help.js';
import { resolveSettings } from './cli/resolve-config.js';
import { ENV_BUS_DIR, ENV_NODE, ENV_SLOT } from './shared/cluster-messages.js';
import { ENV_HANDOFF_FD } from './shared/handoff/wire.js';
import { ConfigError } from './shared/errors.js';
import { forgetWorkerSecretEnv } from './shared/secrets.js';
/**
 * The `switchyard` command (`npm start` runs it too): `start` (the default), `stop`, `status`,
 * `--help`, `--version`. The same file runs as the master and, forked by it, as every worker.
 */
async function main() {
    let resolved;
    let verb;
    try {
        const command = parseCommandLine(process.argv.slice(2), process.env);
        if (command.kind === 'help')
            return void process.stdout.write(helpText());
        if (command.kind === 'version')
            return void process.stdout.write(`${packageVersion()}\n`);
        verb = command.verb;
        resolved = await resolveSettings(command.flags, command.configFile, process.env);
    }
    catch (err) {
        if (err instanceof ConfigError) {
            // Workers re-read the same flags: only the master reports them.
            if (cluster.isPrimary)
                process.stderr.write(`switchyard: ${err.message}\n`);
            process.exit(2);
        }
        throw err;
    }
    const { config, setup } = resolved;
    if (verb !== 'start') {
        const { stopCommand, statusCommand } = await import('./cli/control-client.js');
        process.exitCode = await (verb === 'stop' ? stopCommand(config) : statusCommand(config));
        return;
    }
    // Each role loads only its own code: a worker never loads the master's, and the reverse.
    if (cluster.isPrimary) {
        const { runMaster } = await import('./master/main.js');
        await runMaster(config, setup);
        return;
    }
    // The master handed this worker its secrets in the environment: the app's own child
    // processes need not inherit them (they are in server.config).
    forgetWorkerSecretEnv();
    const { runWorker } = await import('./worker/worker-main.js');
    await runWorker(config, setup, {
        slot: Number(process.env[ENV_SLOT]),
        node: Number(process.env[ENV_NODE] ?? 0),
        busDir: process.env[ENV_BUS_DIR] ?? '',
        handoffFd: Number(process.env[ENV_HANDOFF_FD]),
    });
}
await main();
//# sourceMappingURL=cli.js.map