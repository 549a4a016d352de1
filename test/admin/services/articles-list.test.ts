import { beforeEach, describe, expect, it } from "vitest";
import { type AdminListQuery, getAdminArticle, listAdminArticles } from "../../../src/admin/services/articles";
import { freshTaxa, insertArticle, type TestTaxa, testDb } from "../../helpers";
import { HOUR, NOW, refusal } from "./helpers";

// The article service's reading side: the admin list (its states at the time boundary, its
// filters, pages and refusals) and one article by id.

let taxa: TestTaxa;

beforeEach(async () => {
	taxa = await freshTaxa();
});

const list = (query: AdminListQuery, now = NOW) => listAdminArticles(testDb(), query, now);
const slugs = async (query: AdminListQuery, now = NOW) => (await list(query, now)).items.map((a) => a.slug);

/** One article in each state at NOW, changed in this order (the list shows the newest change first). */
async function oneOfEach() {
	await insertArticle({ slug: "a-draft", status: "draft", publishedAt: null, updatedAt: NOW - 5 * HOUR });
	await insertArticle({ slug: "out-now", publishedAt: NOW, updatedAt: NOW - 4 * HOUR });
	await insertArticle({ slug: "out-soon", publishedAt: NOW + 1, updatedAt: NOW - 3 * HOUR });
	await insertArticle({ slug: "binned", publishedAt: NOW - HOUR, deletedAt: NOW - HOUR, updatedAt: NOW - 2 * HOUR });
}

describe("listAdminArticles", () => {
	it("lists each state, with a time of exactly now counting as published", async () => {
		await oneOfEach();
		expect(await slugs({})).toEqual(["out-soon", "out-now", "a-draft"]);
		expect(await slugs({ status: "all" })).toEqual(["out-soon", "out-now", "a-draft"]);
		expect(await slugs({ status: "draft" })).toEqual(["a-draft"]);
		expect(await slugs({ status: "published" })).toEqual(["out-now"]);
		expect(await slugs({ status: "scheduled" })).toEqual(["out-soon"]);
		expect(await slugs({ status: "trash" })).toEqual(["binned"]);
		// A millisecond later the scheduled one is out.
		expect(await slugs({ status: "published" }, NOW + 1)).toEqual(["out-soon", "out-now"]);
		expect(await slugs({ status: "scheduled" }, NOW + 1)).toEqual([]);
	});

	it("filters by topic and region, and by title text taken literally", async () => {
		await insertArticle({ slug: "a", title: "100% recycled", topicId: taxa.topic.recycling, updatedAt: NOW - 3 });
		await insertArticle({ slug: "b", title: "1000 recycled", topicId: taxa.topic.recycling, updatedAt: NOW - 2 });
		await insertArticle({ slug: "c", title: "Grid_scale", regionId: taxa.region.china, updatedAt: NOW - 1 });

		expect(await slugs({ topic: "recycling" })).toEqual(["b", "a"]);
		expect(await slugs({ region: "china" })).toEqual(["c"]);
		expect(await slugs({ topic: "recycling", region: "china" })).toEqual([]);
		expect(await slugs({ q: "100%" })).toEqual(["a"]);
		expect(await slugs({ q: "  RECYCLED " })).toEqual(["b", "a"]);
		expect(await slugs({ q: "d_s" })).toEqual(["c"]);
		// As a LIKE pattern "r_d" would match "Grid".
		expect(await slugs({ q: "r_d" })).toEqual([]);
		// A topic no article has is an empty list, not an error.
		expect(await slugs({ topic: "energy" })).toEqual([]);
	});

	it("pages newest change first, ties broken by id, with a cursor to continue from", async () => {
		for (const slug of ["one", "two", "three"]) await insertArticle({ slug, updatedAt: NOW });
		await insertArticle({ slug: "older", updatedAt: NOW - HOUR });

		const first = await list({ limit: 2 });
		expect(first.items.map((a) => a.slug)).toEqual(["three", "two"]);
		expect(first.nextCursor).toEqual(expect.any(String));
		const second = await list({ limit: 2, cursor: first.nextCursor ?? "" });
		expect(second.items.map((a) => a.slug)).toEqual(["one", "older"]);
		expect(second.nextCursor).toBeNull();
	});

	it("refuses bad parameters with a 400 naming each", async () => {
		const error = await refusal(
			list({
				status: "nope" as AdminListQuery["status"],
				q: "x".repeat(201),
				limit: 101,
				cursor: "not-a-cursor",
				region: "Not A Slug",
			}),
		);
		expect(error.status).toBe(400);
		expect(error.message).toBe("The list's parameters are not valid.");
		expect(error.fields).toEqual({
			status: "Must be one of all, draft, published, scheduled, trash.",
			q: "At most 200 characters.",
			limit: "Must be a whole number from 1 to 100.",
			cursor: "Not a cursor this list issued; use nextCursor from a list response.",
			region: 'There is no region "Not A Slug".',
		});
		for (const limit of [0, 1.5]) expect((await refusal(list({ limit }))).fields).toHaveProperty("limit");
	});

	it("refuses a topic or region that does not exist with a 400 naming it", async () => {
		const error = await refusal(list({ topic: "nope", region: "china" }));
		expect(error).toMatchObject({ status: 400, message: "Unknown filter value." });
		expect(error.fields).toEqual({ topic: 'There is no topic "nope".' });
	});
});

describe("getAdminArticle", () => {
	it("finds an article in any state, with its taxa and retired slugs", async () => {
		const row = await insertArticle({ slug: "binned", deletedAt: NOW, topicId: taxa.topic.energy });
		expect(await getAdminArticle(testDb(), row.id)).toMatchObject({
			id: row.id,
			slug: "binned",
			deletedAt: NOW,
			topic: { slug: "energy", name: "Energy" },
			region: null,
			retiredSlugs: [],
		});
	});

	it("answers null for an id that names nothing", async () => {
		for (const id of [0, -1, 1.5, Number.NaN, 2 ** 53, 999_999]) expect(await getAdminArticle(testDb(), id)).toBeNull();
	});
});
