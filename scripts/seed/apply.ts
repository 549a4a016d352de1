import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type D1Location, locationArgs, root, runWrangler, wranglerEnv } from "../lib/wrangler.ts";
import { buildSeedStatements } from "./build.ts";
import { renderSeedPictures } from "./pictures.ts";

/** Where `wrangler dev` keeps its local state when not given --persist-to. */
const DEFAULT_STATE = join(root, ".wrangler", "state");

/** The R2 bucket of binding MEDIA (wrangler.toml). */
const MEDIA_BUCKET = "samarium-media";

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

/**
 * Puts files (named by their R2 key) into the MEDIA bucket: locally all at once through
 * put-media.ts, skipping keys already there; remotely one `wrangler r2 object put` each (an
 * object's key is its content hash, so putting it again changes nothing).
 */
export function putMedia(location: D1Location, folder: string, keys: string[]): void {
	if (location.remote) {
		for (const key of keys) {
			runWrangler([
				"r2",
				"object",
				"put",
				`${MEDIA_BUCKET}/${key}`,
				"--file",
				join(folder, key),
				"--content-type",
				"image/png",
				"--remote",
			]);
		}
		return;
	}
	const persistTo = location.persistTo ?? DEFAULT_STATE;
	const result = spawnSync(process.execPath, [join(import.meta.dirname, "put-media.ts"), persistTo, folder], {
		cwd: root,
		env: wranglerEnv,
		stdio: ["ignore", "pipe", "pipe"],
		encoding: "utf8",
	});
	if (result.status !== 0) {
		throw new Error(
			`putting the sample pictures in R2 failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
		);
	}
}

/**
 * Applies the sample content (idempotent): draws the lead pictures and puts them in R2 first, so
 * that every media row the SQL then writes names an object that exists.
 */
export function applySeed(location: D1Location): void {
	const pictures = renderSeedPictures();
	const dir = mkdtempSync(join(tmpdir(), "samarium-media-"));
	try {
		for (const p of pictures) writeFileSync(join(dir, `${p.media.id}.png`), p.png);
		putMedia(
			location,
			dir,
			pictures.map((p) => `${p.media.id}.png`),
		);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	executeSql(
		location,
		buildSeedStatements(
			Date.now(),
			pictures.map((p) => p.media),
		),
	);
}
