import { and, asc, eq, exists, getTableName, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { articles, regions, topics } from "../schema";

export type Taxon = { slug: string; name: string };
/** A taxon as its own page and the indexes show it: with its one-line description ("" for none). */
export type TaxonInfo = Taxon & { description: string };
export type TaxonKind = "topic" | "region";

// These return the query itself (awaitable, or usable inside db.batch).

const tables = { topic: topics, region: regions } as const;

function selectTaxa(db: Db, kind: TaxonKind) {
	const table = tables[kind];
	return db.select({ slug: table.slug, name: table.name, description: table.description }).from(table);
}

export function listTopics(db: Db) {
	return selectTaxa(db, "topic").orderBy(asc(topics.name));
}

export function listRegions(db: Db) {
	return selectTaxa(db, "region").orderBy(asc(regions.name));
}

/** The topic or region with this slug: a list of zero or one. */
export function findTaxon(db: Db, kind: TaxonKind, slug: string) {
	return selectTaxa(db, kind).where(eq(tables[kind].slug, slug)).limit(1);
}

// Topics and regions as the admin manages them, returned the same way so that a change and its
// audit entry commit together in one db.batch.

const articleColumn = { topic: articles.topicId, region: articles.regionId } as const;

/** A topic or region with how many articles (drafts and trash included) use it. */
export type AdminTaxon = { id: number; slug: string; name: string; description: string; articleCount: number };

// Written out qualified: in a one-table select Drizzle prints bare column names, and a bare "id"
// inside a subquery would be the article's.
const qualified = (table: string, column: string) => sql`${sql.identifier(table)}.${sql.identifier(column)}`;

function selectWithCounts(db: Db, kind: TaxonKind) {
	const table = tables[kind];
	// Counted through articles_{topic,region}_idx.
	const outerId = qualified(getTableName(table), "id");
	const column = qualified(getTableName(articles), articleColumn[kind].name);
	return db
		.select({
			id: table.id,
			slug: table.slug,
			name: table.name,
			description: table.description,
			articleCount: sql<number>`(select count(*) from ${articles} where ${column} = ${outerId})`.as("article_count"),
		})
		.from(table);
}

/** By slug: the unique index walks them in that order, so the list needs no sort step. */
export function listAdminTaxa(db: Db, kind: TaxonKind) {
	return selectWithCounts(db, kind).orderBy(asc(tables[kind].slug));
}

export async function findAdminTaxon(db: Db, kind: TaxonKind, slug: string): Promise<AdminTaxon | null> {
	return (await selectWithCounts(db, kind).where(eq(tables[kind].slug, slug)).get()) ?? null;
}

export type TaxonValues = { slug: string; name: string; description: string };

export function insertTaxon(db: Db, kind: TaxonKind, values: TaxonValues) {
	const table = tables[kind];
	return db.insert(table).values(values).returning({ id: table.id, slug: table.slug, name: table.name });
}

export function updateTaxon(db: Db, kind: TaxonKind, id: number, values: TaxonValues) {
	const table = tables[kind];
	return db.update(table).set(values).where(eq(table.id, id));
}

export function deleteTaxon(db: Db, kind: TaxonKind, id: number) {
	const table = tables[kind];
	return db.delete(table).where(eq(table.id, id));
}

/**
 * Put first in the batch that deletes the taxon: if an article uses it by then (one saved since
 * the count was read), this breaks the NOT NULL on `name` and D1 rolls the whole batch back,
 * instead of the foreign key's ON DELETE SET NULL quietly stripping the article of it.
 */
export function abortDeleteIfUsed(db: Db, kind: TaxonKind, id: number) {
	const table = tables[kind];
	const used = db.select({ one: sql`1` }).from(articles).where(eq(articleColumn[kind], id));
	return db
		.update(table)
		.set({ name: sql`null` })
		.where(and(eq(table.id, id), exists(used)));
}

/** A taxon in the reader's index of them all: its visible articles counted, and the newest of them. */
export type TaxonIndexRow = TaxonInfo & {
	articleCount: number;
	newestSlug: string | null;
	newestTitle: string | null;
	newestPublishedAt: number | null;
};

/**
 * Every topic (or region) by name, each with its count of visible articles and its newest
 * visible article: both correlated subqueries on the taxon's id, so each is a range of
 * articles_{topic,region}_idx (taxon, status, deleted_at, published_at <= now). The newest is one
 * seek to the end of that range; the count reads the range's index entries (no article rows), so
 * the page costs about one index entry per visible article, and it is cached and purged whole.
 */
export function listTaxonIndex(db: Db, kind: TaxonKind, now: number) {
	const table = tables[kind];
	const t = getTableName(table);
	const a = getTableName(articles);
	const visibleIn: SQL = sql`${qualified(a, articleColumn[kind].name)} = ${qualified(t, "id")}
		and ${qualified(a, "status")} = 'published' and ${qualified(a, "deleted_at")} is null
		and ${qualified(a, "published_at")} <= ${now}`;
	const newestId = sql`(select ${qualified(a, "id")} from ${articles} where ${visibleIn}
		order by ${qualified(a, "published_at")} desc, ${qualified(a, "id")} desc limit 1)`;
	// The newest article's row is then read by its id (the rowid). A subquery rather than
	// drizzle's alias(), which would add its proxies to the bundle; SQLite flattens it into a join.
	const newest = db
		.select({ id: articles.id, slug: articles.slug, title: articles.title, publishedAt: articles.publishedAt })
		.from(articles)
		.as("newest");
	return db
		.select({
			slug: table.slug,
			name: table.name,
			description: table.description,
			articleCount: sql<number>`(select count(*) from ${articles} where ${visibleIn})`.as("article_count"),
			newestSlug: sql<string | null>`${newest.slug}`.as("newest_slug"),
			newestTitle: sql<string | null>`${newest.title}`.as("newest_title"),
			newestPublishedAt: sql<number | null>`${newest.publishedAt}`.as("newest_published_at"),
		})
		.from(table)
		.leftJoin(newest, eq(newest.id, newestId))
		.orderBy(asc(table.name));
}
