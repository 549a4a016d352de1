import { asc } from "drizzle-orm";
import type { Db } from "../../types";
import { regions, topics } from "../schema";

export type Taxon = { slug: string; name: string };

// These return the query itself (awaitable, or usable inside db.batch).

export function listTopics(db: Db) {
	return db.select({ slug: topics.slug, name: topics.name }).from(topics).orderBy(asc(topics.name));
}

export function listRegions(db: Db) {
	return db.select({ slug: regions.slug, name: regions.name }).from(regions).orderBy(asc(regions.name));
}
