import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { type ArticleRevision, articleRevisions, articles, regions, topics } from "../schema";
import { type NewArticleKey, newArticleWhere, selectInto, value } from "./article-writes";
import { taxaOf, taxonColumns } from "./articles";
import type { Taxon } from "./taxonomies";

// An article's history: one full snapshot per save, numbered by the version the save produced.

/** A revision with the region and topic it named, as they are called now (null once deleted). */
export type RevisionRow = ArticleRevision & { region: Taxon | null; topic: Taxon | null };

function selectRevisions(db: Db) {
	return db
		.select({
			id: articleRevisions.id,
			articleId: articleRevisions.articleId,
			version: articleRevisions.version,
			slug: articleRevisions.slug,
			title: articleRevisions.title,
			summary: articleRevisions.summary,
			bodyMarkdown: articleRevisions.bodyMarkdown,
			regionId: articleRevisions.regionId,
			topicId: articleRevisions.topicId,
			status: articleRevisions.status,
			publishedAt: articleRevisions.publishedAt,
			deletedAt: articleRevisions.deletedAt,
			editorId: articleRevisions.editorId,
			editorName: articleRevisions.editorName,
			createdAt: articleRevisions.createdAt,
			...taxonColumns,
		})
		.from(articleRevisions)
		.leftJoin(regions, eq(regions.id, articleRevisions.regionId))
		.leftJoin(topics, eq(topics.id, articleRevisions.topicId));
}

function toRevisionRow(row: Awaited<ReturnType<typeof selectRevisions>>[number]): RevisionRow {
	const { regionSlug, regionName, topicSlug, topicName, ...revision } = row;
	return { ...revision, ...taxaOf(row) };
}

/** Every revision of an article, newest first (a range of article_revisions_version_idx). */
export async function listRevisionRows(db: Db, articleId: number): Promise<RevisionRow[]> {
	const rows = await selectRevisions(db)
		.where(eq(articleRevisions.articleId, articleId))
		.orderBy(desc(articleRevisions.version));
	return rows.map(toRevisionRow);
}

export async function findRevisionRow(db: Db, articleId: number, version: number): Promise<RevisionRow | null> {
	const row = await selectRevisions(db)
		.where(and(eq(articleRevisions.articleId, articleId), eq(articleRevisions.version, version)))
		.get();
	return row ? toRevisionRow(row) : null;
}

/** Whether the article was ever saved as published (scheduled counts): its old slugs may be out there. */
export function publishedRevisionExists(db: Db, articleId: number) {
	return db
		.select({ one: sql<number>`1` })
		.from(articleRevisions)
		.where(and(eq(articleRevisions.articleId, articleId), eq(articleRevisions.status, "published")))
		.limit(1);
}

export type RevisionSnapshot = Pick<
	ArticleRevision,
	| "version"
	| "slug"
	| "title"
	| "summary"
	| "bodyMarkdown"
	| "regionId"
	| "topicId"
	| "status"
	| "publishedAt"
	| "deletedAt"
>;

export type RevisionAuthor = { editorId: number; editorName: string; createdAt: number };

/** The snapshot of a save, written only when `where` (see guardWhere) selects the article. */
export function insertRevisionWhere(db: Db, snapshot: RevisionSnapshot, author: RevisionAuthor, where: SQL) {
	return db.insert(articleRevisions).select(
		selectInto(articleRevisions, (qb) =>
			qb
				.select({
					id: sql<number>`null`,
					articleId: articles.id,
					version: value(snapshot.version),
					slug: value(snapshot.slug),
					title: value(snapshot.title),
					summary: value(snapshot.summary),
					bodyMarkdown: value(snapshot.bodyMarkdown),
					regionId: value(snapshot.regionId),
					topicId: value(snapshot.topicId),
					status: value(snapshot.status),
					publishedAt: value(snapshot.publishedAt),
					deletedAt: value(snapshot.deletedAt),
					editorId: value(author.editorId),
					editorName: value(author.editorName),
					createdAt: value(author.createdAt),
				})
				.from(articles)
				.where(where),
		),
	);
}

/** Who a revision is credited to when it was taken from an article that had no history yet. */
export const UNRECORDED_AUTHOR = "(before revisions were kept)";

/**
 * The row as it stands now, as a revision of its current version, when `where` selects it and
 * that version has no revision yet: articles that entered the database without one (the sample
 * content, an import) get the state a save starts from into their history before the save's own
 * snapshot, so the first save can be diffed, restored from and merged against like any other.
 */
export function insertBaseRevisionIfMissing(db: Db, where: SQL) {
	return insertRowAsRevision(
		db,
		{ editorId: value<number | null>(null), editorName: value(UNRECORDED_AUTHOR), createdAt: articles.updatedAt },
		and(
			where,
			sql`not exists (select 1 from ${articleRevisions} r where r.article_id = ${articles.id} and r.version = ${articles.version})`,
		) as SQL,
	);
}

/** Version 1 of an article inserted earlier in the same batch, copied from its new row. */
export function insertFirstRevision(db: Db, created: NewArticleKey, author: RevisionAuthor) {
	return insertRowAsRevision(
		db,
		{
			editorId: value<number | null>(author.editorId),
			editorName: value(author.editorName),
			createdAt: value(author.createdAt),
		},
		newArticleWhere(created),
	);
}

/** The article row that `where` selects, copied into article_revisions at its own version. */
function insertRowAsRevision(
	db: Db,
	author: { editorId: SQL<number | null>; editorName: SQL<string>; createdAt: SQL<number> | typeof articles.updatedAt },
	where: SQL,
) {
	return db.insert(articleRevisions).select(
		selectInto(articleRevisions, (qb) =>
			qb
				.select({
					id: sql<number>`null`,
					articleId: articles.id,
					version: articles.version,
					slug: articles.slug,
					title: articles.title,
					summary: articles.summary,
					bodyMarkdown: articles.bodyMarkdown,
					regionId: articles.regionId,
					topicId: articles.topicId,
					status: articles.status,
					publishedAt: articles.publishedAt,
					deletedAt: articles.deletedAt,
					editorId: author.editorId,
					editorName: author.editorName,
					createdAt: author.createdAt,
				})
				.from(articles)
				.where(where),
		),
	);
}
