// `npm run dev`: applies migrations and the idempotent sample content to the local D1, then
// serves the site with `wrangler dev` on http://127.0.0.1:8787 (extra arguments pass through).
import { spawn } from "node:child_process";
import { applyMigrations, root, wranglerBin, wranglerEnv } from "./lib/wrangler.ts";
import { applySeed } from "./seed/apply.ts";

try {
	applyMigrations({});
	applySeed({});
	console.log("dev: migrations and sample content applied to the local D1");
} catch (error) {
	console.error(`dev: ${(error as Error).message}`);
	process.exit(1);
}

const port = process.env.PORT ?? "8787";
const child = spawn(
	wranglerBin,
	["dev", "--ip", "127.0.0.1", "--port", port, "--var", `SITE_URL:http://127.0.0.1:${port}`, ...process.argv.slice(2)],
	{ cwd: root, stdio: "inherit", env: wranglerEnv },
);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
