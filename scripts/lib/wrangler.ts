// Running wrangler from the project's scripts: its own binary (not npx, so a PID is wrangler's
// own), no telemetry, no cf.json fetch, and a clear error carrying wrangler's output on failure.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export const root = join(import.meta.dirname, "..", "..");
export const wranglerBin = join(root, "node_modules", ".bin", "wrangler");
export const wranglerEnv: NodeJS.ProcessEnv = {
	...process.env,
	WRANGLER_SEND_METRICS: "false",
	CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

/** Where a D1 command acts: the remote database, or the local one (optionally in another state folder). */
export type D1Location = { remote: true } | { remote?: false; persistTo?: string };

export function locationArgs(location: D1Location): string[] {
	if (location.remote) return ["--remote"];
	return location.persistTo ? ["--local", "--persist-to", location.persistTo] : ["--local"];
}

export function runWrangler(args: string[], extraEnv: Record<string, string> = {}): void {
	const result = spawnSync(wranglerBin, args, {
		cwd: root,
		env: { ...wranglerEnv, ...extraEnv },
		stdio: ["ignore", "pipe", "pipe"],
		encoding: "utf8",
	});
	if (result.status !== 0) {
		throw new Error(
			`wrangler ${args.join(" ")} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
		);
	}
}

/**
 * Applies pending migrations. Local ones only touch a state folder, so CI=true skips wrangler's
 * "continue?" prompt (it asks only in a terminal and takes CI as consent); remote ones still ask.
 */
export function applyMigrations(location: D1Location): void {
	runWrangler(["d1", "migrations", "apply", "DB", ...locationArgs(location)], location.remote ? {} : { CI: "true" });
}
