// Starts `wrangler dev` for scripts (HTML validation now; benchmarks and end-to-end tests later):
// a free port on 127.0.0.1, its own fresh state folder, migrations and sample content applied,
// and a stop() that ends exactly the process it started.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const wrangler = join(root, "node_modules", ".bin", "wrangler");
const quietEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

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

function run(command: string, args: string[]): void {
	const result = spawnSync(command, args, { cwd: root, env: quietEnv, encoding: "utf8" });
	if (result.status !== 0) {
		throw new Error(`${[command, ...args].join(" ")} failed:\n${result.stdout}${result.stderr}`);
	}
}

export async function startDevServer(options: { vars?: Record<string, string> } = {}): Promise<DevServer> {
	const stateDir = mkdtempSync(join(tmpdir(), "samarium-state-"));
	run(wrangler, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir]);
	run(process.execPath, [join(root, "scripts", "seed.ts"), "--local", "--persist-to", stateDir]);

	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const vars = { SITE_URL: origin, ...options.vars };
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
	// Started directly (not through npx) so that its PID is wrangler's own and stopping it frees the port.
	const child: ChildProcess = spawn(wrangler, args, {
		cwd: root,
		env: quietEnv,
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
		if (child.exitCode === null && child.pid) {
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
		}
		rmSync(stateDir, { recursive: true, force: true });
	};

	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) break;
		try {
			const res = await fetch(`${origin}/healthz`);
			if (res.ok) return { origin, port, stateDir, stop };
		} catch {}
		await new Promise((r) => setTimeout(r, 250));
	}
	await stop();
	throw new Error(`wrangler dev did not come up on ${origin}:\n${log}`);
}
