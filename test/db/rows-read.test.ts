import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type Cursor, encodeCursor } from "../../src/lib/cursor";
import { countingD1, fetchApp, freshTaxa, rowsReadOf } from "../helpers";

// Every reader list and the article page must read a bounded number of rows whatever the table
// size and the page depth. The measure is D1's own meta.rows_read for exactly the statements the
// route handlers sent (recorded through a wrapped binding, then run again to read their meta).

const SEEDED = 6_000;
const DEEP = 4_000;
const HOUR = 3_600_000;
const NOW = Date.now();

/**
 * What the byline column adds to each row a list or the article page reads: per author in it, its
 * article_authors key entry and row, and the author's row; the seed's longest bylines have two.
 */
const BYLINE_ROWS = 3 * 2;

/**
 * What a list page may read: each row shown and the look-ahead row cost about three (its index
 * entry, its region, its topic), plus the filters' lookups; the rest is headroom. A list that
 * ranges over more than it shows (a whole topic, or every row above a deep cursor) reads hundreds.
 */
const listCeiling = (limit: number) => (4 + BYLINE_ROWS) * (limit + 1) + 10;
/**
 * The article, 2 × 6 topic and region candidates and 16 newest, about three rows each, plus
 * headroom; and the byline of each of the 26 rows the statement reads (the pools' LIMITs).
 */
const ARTICLE_CEILING = 100 + 26 * BYLINE_ROWS;
/** How much more a deep page may read than page 1: the rows tied with the cursor's timestamp. */
const DEEP_SLACK = 5;

/**
 * Seeds SEEDED articles in one statement. Pairs share a publication time (ties for the id
 * tie-break), five and a half years end to end; drafts, scheduled and trashed rows are interleaved
 * and some rows have no region. Energy × China is rare (about 1 in 30 of either): a list of both
 * that ranged over one of them alone would read far more rows than it shows.
 */
async function seed(): Promise<void> {
	const taxa = await freshTaxa();
	const { energy, automotive, recycling } = taxa.topic;
	const { china, global } = taxa.region;
	const us = taxa.region["united-states"];
	await env.DB.prepare(
		`INSERT INTO articles (slug, title, summary, body_markdown, body_html, topic_id, region_id, status,
			published_at, updated_at, created_at, deleted_at)
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1),
		spread AS (SELECT i, i % 3 AS t, (i / 3) % 3 AS r, ?2 - ${HOUR} - (i / 2) * ${16 * HOUR} AS past FROM n)
		SELECT 'seeded-' || i, 'Seeded article ' || i, 'Summary of seeded article ' || i, 'Body.', '<p>Body.</p>',
			CASE t WHEN 0 THEN ?3 WHEN 1 THEN ?4 ELSE ?5 END,
			CASE WHEN i % 31 = 0 THEN NULL
				WHEN t = 0 AND r = 0 AND i % 30 <> 0 THEN ?7
				ELSE CASE r WHEN 0 THEN ?6 WHEN 1 THEN ?7 ELSE ?8 END END,
			CASE WHEN i % 17 = 0 THEN 'draft' ELSE 'published' END,
			CASE WHEN i % 34 = 0 THEN NULL WHEN i % 23 = 0 THEN ?2 + i * ${HOUR} ELSE past END,
			past, past,
			CASE WHEN i % 29 = 0 THEN ?2 END
		FROM spread`,
	)
		.bind(SEEDED, NOW, energy, automotive, recycling, china, us, global)
		.run();
	// Bylines: Ada on every third article, Bea second to her on every sixth (the triggers copy
	// each article's visibility), so lists pay for the byline column as they would in use.
	await env.DB.batch([
		env.DB.prepare(
			"INSERT INTO authors (slug, name, created_at, updated_at) VALUES ('ada', 'Ada Lovelace', ?1, ?1), ('bea', 'Bea Baker', ?1, ?1)",
		).bind(NOW),
		env.DB.prepare(
			`INSERT INTO article_authors (article_id, author_id, position)
			SELECT id, (SELECT id FROM authors WHERE slug = 'ada'), 0 FROM articles WHERE id % 3 = 0`,
		),
		env.DB.prepare(
			`INSERT INTO article_authors (article_id, author_id, position)
			SELECT id, (SELECT id FROM authors WHERE slug = 'bea'), 1 FROM articles WHERE id % 6 = 0`,
		),
	]);
}

