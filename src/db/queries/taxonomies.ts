import { and, asc, eq, exists, getTableName, sql } from "drizzle-orm";
import type { Db } from "../client";
import { articles, regions, topics } from "../schema";

export type Taxon = { slug: string; name: string };
export type TaxonKind = "topic" | "region";

// These return the query itself (awaitable, or usable inside db.batch).

const tables = { topic: topics, region: regions } as const;

function selectTaxa(db: Db, kind: TaxonKind) {
	const table = tables[kind];
	return db.select({ slug: table.slug, name: table.name }).from(table);
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
export type AdminTaxon = { id: number; slug: string; name: string; articleCount: number };

function selectWithCounts(db: Db, kind: TaxonKind) {
	const table = tables[kind];
	// Written out qualified: in a one-table select Drizzle prints bare column names, and a bare
	// "id" inside the subquery would be the article's. Counted through articles_{topic,region}_idx.
	const outerId = sql`${sql.identifier(getTableName(table))}.${sql.identifier("id")}`;
	const column = sql`${sql.identifier(getTableName(articles))}.${sql.identifier(articleColumn[kind].name)}`;
	return db
		.select({
			id: table.id,
			slug: table.slug,
			name: table.name,
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

export function insertTaxon(db: Db, kind: TaxonKind, values: { slug: string; name: string }) {
	const table = tables[kind];
	return db.insert(table).values(values).returning({ id: table.id, slug: table.slug, name: table.name });
}

export function updateTaxon(db: Db, kind: TaxonKind, id: number, values: { slug: string; name: string }) {
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
