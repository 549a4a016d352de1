import { and, desc, eq, gt, sql } from "drizzle-orm";
import { NEWS_SITEMAP_MAX, NEWS_WINDOW_MS, SITEMAP_CHUNK_SIZE } from "../../lib/sitemaps";
import type { Db } from "../client";
import { articles, lastChange, sitemapChild } from "../schema";
import { isVisible } from "./articles";

// The sitemap's reads. Every one is bounded whatever the table size: the index costs one index
// seek per child, a child reads at most SITEMAP_CHUNK_SIZE rows (its range of ids), and the
// pages child reads the home page's rows. See docs/api.md#sitemaps.

/** A child of the index that has live articles, and when the newest of them last changed. */
export type SitemapChild = { child: number; lastmod: number };

// Every child number from the lowest id's to the highest's (both O(1) on the rowid), each with
// the last change of its newest live article, or null for a child with none (all drafts, trashed,
// or a gap in the ids): those are dropped here rather than by a WHERE on the subquery's value,
// which SQLite would evaluate a second time. The child and the last change are the very
// expressions articles_sitemap_idx is built on (src/db/schema.ts), so each child's lookup is one
// seek on that index, not a read of every live article. A live article's last change is never in
// the future, so the seek starts at now and steps over scheduled articles (whose last change is
// their publication time to come) instead of reading each of them.
export async function listSitemapChildren(db: Db, now: number): Promise<SitemapChild[]> {
	const size = sql.raw(String(SITEMAP_CHUNK_SIZE));
	const last = lastChange(articles);
	const rows = await db.values<[number | null, number | null]>(sql`WITH RECURSIVE chunk(n) AS (
	SELECT min(${articles.id}) / ${size} FROM ${articles}
	UNION ALL SELECT n + 1 FROM chunk WHERE n < (SELECT max(${articles.id}) / ${size} FROM ${articles})
)
SELECT n, (SELECT ${last} FROM ${articles}
	WHERE ${sitemapChild(articles.id)} = chunk.n AND ${isVisible(now)} AND ${last} <= ${now}
	ORDER BY ${last} DESC LIMIT 1)
FROM chunk`);
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

/**
 * The news sitemap's articles: live, published in (now - 48 h, now], newest first, at most
 * NEWS_SITEMAP_MAX. Both bounds are on published_at, so this is one range of articles_public_idx
 * (status, deleted_at, published_at): it reads the rows it lists, however large the archive.
 */
export function listNewsArticles(db: Db, now: number) {
	return db
		.select({
			slug: articles.slug,
			title: articles.title,
			publishedAt: sql<number>`${articles.publishedAt}`.as("published_at"),
		})
		.from(articles)
		.where(and(isVisible(now), gt(articles.publishedAt, now - NEWS_WINDOW_MS)))
		.orderBy(desc(articles.publishedAt), desc(articles.id))
		.limit(NEWS_SITEMAP_MAX);
}
