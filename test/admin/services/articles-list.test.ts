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

	it("filters by topic and region, and by words", async () => {
		await insertArticle({ slug: "a", title: "100% recycled", topicId: taxa.topic.recycling, updatedAt: NOW - 3 });
		await insertArticle({ slug: "b", title: "1000 recycled", topicId: taxa.topic.recycling, updatedAt: NOW - 2 });
		await insertArticle({ slug: "c", title: "Grid_scale", regionId: taxa.region.china, updatedAt: NOW - 1 });

		expect(await slugs({ topic: "recycling" })).toEqual(["b", "a"]);
		expect(await slugs({ region: "china" })).toEqual(["c"]);
		expect(await slugs({ topic: "recycling", region: "china" })).toEqual([]);
		expect(await slugs({ q: "100%" })).toEqual(["a"]);
		expect(await slugs({ q: "  RECYCLED " })).toEqual(["b", "a"]);
		// Words, not substrings: "_" joins no words, and "d s" is in no article.
		expect(await slugs({ q: "grid" })).toEqual(["c"]);
		expect(await slugs({ q: "d_s" })).toEqual([]);
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
			q: "Search for at most 200 characters.",
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

describe("listAdminArticles searching (q)", () => {
	/** One article in each state at NOW whose body alone has "gadolinium", and one published article without it. */
	async function bodyWordInEachState() {
		const body = (n: number) => `Paragraph ${n} about gadolinium supply.\n\nMore text.`;
		const common = { title: "Quarterly note", summary: "A short note." };
		await insertArticle({
			...common,
			slug: "a-draft",
			status: "draft",
			publishedAt: null,
			bodyMarkdown: body(1),
			updatedAt: NOW - 5 * HOUR,
		});
		await insertArticle({
			...common,
			slug: "out-now",
			publishedAt: NOW,
			bodyMarkdown: body(2),
			updatedAt: NOW - 4 * HOUR,
		});
		await insertArticle({
			...common,
			slug: "out-soon",
			publishedAt: NOW + HOUR,
			bodyMarkdown: body(3),
			updatedAt: NOW - 3 * HOUR,
		});
		await insertArticle({
			...common,
			slug: "binned",
			deletedAt: NOW - HOUR,
			bodyMarkdown: body(4),
			updatedAt: NOW - 2 * HOUR,
		});
		await insertArticle({ ...common, slug: "other", bodyMarkdown: "Nothing about that metal.", updatedAt: NOW - HOUR });
	}

	it("finds drafts, scheduled, published and trashed articles by a word only in their body", async () => {
		await bodyWordInEachState();
		expect(await slugs({ q: "gadolinium" })).toEqual(["out-soon", "out-now", "a-draft"]);
		expect(await slugs({ q: "gadolinium", status: "draft" })).toEqual(["a-draft"]);
		expect(await slugs({ q: "gadolinium", status: "scheduled" })).toEqual(["out-soon"]);
		expect(await slugs({ q: "gadolinium", status: "published" })).toEqual(["out-now"]);
		expect(await slugs({ q: "gadolinium", status: "trash" })).toEqual(["binned"]);
		// Markdown is searched as the text readers see: "**" and "_" do not split or hide a word.
		await insertArticle({ slug: "marked-up", bodyMarkdown: "A **bold** claim about _terbium_ oxide." });
		expect(await slugs({ q: "terbium oxide" })).toEqual(["marked-up"]);
	});

	it("finds words of the title and of the summary, needs every word, and keeps quoted phrases in order", async () => {
		await insertArticle({ slug: "t", title: "Dysprosium quota cut", summary: "Exporters react.", updatedAt: NOW - 2 });
		await insertArticle({
			slug: "s",
			title: "Weekly brief",
			summary: "The dysprosium quota is cut again.",
			updatedAt: NOW - 1,
		});
		expect(await slugs({ q: "dysprosium" })).toEqual(["s", "t"]);
		expect(await slugs({ q: "EXPORTERS" })).toEqual(["t"]);
		expect(await slugs({ q: "dysprosium weekly" })).toEqual(["s"]);
		expect(await slugs({ q: '"quota cut"' })).toEqual(["t"]);
		expect(await slugs({ q: '"cut quota"' })).toEqual([]);
		// The index stems English words and folds accents, as the public search does.
		expect(await slugs({ q: "quotas Dysprósium" })).toEqual(["s", "t"]);
		// Operators of FTS5 are words like any other here: OR does not widen, NOT does not exclude.
		expect(await slugs({ q: "dysprosium OR weekly" })).toEqual([]);
		expect(await slugs({ q: "dysprosium NOT weekly" })).toEqual([]);
	});

	it("combines with status, topic and region, and pages through every match once", async () => {
		const { energy, recycling } = taxa.topic;
		const { china, global } = taxa.region;
		const made: { slug: string; topicId?: number; regionId?: number; status: "draft" | "published" }[] = [];
		for (let i = 0; i < 12; i++) {
			const row = {
				slug: `m-${i}`,
				topicId: i % 2 === 0 ? energy : recycling,
				regionId: i % 3 === 0 ? china : global,
				status: i % 4 === 0 ? ("draft" as const) : ("published" as const),
			};
			made.push(row);
			await insertArticle({
				...row,
				publishedAt: row.status === "draft" ? null : NOW - HOUR,
				bodyMarkdown: i % 5 === 4 ? "No match here." : `Holmium magnet ${i}.`,
				// Ties on updated_at, so that the id settles the order across pages.
				updatedAt: NOW - Math.floor(i / 3),
			});
		}
		await insertArticle({
			slug: "title-only",
			title: "Holmium",
			topicId: energy,
			regionId: china,
			updatedAt: NOW - HOUR,
		});
		const walk = async (query: AdminListQuery) => {
			const seen: string[] = [];
			let cursor: string | null = null;
			do {
				const page: Awaited<ReturnType<typeof list>> = await list({
					...query,
					limit: 2,
					...(cursor ? { cursor } : {}),
				});
				expect(page.items.length).toBeLessThanOrEqual(2);
				seen.push(...page.items.map((a) => a.slug));
				cursor = page.nextCursor;
			} while (cursor);
			return seen;
		};
		const expected = (keep: (row: (typeof made)[number], i: number) => boolean) =>
			made
				.map((row, i) => ({ row, i }))
				.filter(({ row, i }) => i % 5 !== 4 && keep(row, i))
				// Newest change first; among ties the higher id (made later) first.
				.sort((a, b) => Math.floor(a.i / 3) - Math.floor(b.i / 3) || b.i - a.i)
				.map(({ row }) => row.slug);
		expect(await walk({ q: "holmium" })).toEqual([...expected(() => true), "title-only"]);
		expect(await walk({ q: "holmium", topic: "energy" })).toEqual([
			...expected((r) => r.topicId === energy),
			"title-only",
		]);
		expect(await walk({ q: "holmium magnet", region: "global" })).toEqual(expected((r) => r.regionId === global));
		expect(await walk({ q: "holmium", status: "draft", topic: "energy", region: "china" })).toEqual(
			expected((r) => r.status === "draft" && r.topicId === energy && r.regionId === china),
		);
		expect(await walk({ q: "holmium", status: "published", topic: "recycling" })).toEqual(
			expected((r) => r.status === "published" && r.topicId === recycling),
		);
	});

	it("finds nothing for a search with no words, and says so; an empty search is no search", async () => {
		await insertArticle({ slug: "x", title: "Stars * and emoji 🧲" });
		for (const q of ['"*"', "*", "🧲", "%", "_", "- ^ :", "\u0000*"]) {
			expect(await list({ q }), q).toEqual({ items: [], nextCursor: null, noWords: true });
		}
		// Nothing left once control characters and white space are dropped: as if the box were empty.
		for (const q of ["", "   ", "\u0000\t"]) {
			const all = await list({ q });
			expect(all.items.map((a) => a.slug)).toEqual(["x"]);
			expect(all.noWords).toBe(false);
		}
		expect((await list({ q: "stars" })).noWords).toBe(false);
	});

	it("refuses a search over 200 characters or 12 words with the search's own message", async () => {
		expect((await refusal(list({ q: "x".repeat(201) }))).fields).toEqual({ q: "Search for at most 200 characters." });
		const words = Array.from({ length: 13 }, (_, i) => `w${i}`).join(" ");
		expect((await refusal(list({ q: words }))).fields).toEqual({ q: "Search for at most 12 words." });
		// Twelve words, and 200 characters once white space is collapsed, are fine.
		await expect(list({ q: words.split(" ").slice(0, 12).join(" ") })).resolves.toMatchObject({ items: [] });
		await expect(list({ q: ` ${"y".repeat(100)}      ${"z".repeat(99)} ` })).resolves.toMatchObject({ items: [] });
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
