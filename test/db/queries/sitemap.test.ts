import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { homeLastChange, listSitemapChild, listSitemapChildren } from "../../../src/db/queries/sitemap";
import { childIdRange, SITEMAP_CHUNK_SIZE } from "../../../src/lib/sitemaps";
import { countingD1, testDb } from "../../helpers";
import { LIVE_CHILDREN, seedSitemapArticles } from "../sitemap-seed";

const db = testDb();
const LIVE = "status = 'published' AND deleted_at IS NULL AND published_at <= ?1";
const LAST_CHANGE = "max(published_at, updated_at)";

let now: number;
beforeEach(async () => {
	now = Date.now();
	await seedSitemapArticles(now);
});

/** The answer straight from the table, by a full scan: what the indexed queries must agree with. */
async function bruteForce(from: number, until: number) {
	const { results } = await env.DB.prepare(
		`SELECT slug, ${LAST_CHANGE} AS lastmod FROM articles WHERE ${LIVE} AND id >= ?2 AND id < ?3 ORDER BY id`,
	)
		.bind(now, from, until)
		.all<{ slug: string; lastmod: number }>();
	return results;
}

describe("sitemap queries", () => {
	it("lists the children with live articles, each dated by its newest change", async () => {
		const children = await listSitemapChildren(db, now);
		expect(children.map((c) => c.child)).toEqual(LIVE_CHILDREN);
		for (const { child, lastmod } of children) {
			const { from, until } = childIdRange(child);
			const rows = await bruteForce(from, until);
			expect(lastmod, `child ${child}`).toBe(Math.max(...rows.map((r) => r.lastmod)));
		}
	});

	it("a child is exactly the live articles of its id range, newest change first", async () => {
		for (const child of [1, 2, 3, 4, 5, 6, 7]) {
			const { from, until } = childIdRange(child);
			const expected = await bruteForce(from, until);
			const rows = await listSitemapChild(db, child, now);
			expect([...rows].map((r) => r.slug).sort(), `child ${child}`).toEqual(expected.map((r) => r.slug).sort());
			expect(rows.map((r) => r.lastmod)).toEqual([...rows.map((r) => r.lastmod)].sort((a, b) => b - a));
			expect(rows.length).toBeLessThanOrEqual(SITEMAP_CHUNK_SIZE);
		}
	});

	it("dates the home page by the newest change among the articles it shows", async () => {
		const [row] = await homeLastChange(db, now, 20);
		const { results } = await env.DB.prepare(
			`SELECT ${LAST_CHANGE} AS lastmod FROM articles WHERE ${LIVE} ORDER BY published_at DESC, id DESC LIMIT 20`,
		)
			.bind(now)
			.all<{ lastmod: number }>();
		expect(row?.lastmod).toBe(Math.max(...results.map((r) => r.lastmod)));
		await env.DB.prepare("DELETE FROM articles").run();
		expect((await homeLastChange(db, now, 20))[0]?.lastmod).toBeNull();
		expect(await listSitemapChildren(db, now)).toEqual([]);
	});

	// The index must seek each child on articles_sitemap_idx (the expression has to be spelled as
	// the index spells it), never scan the table; a child must range over that index without a sort.
	it.each([
		["the index", () => listSitemapChildren(testDb(recorder().db), now)],
		["a child", () => listSitemapChild(testDb(recorder().db), 4, now)],
	])("%s is an index seek on articles_sitemap_idx", async (_name, run) => {
		await run();
		const queries = last?.queries ?? [];
		expect(queries).toHaveLength(1);
		const q = queries[0];
		if (!q) throw new Error("nothing sent");
		const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
			.bind(...q.params)
			.all<{ detail: string }>();
		const plan = results.map((r) => r.detail).join("\n");
		expect(plan).toMatch(
			/SEARCH articles USING INDEX articles_sitemap_idx \(<expr>=\? AND status=\? AND deleted_at=\?/,
		);
		expect(plan).not.toMatch(/SCAN articles(?! USING INTEGER PRIMARY KEY)|TEMP B-TREE/);
	});
});

let last: ReturnType<typeof countingD1> | undefined;
function recorder() {
	last = countingD1(env.DB);
	return last;
}