const VISIBLE = "status = 'published' AND deleted_at IS NULL AND published_at <= ?1";

/** The visible articles newest first, straight from the table: what every walk must return. */
async function visibleSlugs(filter = ""): Promise<string[]> {
	const { results } = await env.DB.prepare(
		`SELECT slug FROM articles WHERE ${VISIBLE} ${filter} ORDER BY published_at DESC, id DESC`,
	)
		.bind(Date.now())
		.all<{ slug: string }>();
	return results.map((r) => r.slug);
}

type Row = { slug: string; cursor: Cursor };

/** The visible article `depth` rows down the home list, as a slug and as a cursor pointing at it. */
async function visibleAt(depth: number): Promise<Row> {
	const row = await env.DB.prepare(
		`SELECT slug, published_at, id FROM articles WHERE ${VISIBLE}
		ORDER BY published_at DESC, id DESC LIMIT 1 OFFSET ?2`,
	)
		.bind(Date.now(), depth)
		.first<{ slug: string; published_at: number; id: number }>();
	if (!row) throw new Error(`no visible article ${depth} deep`);
	return { slug: row.slug, cursor: { publishedAt: row.published_at, id: row.id } };
}

/** Sends the request through the app's route handlers and sums D1's rows_read over what they sent. */
async function measure(path: string): Promise<{ res: Response; rowsRead: number }> {
	const counted = countingD1(env.DB);
	const res = await fetchApp(path, undefined, { ...env, DB: counted.db });
	expect(counted.queries.length, path).toBeGreaterThan(0);
	return { res, rowsRead: await rowsReadOf(env.DB, counted.queries) };
}

const withCursor = (path: string, cursor: Cursor) =>
	`${path}${path.includes("?") ? "&" : "?"}cursor=${encodeCursor(cursor)}`;

type ListJson = { articles: { slug: string; publishedAt: string }[]; nextCursor: string | null };

let deep: Row;
let afterDeep: Row;

beforeAll(async () => {
	await seed();
	const count = await env.DB.prepare("SELECT count(*) AS n FROM articles").first<number>("n");
	expect(count).toBe(SEEDED);
	deep = await visibleAt(DEEP);
	afterDeep = await visibleAt(DEEP + 1);
	await env.DB.prepare("INSERT INTO slug_redirects (slug, article_id) VALUES (?1, ?2)")
		.bind(`retired-${deep.slug}`, deep.cursor.id)
		.run();
}, 60_000);

