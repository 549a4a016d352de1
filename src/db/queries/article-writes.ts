import { and, desc, eq, gt, isNotNull, isNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { QueryBuilder, SQLiteInsertSelectQueryBuilder, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../client";
import {
	type Article,
	type ArticleStatus,
	articleAuthors,
	articleCorrections,
	articleMedia,
	articles,
	auditLog,
	media,
	regions,
	slugRedirects,
	topics,
} from "../schema";
import { type CorrectionRow, inTaxon, taxaOf, taxonColumns } from "./articles";
import type { AuditInput } from "./audit";
import { type BylineAuthor, bylineSql, parseByline } from "./authors";
import { correctionsColumn } from "./corrections";
import { type LeadImage, parseLeadImage } from "./media";
import type { Taxon, TaxonKind } from "./taxonomies";

// Articles as the admin sees them (drafts, scheduled and trashed ones too) and the statements
// that change them. Reads return the query itself (awaitable, or usable inside db.batch); every
// write is a statement for the one db.batch that saves an article, guarded so that the batch
// writes all of it or nothing.

/** A stored article with its region and topic resolved and the slugs that redirect to it. */
export type AdminArticleRow = Article & {
	regionSlug: string | null;
	regionName: string | null;
	topicSlug: string | null;
	topicName: string | null;
	/** JSON array text, oldest first. */
	retiredSlugs: string;
	/** JSON array text of { note, at }, oldest first. */
	corrections: string;
	/** bylineSql's JSON: [[slug, name], …] in byline order. */
	authors: string | null;
	/** JSON object text of the lead image's media row (leadImageColumn), or null. */
	leadImage: string | null;
};

/** The lead image's row as one JSON column (or null), by the media primary key. */
export const leadImageColumn = sql<string | null>`(select json_object('id', m.id, 'ext', m.ext, 'width', m.width,
	'height', m.height, 'alt', m.alt, 'caption', m.caption, 'credit', m.credit)
	from ${media} m where m.id = ${articles.leadImageId})`.as("lead_image");

/** An article with its region and topic, and the old slugs that redirect to it (oldest first). */
export type AdminArticle = {
	id: number;
	slug: string;
	title: string;
	summary: string;
	bodyMarkdown: string;
	bodyHtml: string;
	status: ArticleStatus;
	publishedAt: number | null;
	updatedAt: number;
	createdAt: number;
	version: number;
	deletedAt: number | null;
	region: Taxon | null;
	topic: Taxon | null;
	/** Public corrections, oldest first. */
	corrections: CorrectionRow[];
	retiredSlugs: string[];
	/** The byline, in order. */
	authors: BylineAuthor[];
	leadImage: LeadImage | null;
};

const adminColumns = {
	id: articles.id,
	slug: articles.slug,
	title: articles.title,
	summary: articles.summary,
	bodyMarkdown: articles.bodyMarkdown,
	bodyHtml: articles.bodyHtml,
	bodyText: articles.bodyText,
	regionId: articles.regionId,
	topicId: articles.topicId,
	status: articles.status,
	publishedAt: articles.publishedAt,
	updatedAt: articles.updatedAt,
	createdAt: articles.createdAt,
	version: articles.version,
	deletedAt: articles.deletedAt,
	leadImageId: articles.leadImageId,
	...taxonColumns,
	// One statement for a row and its redirects: a range of slug_redirects_article_idx per row,
	// oldest first (the index holds each article's redirects in rowid order, i.e. as they were made).
	retiredSlugs: sql<string>`(select json_group_array(slug) from (select r.slug from ${slugRedirects} r
		where r.article_id = ${articles.id} order by r.rowid))`.as("retired_slugs"),
	corrections: correctionsColumn,
	authors: sql<string | null>`${sql.raw(bylineSql('"articles"."id"'))}`.as("authors"),
	leadImage: leadImageColumn,
};

function selectAdminArticles(db: Db) {
	return db
		.select(adminColumns)
		.from(articles)
		.leftJoin(regions, eq(regions.id, articles.regionId))
		.leftJoin(topics, eq(topics.id, articles.topicId));
}

export function toAdminArticle(row: AdminArticleRow): AdminArticle {
	const retired: unknown = JSON.parse(row.retiredSlugs || "[]");
	return {
		id: row.id,
		slug: row.slug,
		title: row.title,
		summary: row.summary,
		bodyMarkdown: row.bodyMarkdown,
		bodyHtml: row.bodyHtml,
		status: row.status,
		publishedAt: row.publishedAt,
		updatedAt: row.updatedAt,
		createdAt: row.createdAt,
		version: row.version,
		deletedAt: row.deletedAt,
		...taxaOf(row),
		retiredSlugs: Array.isArray(retired) ? retired.filter((slug): slug is string => typeof slug === "string") : [],
		corrections: parseCorrections(row.corrections),
		authors: parseByline(row.authors),
		leadImage: parseLeadImage(row.leadImage),
	};
}

/** correctionsColumn's JSON as rows; anything malformed is left out. */
function parseCorrections(json: string): CorrectionRow[] {
	const parsed: unknown = JSON.parse(json || "[]");
	if (!Array.isArray(parsed)) return [];
	return parsed.filter((c): c is CorrectionRow => typeof c?.note === "string" && typeof c?.at === "number");
}

/** One article by id, whatever its state: a list of zero or one. */
export function findAdminArticle(db: Db, id: number) {
	return selectAdminArticles(db).where(eq(articles.id, id)).limit(1);
}

/** One article by its current slug: a list of zero or one. */
export function findAdminArticleBySlug(db: Db, slug: string) {
	return selectAdminArticles(db).where(eq(articles.slug, slug)).limit(1);
}

export const ADMIN_LIST_STATUSES = ["all", "draft", "published", "scheduled", "trash"] as const;
export type AdminListStatus = (typeof ADMIN_LIST_STATUSES)[number];

/** The sort key of the last row seen; the list runs newest change first. */
export type AdminListAfter = { updatedAt: number; id: number };

export type AdminListArgs = {
	status: AdminListStatus;
	/**
	 * An FTS5 MATCH expression built by parseSearch (src/lib/search.ts), never user text, over the
	 * title, summary and body of every status; null for a search with no words, which matches nothing.
	 */
	match?: string | null;
	topicSlug?: string;
	regionSlug?: string;
	after: AdminListAfter | null;
	limit: number;
	now: number;
};

function statusCondition(status: AdminListStatus, now: number): SQL | undefined {
	switch (status) {
		case "trash":
			return isNotNull(articles.deletedAt);
		case "draft":
			return and(isNull(articles.deletedAt), eq(articles.status, "draft"));
		case "published":
			return and(isNull(articles.deletedAt), eq(articles.status, "published"), lte(articles.publishedAt, now));
		case "scheduled":
			return and(isNull(articles.deletedAt), eq(articles.status, "published"), gt(articles.publishedAt, now));
		case "all":
			return isNull(articles.deletedAt);
	}
}

/**
 * One page of the admin's list, newest change first. Ordered by (updated_at, id), which
 * articles_updated_idx serves without a sort (the rowid is the index's last column); the filters
 * are checked on the rows it walks. Asks for one row more than `limit` to tell whether more follow.
 *
 * A search is driven by its matches instead (test/db/admin-search-rows-read.test.ts measures it):
 * each is looked up by id and the page's ids are sorted out of them, then only the page's rows
 * get their region, topic and retired slugs. That reads about four rows a match, whatever the
 * status, the table's size or the page's depth, so a rare word costs next to nothing. Left to
 * itself, SQLite walks a status's index instead, reading the whole status for a rare word:
 * NOT INDEXED leaves it only the ids.
 */
export function listAdminArticleRows(db: Db, args: AdminListArgs) {
	const conditions: (SQL | undefined)[] = [statusCondition(args.status, args.now)];
	if (args.match === null) conditions.push(sql`0`);
	if (args.match) {
		conditions.push(sql`${articles.id} in (select rowid from articles_fts where articles_fts match ${args.match})`);
	}
	if (args.topicSlug !== undefined) conditions.push(inTaxon("topic", args.topicSlug));
	if (args.regionSlug !== undefined) conditions.push(inTaxon("region", args.regionSlug));
	if (args.after) {
		// The bare range keeps this a range scan of the index; the OR only settles ties.
		conditions.push(
			and(
				lte(articles.updatedAt, args.after.updatedAt),
				or(lt(articles.updatedAt, args.after.updatedAt), lt(articles.id, args.after.id)),
			),
		);
	}
	const order = [desc(articles.updatedAt), desc(articles.id)];
	if (!args.match)
		return selectAdminArticles(db)
			.where(and(...conditions))
			.orderBy(...order)
			.limit(args.limit + 1);
	const page = sql`select ${articles.id} from ${articles} not indexed where ${and(...conditions)}
		order by ${articles.updatedAt} desc, ${articles.id} desc limit ${args.limit + 1}`;
	return selectAdminArticles(db)
		.where(sql`${articles.id} in (${page})`)
		.orderBy(...order);
}

const taxonTables = { topic: topics, region: regions } as const;

/** The id of the topic or region with this slug: a list of zero or one. */
export function findTaxonId(db: Db, kind: TaxonKind, slug: string) {
	const table = taxonTables[kind];
	return db.select({ id: table.id }).from(table).where(eq(table.slug, slug)).limit(1);
}

/** The article (other than `exceptId`) that holds a slug, as its own or a retired one: a list of zero or one. */
export function findSlugHolders(db: Db, slug: string, exceptId: number | null) {
	const other = exceptId === null ? undefined : sql`${articles.id} <> ${exceptId}`;
	return db
		.select({
			id: articles.id,
			title: articles.title,
			slug: articles.slug,
			retired: sql<number>`${articles.slug} <> ${slug}`.as("retired"),
		})
		.from(articles)
		.where(
			and(
				or(
					eq(articles.slug, slug),
					sql`${articles.id} = (select ${slugRedirects.articleId} from ${slugRedirects} where ${slugRedirects.slug} = ${slug})`,
				),
				other,
			),
		)
		.limit(1);
}

// ---- the statements of a save -------------------------------------------------------------------
// D1 runs a batch as one transaction, but without interactive transactions a check made before
// the batch can be stale by the time it runs. So every statement of a save carries the same
// guard, evaluated inside the batch: the article is still at the version the save was based on
// (and, when the slug changes, the new slug is still free). Inserts are INSERT … SELECT … FROM
// articles WHERE <guard>, so they insert nothing when it fails. The guarded UPDATE of the article
// comes last, so every guard sees the same state: all of the save is written, or none of it, and
// the UPDATE's empty RETURNING says which.

/** What a guarded save checks, inside the batch. */
export type SaveGuard = { id: number; version: number; slug?: string };

/** The guard as a condition on `articles` (for statements that select from or update it). */
export function guardWhere(guard: SaveGuard): SQL {
	return and(
		eq(articles.id, guard.id),
		eq(articles.version, guard.version),
		guard.slug === undefined ? undefined : slugFree(guard.slug, guard.id),
	) as SQL;
}

/** No other article has the slug, as its own or as a retired one. */
function slugFree(slug: string, exceptId: number | null): SQL {
	const id = exceptId ?? 0;
	return sql`not exists (select 1 from articles other where other.slug = ${slug} and other.id <> ${id})
		and not exists (select 1 from slug_redirects r where r.slug = ${slug} and r.article_id <> ${id})`;
}

/** The stored columns of an article that a save sets. */
export type ArticleValues = {
	slug: string;
	title: string;
	summary: string;
	bodyMarkdown: string;
	bodyHtml: string;
	bodyText: string;
	regionId: number | null;
	topicId: number | null;
	status: ArticleStatus;
	publishedAt: number | null;
	deletedAt: number | null;
	updatedAt: number;
	/** The library picture above the body, or null. */
	leadImageId: string | null;
};

/** The values of a stored article, as a save that changes nothing else would set them. */
export function articleValuesOf(article: Article, updatedAt: number): ArticleValues {
	const {
		slug,
		title,
		summary,
		bodyMarkdown,
		bodyHtml,
		bodyText,
		regionId,
		topicId,
		status,
		publishedAt,
		deletedAt,
		leadImageId,
	} = article;
	return {
		slug,
		title,
		summary,
		bodyMarkdown,
		bodyHtml,
		bodyText,
		regionId,
		topicId,
		status,
		publishedAt,
		deletedAt,
		updatedAt,
		leadImageId,
	};
}

/** A bound value as a selected column, for INSERT … SELECT. */
export const value = <T>(v: T) => sql<T>`${v}`;

/**
 * The SELECT of an INSERT … SELECT into `table`. Drizzle checks when it builds the statement
 * that the select names the table's columns, in order; its types, though, refuse bound values
 * (sql`${v}`) as columns, hence the cast.
 */
export function selectInto<T extends SQLiteTable>(_table: T, build: (qb: QueryBuilder) => { getSQL(): SQL }) {
	return (qb: QueryBuilder) => build(qb) as unknown as SQLiteInsertSelectQueryBuilder<T>;
}

/**
 * Inserts a new article unless its slug is taken, as another article's slug or a retired one.
 * Returns the new id, or no row when the slug was taken.
 */
export function insertArticleIfSlugFree(db: Db, values: ArticleValues & { createdAt: number }) {
	return db
		.insert(articles)
		.select(
			selectInto(articles, (qb) =>
				qb
					.select({
						id: sql<number>`null`,
						slug: value(values.slug),
						title: value(values.title),
						summary: value(values.summary),
						bodyMarkdown: value(values.bodyMarkdown),
						bodyHtml: value(values.bodyHtml),
						regionId: value(values.regionId),
						topicId: value(values.topicId),
						status: value(values.status),
						publishedAt: value(values.publishedAt),
						updatedAt: value(values.updatedAt),
						createdAt: value(values.createdAt),
						version: sql<number>`1`,
						deletedAt: value(values.deletedAt),
						bodyText: value(values.bodyText),
						leadImageId: value(values.leadImageId),
					})
					// A one-row source: the values are bound, the WHERE decides whether they go in.
					.from(sql`(select 1)`)
					.where(slugFree(values.slug, null)),
			),
		)
		.returning({ id: articles.id });
}

/** The guarded UPDATE: the next version, or no row when the guard failed (nothing was written). */
export function updateArticleGuarded(db: Db, guard: SaveGuard, values: ArticleValues) {
	return db
		.update(articles)
		.set({ ...values, version: guard.version + 1 })
		.where(guardWhere(guard))
		.returning({ id: articles.id, version: articles.version });
}

/** Retires `slug` (the article's slug before this save) so that it answers with a 301. */
export function retireSlugGuarded(db: Db, guard: SaveGuard, slug: string, now: number) {
	return db
		.insert(slugRedirects)
		.select(
			selectInto(slugRedirects, (qb) =>
				qb
					.select({ slug: value(slug), articleId: articles.id, createdAt: value(now) })
					.from(articles)
					.where(guardWhere(guard)),
			),
		)
		.onConflictDoNothing();
}

/** Takes a retired slug back into use: it is the article's own slug again, not a redirect. */
export function unretireSlugGuarded(db: Db, guard: SaveGuard, slug: string) {
	return db
		.delete(slugRedirects)
		.where(
			and(
				eq(slugRedirects.slug, slug),
				eq(slugRedirects.articleId, guard.id),
				sql`exists (select 1 from ${articles} where ${guardWhere(guard)})`,
			),
		);
}

/** Permanently deletes an article in the trash (its revisions and redirects go with it, by cascade). */
export function deleteTrashedArticle(db: Db, id: number) {
	return db
		.delete(articles)
		.where(and(eq(articles.id, id), isNotNull(articles.deletedAt)))
		.returning({ id: articles.id });
}

/** The article, if it is in the trash: a condition on `articles`. */
export function inTrashWhere(id: number): SQL {
	return and(eq(articles.id, id), isNotNull(articles.deletedAt)) as SQL;
}

/**
 * auditInsert (./audit.ts) for a guarded save: one entry for the article row that `where`
 * selects, none when it selects nothing. `subject` may name the row's own id, which for a new
 * article only the batch knows.
 */
export function auditInsertWhere(
	db: Db,
	entry: Omit<AuditInput, "subject">,
	where: SQL,
	subject: SQL<string> = sql<string>`'article:' || ${articles.id}`,
) {
	return db.insert(auditLog).select(
		selectInto(auditLog, (qb) =>
			qb
				.select({
					id: sql<number>`null`,
					at: value(entry.at),
					editorId: value(entry.actor.id),
					editorEmail: value(entry.actor.email),
					action: value(entry.action),
					subject,
					detail: value(JSON.stringify(entry.detail ?? {})),
				})
				.from(articles)
				.where(where),
		),
	);
}

/** How the statements after an article's INSERT find the new row: its slug and creation time. */
export type NewArticleKey = { slug: string; createdAt: number };

/**
 * The article inserted earlier in this batch: version 1, created now, no history yet. When the
 * insert was skipped, no row matches: an older article with the slug has a revision or another
 * creation time (and a retired slug is no article's own). Put it before insertFirstRevision.
 */
export function newArticleWhere(key: NewArticleKey): SQL {
	return and(
		eq(articles.slug, key.slug),
		eq(articles.version, 1),
		eq(articles.createdAt, key.createdAt),
		sql`not exists (select 1 from article_revisions h where h.article_id = ${articles.id})`,
	) as SQL;
}

/**
 * Records a correction with a guarded save: one row for the article row that `where` selects
 * (the article while still at the version the save is based on), none when it selects nothing.
 */
export function insertCorrectionWhere(
	db: Db,
	correction: { note: string; at: number; version: number; editorId: number },
	where: SQL,
) {
	return db.insert(articleCorrections).select(
		selectInto(articleCorrections, (qb) =>
			qb
				.select({
					id: sql<number>`null`,
					articleId: articles.id,
					version: value(correction.version),
					note: value(correction.note),
					at: value(correction.at),
					editorId: value(correction.editorId),
				})
				.from(articles)
				.where(where),
		),
	);
}

/**
 * Sets the byline of the article row that `where` selects (none when it selects nothing): the
 * ids in order, position 0 first. The triggers of migrations/0011_newsroom.sql copy the article's
 * visibility into each row. Put it after clearBylineWhere, and before the article's UPDATE.
 */
export function insertBylineWhere(db: Db, authorIds: number[], where: SQL) {
	// The article's id from a select of its own: json_each has an `id` column too. Its `key` is
	// each id's index in the list: the position.
	const source = sql`(select ${articles.id} as id from ${articles} where ${where}) g
		cross join json_each(${JSON.stringify(authorIds)}) j`;
	return db.insert(articleAuthors).select(
		selectInto(articleAuthors, (qb) =>
			qb
				.select({
					articleId: sql<number>`g.id`,
					authorId: sql<number>`j.value`,
					position: sql<number>`j.key`,
					// The insert trigger sets both from the article.
					listed: sql<boolean>`0`,
					publishedAt: sql<number | null>`null`,
				})
				.from(source),
		),
	);
}

/**
 * Records which library pictures the article uses (article_media) with a guarded save: the lead
 * image and every picture its body embeds. `ids` may name pictures the library does not have (a
 * body can point anywhere): only those it has are recorded. Put it, after clearArticleMediaWhere,
 * before the save's UPDATE (or, for a new article, before insertFirstRevision, as newArticleWhere needs).
 */
export function insertArticleMediaWhere(db: Db, ids: string[], where: SQL) {
	return db.insert(articleMedia).select(
		selectInto(articleMedia, (qb) =>
			qb
				.select({ articleId: articles.id, mediaId: media.id })
				.from(articles)
				.innerJoin(media, sql`${media.id} in (select value from json_each(${JSON.stringify(ids)}))`)
				.where(where),
		),
	);
}

/** Clears the byline of the article, if the guard holds: for a save that replaces it. */
export function clearBylineGuarded(db: Db, guard: SaveGuard) {
	return db
		.delete(articleAuthors)
		.where(
			and(eq(articleAuthors.articleId, guard.id), sql`exists (select 1 from ${articles} where ${guardWhere(guard)})`),
		);
}

/** Forgets the pictures an article used, with a guarded save that then records them again. */
export function clearArticleMediaWhere(db: Db, articleId: number, where: SQL) {
	return db
		.delete(articleMedia)
		.where(and(eq(articleMedia.articleId, articleId), sql`exists (select 1 from ${articles} where ${where})`));
}
