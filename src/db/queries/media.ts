import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { articleMedia, articles, type Media, media } from "../schema";

// The picture library's rows (the bytes are in R2, keyed by id and ext) and which articles use them.

export type NewMedia = typeof media.$inferInsert;

export function findMedia(db: Db, id: string) {
	return db.select().from(media).where(eq(media.id, id)).limit(1);
}

/** The rows of these ids (any order); the ones that do not exist are simply missing. */
export function findMediaByIds(db: Db, ids: string[]) {
	return db
		.select()
		.from(media)
		.where(inArray(media.id, ids.length > 0 ? ids : [""]));
}

/** Inserts a picture; an existing id (the same bytes, uploaded before) is left as it is. */
export function insertMedia(db: Db, row: NewMedia) {
	return db.insert(media).values(row).onConflictDoNothing().returning({ id: media.id });
}

/** The sort key of the last row of a page: newest first. */
export type MediaAfter = { createdAt: number; id: string };

/** One page of the library, newest first, with one row more than `limit` to tell whether more follow. */
export function listMedia(db: Db, args: { after: MediaAfter | null; limit: number }) {
	const { after } = args;
	return db
		.select()
		.from(media)
		.where(
			after
				? or(lt(media.createdAt, after.createdAt), and(eq(media.createdAt, after.createdAt), lt(media.id, after.id)))
				: undefined,
		)
		.orderBy(desc(media.createdAt), desc(media.id))
		.limit(args.limit + 1);
}

/**
 * The articles that use a picture, as their lead image or in their body (trashed ones too: they
 * can be restored), by article_media_media_idx and, for lead images, a scan that stays small.
 */
export function articlesUsingMedia(db: Db, id: string) {
	return db
		.select({ id: articles.id, slug: articles.slug, title: articles.title })
		.from(articles)
		.where(
			or(
				eq(articles.leadImageId, id),
				sql`${articles.id} in (select ${articleMedia.articleId} from ${articleMedia} where ${articleMedia.mediaId} = ${id})`,
			),
		)
		.orderBy(articles.id)
		.limit(50);
}

/**
 * Deletes a picture unless an article uses it at the moment of the delete (a save since the check
 * would otherwise leave a reference to nothing): the returned list is empty when it was kept.
 */
export function deleteMediaIfUnused(db: Db, id: string) {
	return db
		.delete(media)
		.where(
			and(
				eq(media.id, id),
				sql`not exists (select 1 from ${articleMedia} where ${articleMedia.mediaId} = ${id})`,
				sql`not exists (select 1 from ${articles} where ${articles.leadImageId} = ${id})`,
			),
		)
		.returning({ id: media.id });
}

/** Updates a picture's words (alt, caption, credit). */
export function updateMediaText(db: Db, id: string, values: Pick<Media, "alt" | "caption" | "credit">) {
	return db.update(media).set(values).where(eq(media.id, id)).returning();
}

/** The picture above an article's body: its library row's parts that pages and JSON show. */
export type LeadImage = {
	id: string;
	ext: string;
	width: number;
	height: number;
	alt: string;
	caption: string;
	credit: string;
};

/** A lead image's JSON column (article-writes' leadImageColumn, the article page's) as a LeadImage; null for none or anything malformed. */
export function parseLeadImage(json: string | null): LeadImage | null {
	if (!json) return null;
	const m: unknown = JSON.parse(json);
	if (typeof m !== "object" || m === null) return null;
	const r = m as Record<string, unknown>;
	const texts = ["id", "ext", "alt", "caption", "credit"].every((k) => typeof r[k] === "string");
	if (!texts || typeof r.width !== "number" || typeof r.height !== "number") return null;
	return r as LeadImage;
}
