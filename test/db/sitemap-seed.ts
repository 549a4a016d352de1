import { env } from "cloudflare:workers";
import { SITEMAP_CHUNK_SIZE } from "../../src/lib/sitemaps";
import { freshTaxa } from "../helpers";

// Articles spread over the sitemap's fixed id ranges (SITEMAP_CHUNK_SIZE ids a child), so a few
// thousand rows make several children at the real child size: explicit ids place them.

const HOUR = 3_600_000;

/** Id ranges seeded (inclusive), and what each child (1-based) should hold. */
export const SEEDED_RANGES: [number, number][] = [
	[1, 1200], // child 1
	[SITEMAP_CHUNK_SIZE - 10, SITEMAP_CHUNK_SIZE + 10], // across the boundary of children 1 and 2
	[2 * SITEMAP_CHUNK_SIZE, 2 * SITEMAP_CHUNK_SIZE + 40], // child 3: none of these is live (see below)
	[3 * SITEMAP_CHUNK_SIZE, 3 * SITEMAP_CHUNK_SIZE + 999], // child 4; child 5 has no ids at all
	[6 * SITEMAP_CHUNK_SIZE - 1000, 6 * SITEMAP_CHUNK_SIZE - 1], // child 6, up to its very last id
];
/** The children that list something; 3 (nothing live) and 5 (no ids) are 404. */
export const LIVE_CHILDREN = [1, 2, 4, 6];
export const SEEDED_MAX_ID = 6 * SITEMAP_CHUNK_SIZE - 1;

/**
 * Seeds the ranges in one batch: within each, every 17th id a draft, every 23rd scheduled, every
 * 29th trashed, and every 7th edited after publication (its lastmod is the edit); the rest live.
 * Child 3's rows are all drafts, scheduled or trashed. Returns the visible slugs.
 */
export async function seedSitemapArticles(now = Date.now()): Promise<string[]> {
	const taxa = await freshTaxa();
	const insert = (from: number, to: number, onlyHidden: boolean) =>
		env.DB.prepare(
			`INSERT INTO articles (id, slug, title, summary, body_markdown, body_html, topic_id, status,
				published_at, updated_at, created_at, deleted_at)
			WITH RECURSIVE n(i) AS (SELECT CAST(?1 AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i < ?2),
			kind AS (SELECT i, CASE WHEN i % 17 = 0 THEN 'draft' WHEN i % 23 = 0 THEN 'scheduled'
				WHEN i % 29 = 0 THEN 'trashed' WHEN ?5 THEN CASE i % 3 WHEN 0 THEN 'draft' WHEN 1 THEN 'scheduled'
				ELSE 'trashed' END ELSE 'live' END AS k, ?3 - ${HOUR} - i * 60000 AS past FROM n)
			SELECT i, 'seeded-' || i, 'Seeded ' || i, 'Summary ' || i, 'Body.', '<p>Body.</p>', ?4,
				CASE k WHEN 'draft' THEN 'draft' ELSE 'published' END,
				CASE k WHEN 'draft' THEN NULL WHEN 'scheduled' THEN ?3 + ${HOUR} + i ELSE past END,
				CASE WHEN i % 7 = 0 AND k = 'live' THEN past + ${HOUR} / 2 ELSE past END,
				past,
				CASE k WHEN 'trashed' THEN ?3 END
			FROM kind`,
		).bind(from, to, now, taxa.topic.energy, onlyHidden ? 1 : 0);
	const child3 = 2 * SITEMAP_CHUNK_SIZE;
	await env.DB.batch([
		// Autoincrement continues after the largest id ever used, kept across this file's resets:
		// forgetting it makes the next article the admin creates SEEDED_MAX_ID + 1 in every test.
		env.DB.prepare("DELETE FROM sqlite_sequence WHERE name = 'articles'"),
		...SEEDED_RANGES.map(([from, to]) => insert(from, to, from === child3)),
	]);
	const { results } = await env.DB.prepare(
		"SELECT slug FROM articles WHERE status = 'published' AND deleted_at IS NULL AND published_at <= ?1 ORDER BY id",
	)
		.bind(now)
		.all<{ slug: string }>();
	return results.map((r) => r.slug);
}
