import { asc, eq } from "drizzle-orm";
import type { Db } from "../../types";
import { regions, topics } from "../schema";

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
