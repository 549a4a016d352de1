import { and, desc, eq, sql } from "drizzle-orm";
import { SITEMAP_CHUNK_SIZE } from "../../lib/sitemaps";
import type { Db } from "../client";
import { articles, lastChange, sitemapChild } from "../schema";
import { isVisible } from "./articles";

// The sitemap's reads. Every one is bounded whatever the table size: the index costs one index
// seek per child, a child reads at most SITEMAP_CHUNK_SIZE rows (its range of ids), and the
// pages child reads the home page's rows. See docs/api.md#sitemaps.

/** A child of the index that has live articles, and when the newest of them last changed. */
export type SitemapChild = { child: number; lastmod: number };

// Spelled exactly as articles_sitemap_idx spells them (src/db/schema.ts), so that each child's
// lookup is a seek on that index: one row per child, not a read of every live article.
const CHILD_SQL = `(id / ${SITEMAP_CHUNK_SIZE})`;
const LAST_CHANGE_SQL = "(case when published_at > updated_at then published_at else updated_at end)";

// Every child number from the lowest id's to the highest's (both O(1) on the rowid), each with
// the last change of its newest live article, or null for a child with none (all drafts, trashed,
// or a gap in the ids): those are dropped here rather than by a WHERE on the subquery's value,
// which SQLite would evaluate a second time. ?1 is the current time. A live article's last change is never in the
// future, so the seek starts at now and steps over scheduled articles (whose last change is
// their publication time to come) instead of reading each of them.
const CHILDREN_SQL = `WITH RECURSIVE chunk(n) AS (
	SELECT min(id) / ${SITEMAP_CHUNK_SIZE} FROM articles
	UNION ALL SELECT n + 1 FROM chunk WHERE n < (SELECT max(id) / ${SITEMAP_CHUNK_SIZE} FROM articles)
)
SELECT n, (SELECT ${LAST_CHANGE_SQL} FROM articles
	WHERE ${CHILD_SQL} = chunk.n AND status = 'published' AND deleted_at IS NULL
		AND ${LAST_CHANGE_SQL} <= ?1 AND published_at <= ?1
	ORDER BY ${LAST_CHANGE_SQL} DESC LIMIT 1)
FROM chunk`;

/** The article children that list at least one live article, in order, for the sitemap index. */
export async function listSitemapChildren(db: Db, now: number): Promise<SitemapChild[]> {
	const rows = await db.$client.prepare(CHILDREN_SQL).bind(now).raw<[number | null, number | null]>();
	return rows.flatMap(([n, lastmod]) => (n !== null && lastmod !== null ? [{ child: n + 1, lastmod }] : []));
}

/** The live articles of one child (1-based), most recently changed first: at most SITEMAP_CHUNK_SIZE rows. */
export function listSitemapChild(db: Db, child: number, now: number) {
	return db
		.select({ slug: articles.slug, lastmod: sql<number>`${lastChange(articles)}`.as("lastmod") })
		.from(articles)
		.where(and(eq(sitemapChild(articles.id), child - 1), isVisible(now)))
		.orderBy(desc(lastChange(articles)), desc(articles.id));
}

/** The last change among the newest `limit` live articles (what the home page shows), if any. */
export function homeLastChange(db: Db, now: number, limit: number) {
	const newest = db
		.select({ lastmod: sql<number>`${lastChange(articles)}`.as("lastmod") })
		.from(articles)
		.where(isVisible(now))
		.orderBy(desc(articles.publishedAt), desc(articles.id))
		.limit(limit)
		.as("newest");
	return db.select({ lastmod: sql<number | null>`max(${newest.lastmod})` }).from(newest);
}
