import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type D1Location, locationArgs, runWrangler } from "../lib/wrangler.ts";
import { buildSeedStatements } from "./build.ts";

/** Applies the sample content (idempotent) to a D1 database through `wrangler d1 execute`. */
export function applySeed(location: D1Location): void {
	// A file of its own per run, so that concurrent runs (dev, tests, bench) never share one.
	const dir = mkdtempSync(join(tmpdir(), "samarium-seed-"));
	const file = join(dir, "seed.sql");
	try {
		writeFileSync(file, `${buildSeedStatements().join("\n")}\n`);
		runWrangler(["d1", "execute", "DB", ...locationArgs(location), `--file=${file}`, "--yes"]);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
