// `npm run test:cli` (with the other script tests): seedScale against a fresh temp state folder, as
// `npm run seed:scale -- --articles 300 --persist-to DIR` runs it. The rows are read back straight
// from miniflare's SQLite file. At 300 articles the kinds are 6 drafts, 3 scheduled and 3 trashed
// (two, one and one per hundred: scaleKindCounts); 100 of each needs 10,000 articles.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, describe, it } from "node:test";
import { renderBody, renderMarkdown } from "../../src/lib/markdown.ts";
import { seedArticles } from "./content.ts";
import { seedScale } from "./scale.ts";
import { scaleKindCounts, scaleNumber } from "./scale-content.ts";

const COUNT = 300;
const NOW = Date.now();

type ArticleRow = {
	id: number;
	slug: string;
	title: string;
	summary: string;
	body_markdown: string;
	body_html: string;
	body_text: string;
	region_id: number | null;
	topic_id: number | null;
	status: string;
	published_at: number | null;
	updated_at: number;
	created_at: number;
	version: number;
	deleted_at: number | null;
};

let state: string;

function open(): DatabaseSync {
	const dir = join(state, "v3", "d1", "miniflare-D1DatabaseObject");
	const files = readdirSync(dir).filter((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite");
	assert.equal(files.length, 1, `one D1 file expected, found ${files.join(", ")}`);
	return new DatabaseSync(join(dir, files[0] as string), { readOnly: true });
}

function synthetic(): ArticleRow[] {
	const db = open();
	try {
		return db.prepare("SELECT * FROM articles WHERE slug LIKE 'scale-%' ORDER BY slug").all() as ArticleRow[];
	} finally {
		db.close();
	}
}

function count(sql: string): number {
	const db = open();
	try {
		return (db.prepare(sql).get() as { n: number }).n;
	} finally {
		db.close();
	}
}

describe(`seedScale with ${COUNT} articles into a fresh state folder`, () => {
	let first: Awaited<ReturnType<typeof seedScale>>;
	let firstRows: ArticleRow[];

	before(async () => {
		state = mkdtempSync(join(tmpdir(), "samarium-scale-test-"));
		first = await seedScale({ articles: COUNT, persistTo: state, now: NOW });
		firstRows = synthetic();
	});
	after(() => rmSync(state, { recursive: true, force: true }));

	it("applies the migrations and the sample content, then adds every article", () => {
		assert.equal(first.added, COUNT);
		assert.equal(first.total, COUNT);
		assert.equal(firstRows.length, COUNT);
		assert.equal(count("SELECT count(*) AS n FROM articles WHERE slug NOT LIKE 'scale-%'"), seedArticles.length);
		assert.deepEqual(
			firstRows.map((r) => scaleNumber(r.slug)),
			Array.from({ length: COUNT }, (_, i) => i + 1),
		);
	});

	it("writes drafts, scheduled, trashed and published articles in the documented shares", () => {
		const expected = scaleKindCounts(COUNT);
		assert.deepEqual(expected, { draft: 6, scheduled: 3, trashed: 3, published: 288 });
		const trashed = firstRows.filter((r) => r.deleted_at !== null);
		const live = firstRows.filter((r) => r.deleted_at === null);
		assert.equal(trashed.length, expected.trashed);
		assert.equal(live.filter((r) => r.status === "draft").length, expected.draft);
		assert.equal(
			live.filter((r) => r.status === "published" && (r.published_at ?? 0) > NOW).length,
			expected.scheduled,
		);
		assert.equal(
			live.filter((r) => r.status === "published" && (r.published_at ?? 0) <= NOW).length,
			expected.published,
		);
		for (const r of trashed) assert.ok((r.deleted_at ?? 0) <= NOW && (r.deleted_at ?? 0) >= r.created_at);
	});

	it("looks like real articles: every topic and region, three years of dates, 150+ words, the app's HTML", () => {
		assert.equal(new Set(firstRows.map((r) => r.topic_id)).size, count("SELECT count(*) AS n FROM topics"));
		assert.equal(new Set(firstRows.map((r) => r.region_id)).size, count("SELECT count(*) AS n FROM regions"));
		const published = firstRows.filter((r) => r.status === "published" && r.published_at !== null);
		const times = published.map((r) => r.published_at as number).filter((t) => t <= NOW);
		assert.ok(NOW - Math.min(...times) > 3 * 365 * 86_400_000 * 0.9, "spread over about three years");
		assert.ok(NOW - Math.max(...times) < 3 * 86_400_000, "the newest from the last days");
		const words = firstRows.reduce((sum, r) => sum + r.body_markdown.split(/\s+/).length, 0) / firstRows.length;
		assert.ok(words >= 150, `average body ${words} words`);
		assert.ok(new Set(firstRows.map((r) => r.title)).size > COUNT * 0.95, "titles vary");
		for (const r of firstRows) {
			assert.equal(r.body_html, renderMarkdown(r.body_markdown), r.slug);
			assert.ok(r.created_at <= r.updated_at && r.version === 1, r.slug);
			if (r.published_at !== null && r.published_at <= NOW) assert.ok(r.created_at <= r.published_at, r.slug);
		}
	});

	it("stores the searchable text of the same parse as the HTML, and the triggers index every article once", () => {
		for (const r of firstRows) {
			const { text } = renderBody(r.body_markdown);
			assert.equal(r.body_text, text, r.slug);
			assert.ok(text.length > 0, r.slug);
		}
		const db = open();
		try {
			const indexed = db
				.prepare(
					`SELECT a.slug, f.title = a.title AND f.summary = a.summary AND f.body = a.body_text AS same
					FROM articles a LEFT JOIN articles_fts f ON f.rowid = a.id`,
				)
				.all() as { slug: string; same: number | null }[];
			assert.equal(indexed.length, COUNT + seedArticles.length);
			for (const row of indexed) assert.equal(row.same, 1, `${row.slug} is not in the search index as it is stored`);
			const rows = db.prepare("SELECT count(*) AS n FROM articles_fts").get() as { n: number };
			assert.equal(rows.n, COUNT + seedArticles.length, "one index row per article, no more");
			// What a reader's search goes through: the index finds words of the synthetic bodies.
			const found = db
				.prepare("SELECT count(*) AS n FROM articles_fts WHERE articles_fts MATCH ?1")
				.get('"magnets"') as { n: number };
			assert.ok(found.n > COUNT / 2, `"magnets" matches ${found.n} rows`);
		} finally {
			db.close();
		}
	});

	it("retires a bare-number slug for one article in fifty, leading to it", () => {
		const db = open();
		try {
			const redirects = db
				.prepare("SELECT s.slug, a.slug AS target FROM slug_redirects s JOIN articles a ON a.id = s.article_id")
				.all() as { slug: string; target: string }[];
			assert.equal(redirects.length, 6);
			for (const r of redirects) assert.ok(r.target.startsWith(`${r.slug}-`), r.slug);
		} finally {
			db.close();
		}
	});

	it("a second run adds nothing and leaves every row as it was; a smaller count deletes nothing", async () => {
		const again = await seedScale({ articles: COUNT, persistTo: state, now: NOW });
		assert.deepEqual([again.added, again.total], [0, COUNT]);
		assert.deepEqual(synthetic(), firstRows);
		const fewer = await seedScale({ articles: 100, persistTo: state, now: NOW });
		assert.deepEqual([fewer.added, fewer.total], [0, COUNT]);
	});

	it("more articles later: only the new numbers are added, the earlier rows unchanged", async () => {
		const more = await seedScale({ articles: COUNT + 20, persistTo: state, now: NOW });
		assert.deepEqual([more.added, more.total], [20, COUNT + 20]);
		const rows = synthetic();
		const byNumber = (n: number) => rows.find((r) => scaleNumber(r.slug) === n);
		for (const r of firstRows) assert.deepEqual(byNumber(scaleNumber(r.slug) ?? 0), r);
	});

	it("refuses a count that is not a whole number in range, before touching anything", async () => {
		for (const articles of [-1, 1.5, Number.NaN, 1_000_000])
			await assert.rejects(seedScale({ articles, persistTo: join(state, "never") }), /--articles must be/);
	});
});
