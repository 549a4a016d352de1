import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { fetchApp, freshTaxa } from "../helpers";

// Keyset walks where many articles share one publication time (an import, a batch of scheduled
// articles going live together): groups much larger than a page, so that pages begin and end
// inside a group and only the id tie-break tells the next page where to start. Drafts, scheduled
// and trashed rows sit inside the groups too. (rows-read.test.ts covers depth with pairs of ties.)

const SEEDED = 3_000;
/** Articles per publication time: 250, ten groups of them. */
const GROUP = 250;
const HOUR = 3_600_000;
const NOW = Date.now();

async function seed(): Promise<void> {
	const taxa = await freshTaxa();
	const { energy, automotive } = taxa.topic;
	const { china, global } = taxa.region;
	await env.DB.prepare(
		`INSERT INTO articles (slug, title, summary, body_markdown, body_html, topic_id, region_id, status,
			published_at, updated_at, created_at, deleted_at)
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
		SELECT 'tied-' || i, 'Tied article ' || i, 'Summary ' || i, 'Body.', '<p>Body.</p>',
			CASE WHEN i % 3 = 0 THEN ?3 ELSE ?4 END,
			CASE WHEN i % 4 = 0 THEN ?5 ELSE ?6 END,
			CASE WHEN i % 13 = 0 THEN 'draft' ELSE 'published' END,
			CASE WHEN i % 19 = 0 THEN ?2 + ${HOUR} ELSE ?2 - ${HOUR} - (i / ${GROUP}) * ${HOUR} END,
			?2, ?2,
			CASE WHEN i % 11 = 0 THEN ?2 END
		FROM n`,
	)
		.bind(SEEDED, NOW, energy, automotive, china, global)
		.run();
}

async function visibleSlugs(filter = ""): Promise<string[]> {
	const { results } = await env.DB.prepare(
		`SELECT slug FROM articles WHERE status = 'published' AND deleted_at IS NULL AND published_at <= ?1 ${filter}
		ORDER BY published_at DESC, id DESC`,
	)
		.bind(Date.now())
		.all<{ slug: string }>();
	return results.map((r) => r.slug);
}

type ListJson = { articles: { slug: string }[]; nextCursor: string | null };

/** Follows nextCursor from page 1 to the end; every slug seen, in order. */
async function walk(path: string): Promise<string[]> {
	const seen: string[] = [];
	let cursor: string | null = null;
	do {
		const res = await fetchApp(cursor === null ? path : `${path}&cursor=${cursor}`);
		expect(res.status).toBe(200);
		const body = (await res.json()) as ListJson;
		seen.push(...body.articles.map((a) => a.slug));
		cursor = body.nextCursor;
	} while (cursor !== null);
	return seen;
}

beforeAll(async () => {
	await seed();
	const groups = await env.DB.prepare(
		"SELECT count(*) AS n FROM (SELECT published_at FROM articles GROUP BY published_at HAVING count(*) >= 200)",
	).first<number>("n");
	expect(groups).toBeGreaterThanOrEqual(10);
}, 60_000);

describe(`keyset walks over ${SEEDED} articles, ${GROUP} to a publication time`, () => {
	it("the whole API list returns every visible article exactly once, in order", async () => {
		const expected = await visibleSlugs();
		expect(expected.length).toBeGreaterThan(2_000);
		const seen = await walk("/api/articles?limit=50");
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen).toEqual(expected);
	}, 60_000);

	it("so does a walk by topic and region whose pages split the groups unevenly", async () => {
		const expected = await visibleSlugs(
			"AND topic_id = (SELECT id FROM topics WHERE slug = 'energy') AND region_id = (SELECT id FROM regions WHERE slug = 'china')",
		);
		expect(expected.length).toBeGreaterThan(150);
		expect(await walk("/api/articles?topic=energy&region=china&limit=7")).toEqual(expected);
	}, 60_000);
});
