// `npm run dev`: applies migrations and the idempotent sample content to the local D1, then
// serves the site with `wrangler dev` on http://127.0.0.1:8787 (extra arguments pass through).
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const wrangler = join(root, "node_modules", ".bin", "wrangler");
const env = { ...process.env, WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false" };

function step(command: string, args: string[], extraEnv: Record<string, string> = {}) {
	const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

// Local migrations only touch .wrangler/state, so skip wrangler's "continue?" prompt (it asks
// only in an interactive terminal and treats CI as consent).
step(wrangler, ["d1", "migrations", "apply", "DB", "--local"], { CI: "true" });
step(process.execPath, [join(root, "scripts", "seed.ts"), "--local"]);

const port = process.env.PORT ?? "8787";
const child = spawn(
	wrangler,
	["dev", "--ip", "127.0.0.1", "--port", port, "--var", `SITE_URL:http://127.0.0.1:${port}`, ...process.argv.slice(2)],
	{ cwd: root, stdio: "inherit", env },
);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
