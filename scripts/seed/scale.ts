// `npm run seed:scale`: adds synthetic articles (scripts/seed/scale-content.ts) to a local D1,
// fast enough for 100,000 in well under three minutes. wrangler d1 execute would take far longer
// for that much SQL, so the rows go straight into the SQLite file that miniflare keeps for the
// database, in large transactions, after wrangler has applied the migrations and the sample
// content to it (which also creates the file on a fresh clone). SQLite's file locking makes this
// safe beside a running `wrangler dev` (it sees the new rows at once), but pages its edge cache
// already holds show them only as they expire, so stopping `npm run dev` first is simpler.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { applyMigrations, root } from "../lib/wrangler.ts";
import { applySeed } from "./apply.ts";
import {
	SCALE_MAX_ARTICLES,
	SCALE_SLUG_PREFIX,
	type ScaleTaxon,
	scaleAnchor,
	scaleArticle,
	scaleNumber,
	scaleTimes,
} from "./scale-content.ts";

export type SeedScaleOptions = {
	/** How many synthetic articles there should be: numbers 1..articles. */
	articles: number;
	/** The wrangler state folder (as `--persist-to`); the default is the one `npm run dev` serves. */
	persistTo?: string;
	log?: (line: string) => void;
	/** The time the run is anchored to (tests); defaults to now. */
	now?: number;
};

export type SeedScaleResult = {
	/** Articles written by this run. */
	added: number;
	/** Synthetic articles in the database afterwards (including any numbered beyond `articles`). */
	total: number;
	ms: number;
};

const BATCH = 5_000;
const LOCK_WAIT_MS = 10_000;

/** The SQLite files miniflare keeps for D1 databases under a state folder (not its metadata). */
function d1Files(stateDir: string): string[] {
	const dir = join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite")
		.map((name) => join(dir, name));
}

/** The one D1 file that has this project's tables; an error naming the candidates otherwise. */
function findDatabase(stateDir: string): string {
	const found = d1Files(stateDir).filter((file) => {
		const db = new DatabaseSync(file, { readOnly: true });
		try {
			return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles'").get() !== undefined;
		} finally {
			db.close();
		}
	});
	if (found.length === 1 && found[0]) return found[0];
	throw new Error(
		found.length === 0
			? `no D1 database with an articles table under ${stateDir} (did the migrations fail?)`
			: `several D1 databases with an articles table under ${stateDir}: ${found.join(", ")}`,
	);
}

/** Takes the write lock (waiting out a dev server's brief writes, such as its cron job), or says who holds it. */
function lockForWriting(db: DatabaseSync, file: string): void {
	try {
		db.exec("BEGIN IMMEDIATE");
	} catch (error) {
		throw new Error(
			`the local D1 (${file}) stayed locked by another process: stop \`npm run dev\` (or whatever else uses this state folder) and run seed:scale again (${(error as Error).message})`,
		);
	}
}

function taxa(db: DatabaseSync, table: "regions" | "topics"): ScaleTaxon[] {
	return db.prepare(`SELECT id, name FROM ${table} ORDER BY id`).all() as ScaleTaxon[];
}

/** The numbers of the synthetic articles already present (a range on the slug index). */
function presentNumbers(db: DatabaseSync): Set<number> {
	const rows = db
		.prepare("SELECT slug FROM articles WHERE slug >= ?1 AND slug < ?2")
		.all(SCALE_SLUG_PREFIX, `${SCALE_SLUG_PREFIX.slice(0, -1)}.`) as { slug: string }[];
	const numbers = new Set<number>();
	for (const { slug } of rows) {
		const n = scaleNumber(slug);
		if (n !== null) numbers.add(n);
	}
	return numbers;
}

/**
 * Makes sure articles 1..`articles` exist (idempotent: those already there are left as they are,
 * and a smaller count than before deletes nothing). Applies the migrations and the sample content
 * first, as `npm run dev` does, so it works on a fresh clone.
 */
export async function seedScale(options: SeedScaleOptions): Promise<SeedScaleResult> {
	const { articles: count, log = () => {} } = options;
	if (!Number.isSafeInteger(count) || count < 0 || count > SCALE_MAX_ARTICLES)
		throw new Error(`--articles must be a whole number from 0 to ${SCALE_MAX_ARTICLES}, not ${count}`);
	const started = performance.now();
	const stateDir = options.persistTo ?? join(root, ".wrangler", "state");
	const location = { persistTo: options.persistTo };

	applyMigrations(location);
	applySeed(location);
	log(`migrations and sample content applied (${Math.round(performance.now() - started)} ms)`);

	const file = findDatabase(stateDir);
	const db = new DatabaseSync(file, { timeout: LOCK_WAIT_MS });
	try {
		lockForWriting(db, file);
		const regions = taxa(db, "regions");
		const topics = taxa(db, "topics");
		const present = presentNumbers(db);
		const anchor = scaleAnchor(options.now ?? Date.now());
		// Written oldest first, so that ids follow creation time as they do in a real newsroom.
		const missing: { n: number; createdAt: number }[] = [];
		for (let n = 1; n <= count; n++)
			if (!present.has(n)) missing.push({ n, createdAt: scaleTimes(n, anchor).createdAt });
		missing.sort((a, b) => a.createdAt - b.createdAt || a.n - b.n);
		log(`${present.size} synthetic articles present; adding ${missing.length}`);

		const insertArticle = db.prepare(
			`INSERT INTO articles (slug, title, summary, body_markdown, body_html, body_text, region_id, topic_id, status,
				published_at, updated_at, created_at, version, deleted_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT(slug) DO NOTHING`,
		);
		const insertRedirect = db.prepare(
			"INSERT INTO slug_redirects (slug, article_id, created_at) VALUES (?, ?, ?) ON CONFLICT(slug) DO NOTHING",
		);
		let added = 0;
		for (const [i, { n }] of missing.entries()) {
			const a = scaleArticle(n, anchor, regions, topics);
			const result = insertArticle.run(
				a.slug,
				a.title,
				a.summary,
				a.bodyMarkdown,
				a.bodyHtml,
				a.bodyText,
				a.regionId,
				a.topicId,
				a.status,
				a.publishedAt,
				a.updatedAt,
				a.createdAt,
				a.deletedAt,
			);
			if (result.changes > 0) {
				added++;
				if (a.retiredSlug) insertRedirect.run(a.retiredSlug, result.lastInsertRowid, a.createdAt);
			}
			if ((i + 1) % BATCH === 0) {
				db.exec("COMMIT");
				log(`  ${i + 1} of ${missing.length} (${Math.round((performance.now() - started) / 1000)} s)`);
				lockForWriting(db, file);
			}
		}
		db.exec("COMMIT");
		// Fold the write-ahead log back into the file, so that the next reader starts from a small one.
		db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
		const total = presentNumbers(db).size;
		return { added, total, ms: Math.round(performance.now() - started) };
	} catch (error) {
		if (db.isTransaction) db.exec("ROLLBACK");
		throw error;
	} finally {
		db.close();
	}
}
