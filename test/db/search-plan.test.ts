import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { SEARCH_CANDIDATES, SEARCH_SQL } from "../../src/db/queries/search";
import { MARK_CLOSE, MARK_OPEN } from "../../src/lib/search";
import { freshTaxa, insertArticle } from "../helpers";

// How SQLite runs the one search statement: the index walked newest first and cut off at
// SEARCH_CANDIDATES, and the snippets made by probing the index by rowid for the page's rows
// only, never by a second walk of every match.

const bindings = (match: string, limit = 21) => [match, Date.now(), null, null, limit, 0, MARK_OPEN, MARK_CLOSE];

async function plan(): Promise<string[]> {
	const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${SEARCH_SQL}`)
		.bind(...bindings('"word"'))
		.all<{ detail: string }>();
	return results.map((r) => r.detail);
}

async function addBulk(from: number, count: number): Promise<void> {
	const numbers = Array.from({ length: count }, (_, i) => from + i);
	for (let i = 0; i < numbers.length; i += 500) {
		await env.DB.batch(
			numbers.slice(i, i + 500).map((n) =>
				env.DB.prepare(
					`INSERT INTO articles (slug, title, summary, body_markdown, body_html, body_text, status, published_at, updated_at, created_at)
						VALUES (?1, 'Common word', 's', 'b', '<p>b</p>', 'b', 'published', ?2, ?2, ?2)`,
				).bind(`bulk-${n}`, Date.now() - 86_400_000 + n),
			),
		);
	}
}

async function search(match: string, limit: number) {
	return env.DB.prepare(SEARCH_SQL)
		.bind(...bindings(match, limit))
		.all<{ slug: string }>();
}

beforeAll(async () => {
	await freshTaxa();
	// More matches than are ranked: the walk must stop at SEARCH_CANDIDATES.
	await addBulk(0, SEARCH_CANDIDATES + 300);
	await insertArticle({ slug: "rare-one", title: "Rare word" });
});

describe("the search statement", () => {
	it("drives the snippets from the ranked page, probing the index by rowid", async () => {
		const detail = await plan();
		const ranked = detail.findIndex((d) => /^SCAN k\b/.test(d));
		const probe = detail.findIndex((d, i) => i > ranked && /VIRTUAL TABLE INDEX \d+:=?M/.test(d));
		expect(ranked, detail.join("\n")).toBeGreaterThanOrEqual(0);
		expect(probe, detail.join("\n")).toBeGreaterThan(ranked);
		// The candidates drive the visibility check, each looked up by id: never a walk of every
		// visible article on articles_public_idx, probing the candidates.
		const text = detail.join("\n");
		expect(text).toMatch(/SCAN c\nSEARCH a USING COVERING INDEX articles_search_idx \(id=\? AND status=\?/);
		expect(text).not.toMatch(/articles_public_idx|AUTOMATIC/);
	});

	it("scores no more than SEARCH_CANDIDATES matches however many there are", async () => {
		const common = await search('"common"', 50);
		expect(common.results).toHaveLength(50);
		// The newest matches only: the oldest bulk articles are beyond the cut.
		expect(common.results.map((r) => r.slug)).not.toContain("bulk-0");
		const rare = await search('"rare"', 50);
		expect(rare.results.map((r) => r.slug)).toEqual(["rare-one"]);
		expect(rare.meta.rows_read).toBeLessThan(50);

		// Twice as many matches read (D1's own count) about the same rows: the cut, not the matches.
		await addBulk(SEARCH_CANDIDATES + 300, SEARCH_CANDIDATES + 300);
		const doubled = await search('"common"', 50);
		expect(doubled.meta.rows_read, `${common.meta.rows_read} then ${doubled.meta.rows_read}`).toBeLessThan(
			common.meta.rows_read * 1.1,
		);
	});
});
