import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type D1Location, locationArgs, runWrangler } from "../lib/wrangler.ts";
import { buildSeedStatements } from "./build.ts";

/** Runs SQL statements against a D1 database through `wrangler d1 execute --file`. */
export function executeSql(location: D1Location, statements: string[]): void {
	// A file of its own per run, so that concurrent runs (dev, tests, bench) never share one.
	const dir = mkdtempSync(join(tmpdir(), "samarium-sql-"));
	const file = join(dir, "statements.sql");
	try {
		writeFileSync(file, `${statements.join("\n")}\n`);
		runWrangler(["d1", "execute", "DB", ...locationArgs(location), `--file=${file}`, "--yes"]);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** Applies the sample content (idempotent) to a D1 database. */
export function applySeed(location: D1Location): void {
	executeSql(location, buildSeedStatements());
}
