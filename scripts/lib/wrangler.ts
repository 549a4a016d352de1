// Running wrangler from the project's scripts (the seed, the dev harness, the editor CLI): its own
// binary (not npx, so a PID is wrangler's own), no telemetry, no cf.json fetch, and a clear error
// carrying wrangler's output on failure.

import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { join } from "node:path";
import { firstJsonValue } from "./wrangler-output.ts";

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

function spawnWrangler(args: string[], extraEnv: Record<string, string>): SpawnSyncReturns<string> {
	const result = spawnSync(wranglerBin, args, {
		cwd: root,
		env: { ...wranglerEnv, ...extraEnv },
		stdio: ["ignore", "pipe", "pipe"],
		encoding: "utf8",
		// Query results come back on stdout, and the default 1 MiB would cut a large one short.
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.error) throw new Error(`could not run wrangler: ${result.error.message}`);
	return result;
}

function failure(command: string, result: SpawnSyncReturns<string>): Error {
	return new Error(
		`wrangler ${command} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
	);
}

/** Runs wrangler to completion; throws with its output unless it exits 0. */
export function runWrangler(args: string[], extraEnv: Record<string, string> = {}): void {
	const result = spawnWrangler(args, extraEnv);
	if (result.status !== 0) throw failure(args.join(" "), result);
}

/**
 * Applies pending migrations. Local ones only touch a state folder, so CI=true skips wrangler's
 * "continue?" prompt (it asks only in a terminal and takes CI as consent); remote ones still ask.
 */
export function applyMigrations(location: D1Location): void {
	runWrangler(["d1", "migrations", "apply", "DB", ...locationArgs(location)], location.remote ? {} : { CI: "true" });
}

export type Row = Record<string, unknown>;

/** D1 refused the statements (the batch was rolled back); the message is D1's own. */
export class D1Error extends Error {}

/**
 * Runs one or more statements (separated by `;`) as one batch, so that they all apply or none
 * does, and returns each statement's rows in order. Throws D1Error when D1 refused them.
 */
export function queryD1(location: D1Location, sql: string): Row[][] {
	// `--command` rather than `--file`: against the remote database, --file goes through D1's
	// import API, which returns no rows (and so no RETURNING id).
	const args = ["d1", "execute", "DB", ...locationArgs(location), "--json", "--yes", "--command", sql];
	const result = spawnWrangler(args, {});
	const output = firstJsonValue(result.stdout) as { results?: Row[] }[] | { error?: { text?: unknown } } | null;
	if (result.status === 0 && Array.isArray(output)) return output.map((statement) => statement.results ?? []);
	const text = output && !Array.isArray(output) ? output.error?.text : undefined;
	if (typeof text === "string") throw new D1Error(text);
	// Not the SQL itself: it can carry a password hash.
	throw failure("d1 execute", result);
}