describe(`reader lists over ${SEEDED} articles`, () => {
	it.each([
		["home", "/", 20],
		["a topic", "/topics/energy", 20],
		["a region", "/regions/china", 20],
		["the API", "/api/articles?limit=50", 50],
		["the API by topic", "/api/articles?topic=automotive&limit=50", 50],
		["the API by region", "/api/articles?region=global&limit=5", 5],
		["the API by a rare topic and region", "/api/articles?topic=energy&region=china", 20],
		["the API by a rare topic and region", "/api/articles?topic=energy&region=china&limit=3", 3],
		["the API by topic and region", "/api/articles?topic=recycling&region=united-states&limit=50", 50],
	] as const)("%s (%s) reads as few rows for a page 4,000 rows deep as for page 1", async (_name, path, limit) => {
		const first = await measure(path);
		const later = await measure(withCursor(path, deep.cursor));
		expect(first.res.status).toBe(200);
		expect(later.res.status).toBe(200);
		expect(first.rowsRead).toBeLessThanOrEqual(listCeiling(limit));
		expect(later.rowsRead).toBeLessThanOrEqual(first.rowsRead + DEEP_SLACK);
	});

	it("a deep page starts right after its cursor", async () => {
		const res = await fetchApp(withCursor("/api/articles?limit=2", deep.cursor));
		expect(((await res.json()) as ListJson).articles[0]?.slug).toBe(afterDeep.slug);
		const html = await (await fetchApp(withCursor("/", deep.cursor))).text();
		expect(html).toContain(`/articles/${afterDeep.slug}"`);
		expect(html).not.toContain(`/articles/${deep.slug}"`);
	});

	it("the feed reads no more than a page", async () => {
		const feed = await measure("/feed.xml");
		expect(feed.res.status).toBe(200);
		expect(feed.rowsRead).toBeLessThanOrEqual(listCeiling(20));
	});

	it("a cursor in the future shows page 1, without scheduled articles, for what page 1 reads", async () => {
		const scheduled = await env.DB.prepare(
			"SELECT id, published_at FROM articles WHERE status = 'published' AND deleted_at IS NULL AND published_at > ?1 ORDER BY published_at LIMIT 1",
		)
			.bind(Date.now())
			.first<{ id: number; published_at: number }>();
		if (!scheduled) throw new Error("the seed has no scheduled article");
		const path = "/api/articles?limit=50";
		const first = await measure(path);
		const page1 = ((await first.res.json()) as ListJson).articles.map((a) => a.slug);
		for (const cursor of [
			{ publishedAt: scheduled.published_at, id: scheduled.id },
			{ publishedAt: NOW + 100 * 365 * 24 * HOUR, id: 1 },
		]) {
			const forged = await measure(withCursor(path, cursor));
			const body = (await forged.res.json()) as ListJson;
			expect(body.articles.map((a) => a.slug)).toEqual(page1);
			expect(body.articles.every((a) => Date.parse(a.publishedAt) <= Date.now())).toBe(true);
			expect(forged.rowsRead).toBeLessThanOrEqual(first.rowsRead + DEEP_SLACK);
		}
	});

	it("a cursor older than every article gives an empty page, cheaply", async () => {
		const past = await measure(withCursor("/api/articles?topic=energy", { publishedAt: 0, id: 1 }));
		expect(((await past.res.json()) as ListJson).articles).toEqual([]);
		expect(past.rowsRead).toBeLessThanOrEqual(listCeiling(0));
	});
});

describe("an author's page", () => {
	/** Each row shown: its byline entry, the article, region, topic, and its byline's two authors (two rows each). */
	const authorCeiling = (limit: number) => 8 * (limit + 1) + 10;

	it("reads as few rows for a page 1,000 articles deep as for page 1", async () => {
		const row = await env.DB.prepare(
			`SELECT a.published_at, a.id FROM article_authors x JOIN articles a ON a.id = x.article_id
			WHERE x.author_id = (SELECT id FROM authors WHERE slug = 'ada') AND x.listed = 1 AND x.published_at <= ?1
			ORDER BY x.published_at DESC, x.article_id DESC LIMIT 1 OFFSET 1000`,
		)
			.bind(Date.now())
			.first<{ published_at: number; id: number }>();
		if (!row) throw new Error("Ada has fewer than 1,000 visible articles");
		const first = await measure("/authors/ada");
		const later = await measure(withCursor("/authors/ada", { publishedAt: row.published_at, id: row.id }));
		expect(first.res.status).toBe(200);
		expect(later.res.status).toBe(200);
		expect(first.rowsRead).toBeLessThanOrEqual(authorCeiling(20));
		expect(later.rowsRead).toBeLessThanOrEqual(first.rowsRead + DEEP_SLACK);
		const html = await later.res.text();
		expect(html.match(/<li class="card">/g)).toHaveLength(20);
	});

	it("an unknown author is a cheap 404", async () => {
		const missing = await measure("/authors/nobody");
		expect(missing.res.status).toBe(404);
		expect(missing.rowsRead).toBeLessThanOrEqual(5);
	});
});

