import type { ArticleFacts } from "../../cache/plan";
import type { AdminArticle } from "../../db/queries/article-writes";

// Where an article stands, for a reader and for the cache: one set of rules for the admin's
// badges, its JSON, and the purge plan. The queries that list by state (statusCondition in
// src/db/queries/article-writes.ts) say the same in SQL.

/** Where an article stands for a reader: a published article with a future time is scheduled. */
export type ArticleState = "draft" | "scheduled" | "published" | "trash";

type Lifecycle = Pick<AdminArticle, "status" | "deletedAt" | "publishedAt">;

export function articleState(article: Lifecycle, now: number): ArticleState {
	if (article.deletedAt !== null) return "trash";
	if (article.status === "draft") return "draft";
	return article.publishedAt !== null && article.publishedAt > now ? "scheduled" : "published";
}

/** Readers see it now: published, not in the trash, its time has come (statusCondition "published"). */
export function isLive(article: Lifecycle, now: number): boolean {
	return isOut(article) && article.publishedAt !== null && article.publishedAt <= now;
}

/** Published with a time still to come: the cron makes it appear then (statusCondition "scheduled"). */
export function isScheduled(article: Lifecycle, now: number): boolean {
	return isOut(article) && article.publishedAt !== null && article.publishedAt > now;
}

function isOut(article: Lifecycle): boolean {
	return article.status === "published" && article.deletedAt === null;
}

/** What the purge plan needs to know of the article as it stands at `now`. */
export function factsOf(article: AdminArticle, now: number): ArticleFacts {
	return {
		slug: article.slug,
		topic: article.topic?.slug ?? null,
		region: article.region?.slug ?? null,
		live: isLive(article, now),
		publishedAt: article.publishedAt,
		retiredSlugs: article.retiredSlugs,
		authors: article.authors.map((a) => a.slug),
	};
}
