import { and, desc, eq, gt, isNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { Cursor } from "../../lib/cursor";
import type { Db } from "../client";
import { articleAuthors, articles, regions, topics } from "../schema";
import { type AuthorInfo, type BylineAuthor, bylineSql, findAuthor, parseByline } from "./authors";
import { type LeadImage, parseLeadImage } from "./media";
import { findTaxon, type Taxon, type TaxonInfo, type TaxonKind } from "./taxonomies";

/** What a list shows of an article, with its region and topic resolved. */
export type ArticleSummaryRow = {
	id: number;
	slug: string;
	title: string;
	summary: string;
	publishedAt: number;
	updatedAt: number;
	regionSlug: string | null;
	regionName: string | null;
	topicSlug: string | null;
	topicName: string | null;
	/** The byline, in order ([] for none). */
	authors: BylineAuthor[];
};

/** A public correction: the editor's note and when it was made. */
export type CorrectionRow = { note: string; at: number };

export type ArticleRow = ArticleSummaryRow & {
	bodyHtml: string;
	/** Oldest first. */
	corrections: CorrectionRow[];
	/** The picture above the body. */
	leadImage: LeadImage | null;
};

/**
 * When readers were last told the article changed: its newest correction, or its publication.
 * Edits without a correction note (a typo fixed) move no reader-facing date; `updatedAt` (the
 * last content change, which API clients sync on) does.
 */
export function readerModifiedAt(article: { publishedAt: number; corrections: CorrectionRow[] }): number {
	return article.corrections.at(-1)?.at ?? article.publishedAt;
}

export type ListFilter = { topicSlug?: string; regionSlug?: string };

export type Page<T> = { items: T[]; next: Cursor | null };

/** Readers see published, not deleted articles whose publication time has come. */
export function isVisible(now: number): SQL {
	return and(eq(articles.status, "published"), isNull(articles.deletedAt), lte(articles.publishedAt, now)) as SQL;
}

// Every column gets a distinct SQL name: inside db.batch, D1 returns rows as objects keyed by
// column name, so two joined columns both called "slug" would overwrite each other.

/** The region and topic of a row left-joined to `regions` and `topics` (an article or a revision). */
export const taxonColumns = {
	regionSlug: sql<string | null>`${regions.slug}`.as("region_slug"),
	regionName: sql<string | null>`${regions.name}`.as("region_name"),
	topicSlug: sql<string | null>`${topics.slug}`.as("topic_slug"),
	topicName: sql<string | null>`${topics.name}`.as("topic_name"),
};

type TaxonColumns = {
	regionSlug: string | null;
	regionName: string | null;
	topicSlug: string | null;
	topicName: string | null;
};

/** The taxonColumns of a row as objects: null where the row has none (or it was deleted). */
export function taxaOf(row: TaxonColumns): { region: Taxon | null; topic: Taxon | null } {
	return {
		region: row.regionSlug !== null && row.regionName !== null ? { slug: row.regionSlug, name: row.regionName } : null,
		topic: row.topicSlug !== null && row.topicName !== null ? { slug: row.topicSlug, name: row.topicName } : null,
	};
}

const summaryColumns = {
	id: articles.id,
	slug: articles.slug,
	title: articles.title,
	summary: articles.summary,
	// Non-null for every visible row (the status check and isVisible guarantee it).
	publishedAt: sql<number>`${articles.publishedAt}`.as("published_at"),
	updatedAt: articles.updatedAt,
	...taxonColumns,
	// The byline (see bylineSql): a range of article_authors' primary key per row.
	authors: sql<string | null>`${sql.raw(bylineSql('"articles"."id"'))}`.mapWith(parseByline).as("authors"),
};

/** Articles joined to their region and topic, as lists show them. */
function selectSummaries(db: Db) {
	return db
		.select(summaryColumns)
		.from(articles)
		.leftJoin(regions, eq(regions.id, articles.regionId))
		.leftJoin(topics, eq(topics.id, articles.topicId));
}

/**
 * Visible rows strictly after the cursor in newest-first order (publishedAt desc, id desc), or all
 * visible rows without one. There is exactly one upper bound on published_at, min(now, cursor):
 * given two, SQLite ranges the index on one and merely filters by the other, and it took `now`,
 * so a page N rows deep read N index entries before its first row.
 */
function visibleAfter(now: number, cursor: Cursor | null): SQL {
	// Every visible row precedes a cursor at or after now (a forged one may point into the future).
	if (!cursor || cursor.publishedAt > now) return isVisible(now);
	// Published by the cursor's time implies published by now. The OR only settles ties: it is
	// checked on the index entries at the cursor's own timestamp, not ranged on.
	return and(
		isVisible(cursor.publishedAt),
		or(lt(articles.publishedAt, cursor.publishedAt), lt(articles.id, cursor.id)),
	) as SQL;
}

const newestFirst = [desc(articles.publishedAt), desc(articles.id)] as const;

/** Articles of the topic or region with this slug (none when there is no such taxon), looked up in the same statement. */
export function inTaxon(kind: TaxonKind, slug: string): SQL {
	const table = kind === "topic" ? topics : regions;
	const column = kind === "topic" ? articles.topicId : articles.regionId;
	return eq(column, sql`(select ${table.id} from ${table} where ${table.slug} = ${slug})`);
}

function listQuery(db: Db, now: number, limit: number, cursor: Cursor | null, filter: ListFilter) {
	const conditions: SQL[] = [visibleAfter(now, cursor)];
	if (filter.topicSlug !== undefined) conditions.push(inTaxon("topic", filter.topicSlug));
	if (filter.regionSlug !== undefined) conditions.push(inTaxon("region", filter.regionSlug));
	// One extra row tells whether another page exists without a COUNT.
	return selectSummaries(db)
		.where(and(...conditions))
		.orderBy(...newestFirst)
		.limit(limit + 1);
}

function toPage(rows: ArticleSummaryRow[], limit: number): Page<ArticleSummaryRow> {
	const items = rows.slice(0, limit);
	const last = items.at(-1);
	const next = rows.length > limit && last ? { publishedAt: last.publishedAt, id: last.id } : null;
	return { items, next };
}

export type ListArgs = { now: number; limit: number; cursor: Cursor | null } & ListFilter;

export type ListResult = {
	page: Page<ArticleSummaryRow>;
	/** The topic filtered by: undefined when not filtering by topic, null when no topic has that slug. */
	topic?: TaxonInfo | null;
	/** Likewise for the region filter. */
	region?: TaxonInfo | null;
};

/**
 * Newest visible articles, optionally of one topic and/or region, one keyset page at a time.
 * The filters' topic and region are looked up in the same round trip (a batch), so that callers
 * can tell "no such topic" from "no articles yet".
 */
export async function listArticles(db: Db, args: ListArgs): Promise<ListResult> {
	const list = listQuery(db, args.now, args.limit, args.cursor, args);
	const filters: [TaxonKind, string][] = [];
	if (args.topicSlug !== undefined) filters.push(["topic", args.topicSlug]);
	if (args.regionSlug !== undefined) filters.push(["region", args.regionSlug]);
	if (filters.length === 0) return { page: toPage(await list, args.limit) };

	// Only the lookups the filters need ride along; the batch's result types are positional.
	const [rows, ...found] = (await db.batch([list, ...filters.map(([kind, slug]) => findTaxon(db, kind, slug))])) as [
		ArticleSummaryRow[],
		...TaxonInfo[][],
	];
	const result: ListResult = { page: toPage(rows, args.limit) };
	filters.forEach(([kind], i) => {
		result[kind] = found[i]?.[0] ?? null;
	});
	return result;
}

export type AuthorListArgs = { slug: string; now: number; limit: number; cursor: Cursor | null };

/**
 * The newest visible articles naming an author, one keyset page at a time, with the author
 * looked up in the same round trip (null: no such author). A range of article_authors_author_idx
 * (author, listed, published_at, article): `listed` and `published_at` are the article's own,
 * copied by triggers, so the page reads only the entries it shows (and one more), as a topic's
 * does. One upper bound on published_at, as in visibleAfter.
 */
export async function listAuthorArticles(
	db: Db,
	args: AuthorListArgs,
): Promise<{ page: Page<ArticleSummaryRow>; author: AuthorInfo | null }> {
	const { cursor, now } = args;
	const at = articleAuthors.publishedAt;
	const bound =
		!cursor || cursor.publishedAt > now
			? lte(at, now)
			: and(lte(at, cursor.publishedAt), or(lt(at, cursor.publishedAt), lt(articleAuthors.articleId, cursor.id)));
	const list = db
		.select(summaryColumns)
		.from(articleAuthors)
		.innerJoin(articles, eq(articles.id, articleAuthors.articleId))
		.leftJoin(regions, eq(regions.id, articles.regionId))
		.leftJoin(topics, eq(topics.id, articles.topicId))
		.where(
			and(
				eq(articleAuthors.authorId, sql`(select id from authors where slug = ${args.slug})`),
				eq(articleAuthors.listed, true),
				bound,
			),
		)
		.orderBy(desc(at), desc(articleAuthors.articleId))
		.limit(args.limit + 1);
	const [rows, found] = await db.batch([list, findAuthor(db, args.slug)]);
	return { page: toPage(rows as ArticleSummaryRow[], args.limit), author: found[0] ?? null };
}

export const RELATED_LIMIT = 5;

export type ArticlePageData = {
	article: ArticleRow | null;
	related: ArticleSummaryRow[];
	/** When the slug is retired: the article's current slug. */
	redirectTo: string | null;
	/**
	 * Which pools beyond the article's own topic Related Articles depended on: a newcomer to the
	 * region, or to the site, can change this page only when the pools before it ran short.
	 */
	dependsOn: { region: boolean; newest: boolean };
};

// The article page is the hottest uncached read, so it is one statement rather than a batch of
// five: D1 charges a fixed cost per statement that dwarfs these index lookups. Each part of the
// UNION ALL is tagged with its role in the first column; each is an index range scan of its own
// (see the EXPLAIN test). Drizzle cannot put ORDER BY/LIMIT on the members of a compound select,
// hence plain SQL, bound by position: ?1 is the slug, ?2 the current time.
// The byline is the last summary column, so that every part carries it (the redirect part pads it).
const SUMMARY_SQL = `a.id, a.slug, a.title, a.summary, a.published_at, a.updated_at, r.slug, r.name, t.slug, t.name,
	${bylineSql("a.id")}`;
const JOINED_SQL = "articles a LEFT JOIN regions r ON r.id = a.region_id LEFT JOIN topics t ON t.id = a.topic_id";
const VISIBLE_SQL = "a.status = 'published' AND a.deleted_at IS NULL AND a.published_at <= ?2";
const OTHERS_SQL = `${VISIBLE_SQL} AND a.slug <> ?1`;
const NEWEST_FIRST_SQL = "ORDER BY a.published_at DESC, a.id DESC";

const Part = { article: 0, sameTopic: 1, sameRegion: 2, newest: 3, redirect: 4 } as const;

// The article's corrections, oldest first (article_corrections_article_idx), as one JSON column of
// its row: D1 allows at most five SELECTs in a compound statement, and this one has five already.
const CORRECTIONS_SQL = `(SELECT json_group_array(json_array(c.note, c.at)) FROM
	(SELECT note, at FROM article_corrections WHERE article_id = a.id ORDER BY at, id) c)`;

// The lead image (picture library, issue 15): its media row as one JSON column, by the media
// primary key, or NULL. It comes after the corrections column in the article part; the other
// parts carry a NULL in its place (the third NULL after SUMMARY_SQL in each).
const LEAD_IMAGE_SQL = `(SELECT json_object('id', m.id, 'ext', m.ext, 'width', m.width, 'height', m.height,
	'alt', m.alt, 'caption', m.caption, 'credit', m.credit) FROM media m WHERE m.id = a.lead_image_id)`;

const ARTICLE_PAGE_SQL = [
	`SELECT ${Part.article}, ${SUMMARY_SQL}, a.body_html, ${CORRECTIONS_SQL}, ${LEAD_IMAGE_SQL} FROM ${JOINED_SQL}
		WHERE a.slug = ?1 AND ${VISIBLE_SQL}`,
	`SELECT * FROM (SELECT ${Part.sameTopic}, ${SUMMARY_SQL}, NULL, NULL, NULL FROM ${JOINED_SQL} WHERE ${OTHERS_SQL}
		AND a.topic_id = (SELECT topic_id FROM articles WHERE slug = ?1) ${NEWEST_FIRST_SQL} LIMIT ${RELATED_LIMIT})`,
	`SELECT * FROM (SELECT ${Part.sameRegion}, ${SUMMARY_SQL}, NULL, NULL, NULL FROM ${JOINED_SQL} WHERE ${OTHERS_SQL}
		AND a.region_id = (SELECT region_id FROM articles WHERE slug = ?1) ${NEWEST_FIRST_SQL} LIMIT ${RELATED_LIMIT})`,
	// Enough of the newest overall to fill the list even if all of them were already picked.
	`SELECT * FROM (SELECT ${Part.newest}, ${SUMMARY_SQL}, NULL, NULL, NULL FROM ${JOINED_SQL} WHERE ${OTHERS_SQL}
		${NEWEST_FIRST_SQL} LIMIT ${RELATED_LIMIT * 3})`,
	// Padded to the width of the others: the summary's 11 columns (byline included), body, corrections, lead image.
	`SELECT ${Part.redirect}, NULL, a.slug, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
		FROM slug_redirects s JOIN articles a ON a.id = s.article_id WHERE s.slug = ?1 AND ${VISIBLE_SQL}`,
].join("\nUNION ALL\n");

type PageRow = [
	part: number,
	id: number,
	slug: string,
	title: string,
	summary: string,
	publishedAt: number,
	updatedAt: number,
	regionSlug: string | null,
	regionName: string | null,
	topicSlug: string | null,
	topicName: string | null,
	/** JSON: [[slug, name], …] (bylineSql), the last summary column. */
	authors: string | null,
	bodyHtml: string | null,
	/** JSON: [[note, at], …] */
	corrections: string | null,
	/** JSON: the lead image's media row (LEAD_IMAGE_SQL), or null. */
	leadImage: string | null,
];

function toSummary(row: PageRow): ArticleSummaryRow {
	const [, id, slug, title, summary, publishedAt, updatedAt, regionSlug, regionName, topicSlug, topicName, authors] =
		row;
	return {
		id,
		slug,
		title,
		summary,
		publishedAt,
		updatedAt,
		regionSlug,
		regionName,
		topicSlug,
		topicName,
		authors: parseByline(authors),
	};
}

/**
 * Everything the article page needs in one D1 statement: the article with its region and
 * topic, the candidates for Related Articles, and the redirect target if the slug was retired.
 */
export async function getArticlePage(db: Db, slug: string, now: number): Promise<ArticlePageData> {
	const rows = await db.$client.prepare(ARTICLE_PAGE_SQL).bind(slug, now).raw<PageRow>();
	const parts: ArticleSummaryRow[][] = [[], [], [], []];
	let article: ArticleRow | null = null;
	let redirectTo: string | null = null;
	for (const row of rows) {
		const part = row[0];
		if (part === Part.redirect) redirectTo ??= row[2];
		// row[11] is the byline (the last summary column), so the body and corrections follow it.
		else if (part === Part.article)
			article = {
				...toSummary(row),
				bodyHtml: row[12] ?? "",
				corrections: parseCorrectionPairs(row[13]),
				leadImage: parseLeadImage(row[14]),
			};
		else parts[part]?.push(toSummary(row));
	}
	const [, sameTopic = [], sameRegion = [], newest = []] = parts;
	return {
		article,
		related: article ? pickRelated([sameTopic, sameRegion, newest], RELATED_LIMIT) : [],
		redirectTo: article ? null : redirectTo,
		dependsOn: {
			region: sameTopic.length < RELATED_LIMIT,
			newest: pickRelated([sameTopic, sameRegion], RELATED_LIMIT).length < RELATED_LIMIT,
		},
	};
}

function parseCorrectionPairs(json: string | null): CorrectionRow[] {
	const pairs: unknown = JSON.parse(json ?? "[]");
	if (!Array.isArray(pairs)) return [];
	return pairs.flatMap((p) =>
		Array.isArray(p) && typeof p[0] === "string" && typeof p[1] === "number" ? [{ note: p[0], at: p[1] }] : [],
	);
}

/** Takes from each candidate list in order of preference, skipping repeats, up to `limit`. */
export function pickRelated(candidates: ArticleSummaryRow[][], limit: number): ArticleSummaryRow[] {
	const picked: ArticleSummaryRow[] = [];
	const seen = new Set<number>();
	for (const list of candidates) {
		for (const row of list) {
			if (picked.length === limit) return picked;
			if (seen.has(row.id)) continue;
			seen.add(row.id);
			picked.push(row);
		}
	}
	return picked;
}

/**
 * Published articles whose publication time fell in (since, until]: scheduled articles that went
 * live in that window. A range on the public index, like the reader lists.
 */
export function listWentLive(db: Db, since: number, until: number) {
	return db
		.select({
			slug: articles.slug,
			publishedAt: sql<number>`${articles.publishedAt}`.as("published_at"),
			regionSlug: sql<string | null>`${regions.slug}`.as("region_slug"),
			topicSlug: sql<string | null>`${topics.slug}`.as("topic_slug"),
			// Its authors' pages list it from now on.
			authors: summaryColumns.authors,
		})
		.from(articles)
		.leftJoin(regions, eq(regions.id, articles.regionId))
		.leftJoin(topics, eq(topics.id, articles.topicId))
		.where(and(isVisible(until), gt(articles.publishedAt, since)))
		.orderBy(articles.publishedAt);
}
