import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/client";
import { abortDeleteIfUsed, deleteTaxon, findAdminTaxon, listAdminTaxa } from "../../../src/db/queries/taxonomies";
import { countingD1, freshTaxa, insertArticle, type TestTaxa, testDb } from "../../helpers";

// Taxonomy queries (src/db/queries/taxonomies.ts) on their own: the delete guard's batch, and the
// indexes the admin's list walks.

let taxa: TestTaxa;

beforeEach(async () => {
	taxa = await freshTaxa();
});

describe("the taxon delete guard (query level)", () => {
	it("rolls the delete back when an article uses the topic by the time the batch runs", async () => {
		const db = testDb();
		const id = taxa.topic.energy as number;
		await insertArticle({ topicId: id });
		await expect(db.batch([abortDeleteIfUsed(db, "topic", id), deleteTaxon(db, "topic", id)])).rejects.toThrow();
		expect((await findAdminTaxon(db, "topic", "energy"))?.articleCount).toBe(1);
		const unused = taxa.topic.recycling as number;
		await db.batch([abortDeleteIfUsed(db, "topic", unused), deleteTaxon(db, "topic", unused)]);
		expect((await listAdminTaxa(db, "topic")).map((t) => t.slug)).not.toContain("recycling");
	});
});

describe("indexes", () => {
	async function plansOf(run: (db: Db) => Promise<unknown>) {
		const recorder = countingD1(env.DB);
		await run(testDb(recorder.db));
		const plans: string[] = [];
		for (const q of recorder.queries) {
			const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
				.bind(...q.params)
				.all<{ detail: string }>();
			plans.push(results.map((r) => r.detail).join("\n"));
		}
		return plans;
	}

	// Any covering index led by the taxon's column counts its articles by their entries alone; for a
	// topic, SQLite may as well take the topic-and-region index as the topic one.
	it.each([
		["topic", "topics_slug_unique", "articles_topic_(region_)?idx"],
		["region", "regions_slug_unique", "articles_region_idx"],
	] as const)(
		"the %s list walks the slug index and counts articles through their index",
		async (kind, own, counted) => {
			const [plan] = await plansOf((db) => listAdminTaxa(db, kind));
			expect(plan).toContain(`USING INDEX ${own}`);
			expect(plan).toMatch(new RegExp(`SEARCH articles USING COVERING INDEX ${counted} \\(\\w+_id=\\?\\)`));
			expect(plan).not.toContain("TEMP B-TREE");
		},
	);
});
