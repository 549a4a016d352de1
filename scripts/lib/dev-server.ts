// Starts `wrangler dev` for scripts (HTML validation, the benchmark; end-to-end tests later):
// a free port on 127.0.0.1, its own fresh state folder (or one the caller prepared), migrations and
// sample content applied, and a stop() that ends exactly the process it started.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applySeed } from "../seed/apply.ts";
import { applyMigrations, root, wranglerBin, wranglerEnv } from "./wrangler.ts";

export type DevServer = { origin: string; port: number; stateDir: string; stop: () => Promise<void> };

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const address = server.address();
			const port = typeof address === "object" && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

export type DevServerOptions = {
	vars?: Record<string, string>;
	/** Runs after migrations and the sample content, before wrangler dev starts: extra rows for a bench or test. */
	beforeStart?: (stateDir: string) => void;
	/**
	 * A state folder made by prepareState() (or one like it): served as it is, and kept on stop,
	 * so that the caller can serve it again (the benchmark, with and without wrangler's proxy).
	 */
	stateDir?: string;
};

/** A fresh state folder with the migrations and sample content applied, then `beforeStart`'s rows. */
export function prepareState(beforeStart?: (stateDir: string) => void): string {
	const stateDir = mkdtempSync(join(tmpdir(), "samarium-state-"));
	try {
		applyMigrations({ persistTo: stateDir });
		applySeed({ persistTo: stateDir });
		beforeStart?.(stateDir);
		return stateDir;
	} catch (error) {
		rmSync(stateDir, { recursive: true, force: true });
		throw error;
	}
}

/** Tries to start wrangler dev this many times: a port taken between freePort() and wrangler's bind is worth another. */
const START_ATTEMPTS = 3;

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
	const owned = options.stateDir === undefined;
	const stateDir = options.stateDir ?? prepareState(options.beforeStart);
	const removeState = () => {
		if (owned) rmSync(stateDir, { recursive: true, force: true });
	};
	try {
		for (let attempt = 1; ; attempt++) {
			const started = await launch(stateDir, options.vars ?? {});
			if ("origin" in started) {
				const stop = async () => {
					await started.stop();
					removeState();
				};
				return { origin: started.origin, port: started.port, stateDir, stop };
			}
			// Only a wrangler that quit (the port, most likely) is tried again; one that hung is not.
			if (!started.exited || attempt >= START_ATTEMPTS) throw new Error(started.failure);
			console.error(`wrangler dev quit on start (attempt ${attempt} of ${START_ATTEMPTS}); trying another port`);
		}
	} catch (error) {
		removeState();
		throw error;
	}
}

type Launched = { origin: string; port: number; stop: () => Promise<void> } | { exited: boolean; failure: string };

/** One wrangler dev on a free port, up once /healthz answers; or why it did not come up. */
async function launch(stateDir: string, extraVars: Record<string, string>): Promise<Launched> {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const vars = { SITE_URL: origin, ...extraVars };
	const args = [
		"dev",
		"--ip",
		"127.0.0.1",
		"--port",
		String(port),
		"--persist-to",
		stateDir,
		"--show-interactive-dev-session=false",
	];
	for (const [key, value] of Object.entries(vars)) args.push("--var", `${key}:${value}`);
	const child: ChildProcess = spawn(wranglerBin, args, {
		cwd: root,
		env: wranglerEnv,
		stdio: ["ignore", "pipe", "pipe"],
		detached: true,
	});
	let log = "";
	child.stdout?.on("data", (chunk) => {
		log += chunk;
	});
	child.stderr?.on("data", (chunk) => {
		log += chunk;
	});

	const stop = async () => {
		if (child.exitCode !== null || !child.pid) return;
		// The negative PID signals wrangler's process group: wrangler and the workerd it started.
		try {
			process.kill(-child.pid, "SIGTERM");
		} catch {
			child.kill("SIGTERM");
		}
		await new Promise((resolve) => {
			const timer = setTimeout(() => {
				try {
					if (child.pid) process.kill(-child.pid, "SIGKILL");
				} catch {}
				resolve(undefined);
			}, 5000);
			child.once("exit", () => {
				clearTimeout(timer);
				resolve(undefined);
			});
		});
	};

	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline && child.exitCode === null) {
		try {
			const res = await fetch(`${origin}/healthz`);
			if (res.ok) return { origin, port, stop };
		} catch {}
		await new Promise((r) => setTimeout(r, 250));
	}
	const exited = child.exitCode !== null;
	await stop();
	return { exited, failure: `wrangler dev did not come up on ${origin}:\n${log}` };
}

/**
 * Stops the server once it has started, however the script ends: call the returned function when
 * done; SIGINT and SIGTERM call it too and exit. wrangler dev runs in its own process group (so a
 * terminal's Ctrl-C does not reach it), and would otherwise outlive the script. A signal that
 * arrives while wrangler is still coming up stops it once it is up.
 */
export function stopOnExit(name: string, starting: Promise<DevServer>): () => Promise<void> {
	let stopping: Promise<void> | undefined;
	const stop = () => {
		stopping ??= starting.then(
			(server) => server.stop(),
			() => undefined,
		);
		return stopping;
	};
	for (const signal of ["SIGINT", "SIGTERM"] as const) {
		process.once(signal, () => {
			console.error(`${name}: ${signal}, stopping wrangler dev`);
			void stop().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
		});
	}
	return stop;
}
