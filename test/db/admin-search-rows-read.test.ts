import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type AdminListQuery, listAdminArticles } from "../../src/admin/services/articles";
import { ADMIN_LIST_STATUSES, type AdminListStatus } from "../../src/db/queries/article-writes";
import { encodeCursor } from "../../src/lib/cursor";
import { countingD1, freshTaxa, rowsReadOf, testDb } from "../helpers";

// What the admin's search costs: D1's own meta.rows_read for the statements the service sends,
// over SEEDED articles of every status. A search is driven by its matches (each looked up by id,
// then sorted), so it reads about four rows a match whatever the status filter, the table's size
// or the page's depth; a word few articles have is nearly free.

const SEEDED = 6_000;
const NOW = Date.now();
const HOUR = 3_600_000;
/**
 * What a page of a search may read: about four rows a match (its index entry, the article, the
 * sort), then about four for each row shown (the article again, its region, topic and redirects).
 */
const ceiling = (matches: number, limit: number) => 4 * matches + 5 * (limit + 1) + 20;

/** Every article's text has "common"; one in ten "tenth"; articles 1000, 2000, … 6000 "yttrium". */
async function seed(): Promise<void> {
	const taxa = await freshTaxa();
	await env.DB.prepare(
		`INSERT INTO articles (slug, title, summary, body_markdown, body_html, body_text, topic_id, status,
			published_at, updated_at, created_at, deleted_at)
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
		SELECT 's-' || i, 'Seeded ' || i, 'Summary ' || i, 'b', '<p>b</p>',
			'common text ' || CASE WHEN i % 1000 = 0 THEN 'yttrium ' ELSE '' END || CASE WHEN i % 10 = 0 THEN 'tenth' ELSE '' END,
			?3, CASE WHEN i % 4 = 0 THEN 'draft' ELSE 'published' END,
			CASE WHEN i % 4 = 0 THEN NULL WHEN i % 4 = 1 THEN ?2 + ${HOUR} ELSE ?2 - ${HOUR} END,
			?2 - i * 1000, ?2 - i * 1000, CASE WHEN i % 3000 = 0 THEN ?2 END
		FROM n`,
	)
		.bind(SEEDED, NOW, taxa.topic.energy)
		.run();
}

/** The slugs the list should show, straight from the table, newest change first. */
async function expected(status: AdminListStatus, bodyWord: string): Promise<string[]> {
	const where: Record<AdminListStatus, string> = {
		all: "deleted_at IS NULL",
		draft: "deleted_at IS NULL AND status = 'draft'",
		published: "deleted_at IS NULL AND status = 'published' AND published_at <= ?2",
		scheduled: "deleted_at IS NULL AND status = 'published' AND published_at > ?2",
		trash: "deleted_at IS NOT NULL",
	};
	const { results } = await env.DB.prepare(
		`SELECT slug FROM articles WHERE ${where[status]} AND ?2 > 0 AND ' ' || body_text || ' ' LIKE '% ' || ?1 || ' %'
		ORDER BY updated_at DESC, id DESC`,
	)
		.bind(bodyWord, NOW)
		.all<{ slug: string }>();
	return results.map((r) => r.slug);
}

async function measure(query: AdminListQuery) {
	const counted = countingD1(env.DB);
	const list = await listAdminArticles(testDb(counted.db), query, NOW);
	return { list, rowsRead: await rowsReadOf(env.DB, counted.queries) };
}

beforeAll(async () => {
	await seed();
}, 60_000);

describe(`admin search over ${SEEDED} articles`, () => {
	it.each(ADMIN_LIST_STATUSES)("a rare word (%s) reads next to nothing", async (status) => {
		const { list, rowsRead } = await measure({ status, q: "yttrium", limit: 100 });
		expect(list.items.map((a) => a.slug)).toEqual(await expected(status, "yttrium"));
		// Six articles have the word, in every status between them.
		expect(rowsRead).toBeLessThanOrEqual(ceiling(6, 100));
	});

	it.each(ADMIN_LIST_STATUSES)(
		"a word in one article in ten (%s) reads about four rows a match on every page",
		async (status) => {
			const want = await expected(status, "tenth");
			const seen: string[] = [];
			let cursor: string | null = null;
			do {
				const { list, rowsRead } = await measure({ status, q: "tenth", limit: 100, ...(cursor ? { cursor } : {}) });
				expect(rowsRead).toBeLessThanOrEqual(ceiling(SEEDED / 10, 100));
				seen.push(...list.items.map((a) => a.slug));
				cursor = list.nextCursor;
			} while (cursor);
			expect(seen).toEqual(want);
		},
		60_000,
	);

	it("a word in every article reads about four rows a match, on a deep page as on the first", async () => {
		const first = await measure({ status: "all", q: "common", limit: 50 });
		expect(first.list.items).toHaveLength(50);
		expect(first.rowsRead).toBeLessThanOrEqual(ceiling(SEEDED, 50));
		const last = (await expected("all", "common")).at(-60);
		const row = await env.DB.prepare("SELECT id, updated_at FROM articles WHERE slug = ?")
			.bind(last)
			.first<{ id: number; updated_at: number }>();
		if (!row) throw new Error("no such row");
		const deep = await measure({
			status: "all",
			q: "common",
			limit: 50,
			cursor: encodeCursor({ publishedAt: row.updated_at, id: row.id }),
		});
		expect(deep.list.items).toHaveLength(50);
		expect(deep.rowsRead).toBeLessThanOrEqual(first.rowsRead);
	});

	it("a search with no words reads nothing", async () => {
		const { list, rowsRead } = await measure({ q: '"*"' });
		expect(list).toEqual({ items: [], nextCursor: null, noWords: true });
		expect(rowsRead).toBe(0);
	});
});