describe("keyset walks", () => {
	async function walk(path: string, limit: number): Promise<string[]> {
		const seen: string[] = [];
		let cursor: string | null = null;
		do {
			const page = await measure(cursor === null ? path : `${path}&cursor=${cursor}`);
			expect(page.res.status).toBe(200);
			expect(page.rowsRead, `${path} after ${seen.length}`).toBeLessThanOrEqual(listCeiling(limit));
			const body = (await page.res.json()) as ListJson;
			seen.push(...body.articles.map((a) => a.slug));
			cursor = body.nextCursor;
		} while (cursor !== null);
		return seen;
	}

	it("the whole API list, 50 a page, returns every visible article exactly once, in order", async () => {
		const expected = await visibleSlugs();
		expect(expected.length).toBeGreaterThan(5_000);
		expect(await walk("/api/articles?limit=50", 50)).toEqual(expected);
	}, 60_000);

	it("so does a walk by topic and region, across tied timestamps", async () => {
		const filter =
			"AND topic_id = (SELECT id FROM topics WHERE slug = 'energy') AND region_id = (SELECT id FROM regions WHERE slug = 'china')";
		const expected = await visibleSlugs(filter);
		expect(expected.length).toBeGreaterThan(20);
		expect(await walk("/api/articles?topic=energy&region=china&limit=7", 7)).toEqual(expected);
	});
});

describe("the article page", () => {
	it.each(["/articles/", "/api/articles/"])(
		"%s reads as few rows for an old article as for the newest",
		async (prefix) => {
			const newest = await measure(`${prefix}${(await visibleAt(0)).slug}`);
			const old = await measure(`${prefix}${deep.slug}`);
			expect(newest.res.status).toBe(200);
			expect(old.res.status).toBe(200);
			expect(newest.rowsRead).toBeLessThanOrEqual(ARTICLE_CEILING);
			// Less than the ceiling rather than than the newest: the two articles' topics differ,
			// and so do how many bylines their Related Articles candidates carry.
			expect(old.rowsRead).toBeLessThanOrEqual(ARTICLE_CEILING);
		},
	);

	it("a lead image costs its one media row (by its primary key)", async () => {
		const id = "c".repeat(32);
		const before = await measure(`/articles/${deep.slug}`);
		await env.DB.batch([
			env.DB.prepare(
				"INSERT INTO media (id, ext, type, bytes, width, height, alt, created_at) VALUES (?1, 'png', 'image/png', 1, 4, 3, 'x', 0)",
			).bind(id),
			env.DB.prepare("UPDATE articles SET lead_image_id = ?1 WHERE slug = ?2").bind(id, deep.slug),
		]);
		try {
			const after = await measure(`/articles/${deep.slug}`);
			expect(await after.res.text()).toContain(`/media/${id}.png`);
			expect(after.rowsRead).toBeLessThanOrEqual(before.rowsRead + 1);
		} finally {
			await env.DB.batch([
				env.DB.prepare("UPDATE articles SET lead_image_id = NULL WHERE slug = ?1").bind(deep.slug),
				env.DB.prepare("DELETE FROM media WHERE id = ?1").bind(id),
			]);
		}
	});

	it("a retired slug, a scheduled article and an unknown slug read no more", async () => {
		const scheduled = await env.DB.prepare(
			"SELECT slug FROM articles WHERE status = 'published' AND deleted_at IS NULL AND published_at > ?1 LIMIT 1",
		)
			.bind(Date.now())
			.first<string>("slug");
		for (const [slug, status] of [
			[`retired-${deep.slug}`, 301],
			[scheduled, 404],
			["no-such-article", 404],
		] as const) {
			const page = await measure(`/articles/${slug}`);
			expect(page.res.status, String(slug)).toBe(status);
			expect(page.rowsRead, String(slug)).toBeLessThanOrEqual(ARTICLE_CEILING);
		}
	});
});
