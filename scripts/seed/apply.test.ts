// `npm run test:cli`: the sample content applied as `npm run dev` applies it, twice, to a fresh
// state folder: D1 rows read back from miniflare's SQLite file, and the pictures read back from
// the local R2 bucket (through wrangler's own CLI for one, and every one through the binding).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, describe, it } from "node:test";
import { getPlatformProxy } from "wrangler";
import { applyMigrations, root, wranglerBin, wranglerEnv } from "../lib/wrangler.ts";
import { applySeed } from "./apply.ts";
import { seedArticles, seedAuthors } from "./content.ts";
import { renderSeedPictures } from "./pictures.ts";

let state: string;
const timings: number[] = [];

function query<T>(sql: string): T[] {
	const dir = join(state, "v3", "d1", "miniflare-D1DatabaseObject");
	const files = readdirSync(dir).filter((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite");
	assert.equal(files.length, 1);
	const db = new DatabaseSync(join(dir, files[0] as string), { readOnly: true });
	try {
		return db.prepare(sql).all() as T[];
	} finally {
		db.close();
	}
}

describe("applySeed against a local state folder", () => {
	before(() => {
		state = mkdtempSync(join(tmpdir(), "samarium-seed-test-"));
		applyMigrations({ persistTo: state });
		for (let run = 0; run < 2; run++) {
			const start = performance.now();
			applySeed({ persistTo: state });
			timings.push(Math.round(performance.now() - start));
		}
		console.log(`seed: first run ${timings[0]} ms, second run ${timings[1]} ms`);
	});
	after(() => rmSync(state, { recursive: true, force: true }));

	it("applies cleanly twice, with the newsroom rows once", () => {
		const n = (table: string) => query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]?.n;
		assert.equal(n("articles"), seedArticles.length);
		assert.equal(n("authors"), seedAuthors.length);
		assert.equal(
			n("article_authors"),
			seedArticles.reduce((sum, a) => sum + a.authors.length, 0),
		);
		assert.equal(n("media"), renderSeedPictures().length);
		assert.equal(n("article_media"), n("media"));
		assert.equal(n("article_corrections"), 2);
		const unsigned = query(
			"SELECT slug FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_authors x WHERE x.article_id = a.id)",
		);
		assert.deepEqual(unsigned, []);
	});

	it("puts every picture in the local R2 bucket as image/png, readable by wrangler's CLI", async () => {
		const files = renderSeedPictures();
		const rows = query<{ id: string; bytes: number }>("SELECT id, bytes FROM media ORDER BY id");
		assert.deepEqual(
			rows.map((r) => r.id),
			files.map((f) => f.media.id).sort(),
		);
		const first = files[0];
		assert.ok(first);
		const got = spawnSync(
			wranglerBin,
			["r2", "object", "get", `samarium-media/${first.media.id}.png`, "--local", "--persist-to", state, "--pipe"],
			{ cwd: root, env: wranglerEnv, maxBuffer: 16 * 1024 * 1024 },
		);
		assert.equal(got.status, 0, String(got.stderr));
		assert.ok(Buffer.from(got.stdout).equals(Buffer.from(first.png)), "the object's bytes are the PNG's");
		const proxy = await getPlatformProxy<{ MEDIA: R2Bucket }>({
			configPath: join(root, "wrangler.toml"),
			persist: { path: join(state, "v3") },
		});
		try {
			for (const f of files) {
				const head = await proxy.env.MEDIA.head(`${f.media.id}.png`);
				assert.ok(head, f.media.id);
				assert.equal(head.size, f.png.length);
				assert.equal(head.httpMetadata?.contentType, "image/png");
			}
		} finally {
			await proxy.dispose();
		}
	});
});
