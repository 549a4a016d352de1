// SQL against the site's D1 through `wrangler d1 execute --json --command`, for scripts that need
// the rows back. `--command` rather than `--file`: against the remote database, --file goes through
// D1's import API, which returns no rows (and so no RETURNING id).
import { spawnSync } from "node:child_process";
import { type D1Location, locationArgs, root, wranglerBin, wranglerEnv } from "../lib/wrangler.ts";

export type Row = Record<string, unknown>;

/** D1 refused the statements (the batch was rolled back); the message is D1's own. */
export class D1Error extends Error {}

/** A value as an SQL literal. */
export function sqlValue(value: string | number | null): string {
	if (value === null) return "NULL";
	if (typeof value === "number") {
		if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
		return String(value);
	}
	return `'${value.replace(/'/g, "''")}'`;
}

function parseOutput(stdout: string): unknown {
	const start = stdout.search(/[[{]/);
	if (start < 0) return null;
	try {
		return JSON.parse(stdout.slice(start));
	} catch {
		return null;
	}
}

/**
 * Runs one or more statements (separated by `;`) as one batch, so that they all apply or none
 * does, and returns each statement's rows in order.
 */
export function queryD1(location: D1Location, sql: string): Row[][] {
	const args = ["d1", "execute", "DB", ...locationArgs(location), "--json", "--yes", "--command", sql];
	const result = spawnSync(wranglerBin, args, {
		cwd: root,
		env: wranglerEnv,
		stdio: ["ignore", "pipe", "pipe"],
		encoding: "utf8",
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.error) throw new Error(`could not run wrangler: ${result.error.message}`);
	const output = parseOutput(result.stdout) as { results?: Row[] }[] | { error?: { text?: unknown } } | null;
	if (result.status === 0 && Array.isArray(output)) return output.map((statement) => statement.results ?? []);
	const text = output && !Array.isArray(output) ? output.error?.text : undefined;
	if (typeof text === "string") throw new D1Error(text);
	throw new Error(
		`wrangler d1 execute failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
	);
}
