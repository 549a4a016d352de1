import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { getArticlePage, listArticles, listAuthorArticles, pickRelated } from "../../../src/db/queries/articles";
import { getPageBySlug } from "../../../src/db/queries/pages";
import { listRegions, listTopics } from "../../../src/db/queries/taxonomies";
import {
	countingD1,
	DAY,
	freshTaxa,
	insertArticle,
	insertPage,
	insertRedirect,
	type TestTaxa,
	testDb,
} from "../../helpers";

const db = testDb();
let taxa: TestTaxa;

beforeEach(async () => {
	taxa = await freshTaxa();
});

describe("listArticles", () => {
	it("lists only visible articles, newest first", async () => {
		const now = Date.now();
		const older = await insertArticle({ publishedAt: now - 2 * DAY });
		const newer = await insertArticle({ publishedAt: now - DAY });
		await insertArticle({ status: "draft", publishedAt: null });
		await insertArticle({ publishedAt: now + DAY }); // scheduled
		await insertArticle({ publishedAt: now - DAY / 2, deletedAt: now }); // in the trash

		const { page } = await listArticles(db, { now, limit: 20, cursor: null });
		expect(page.items.map((a) => a.slug)).toEqual([newer.slug, older.slug]);
		expect(page.next).toBeNull();
	});

	it("shows a scheduled article once its time has come", async () => {
		const now = Date.now();
		const scheduled = await insertArticle({ publishedAt: now + DAY });
		expect((await listArticles(db, { now, limit: 20, cursor: null })).page.items).toHaveLength(0);
		const later = await listArticles(db, { now: now + 2 * DAY, limit: 20, cursor: null });
		expect(later.page.items.map((a) => a.slug)).toEqual([scheduled.slug]);
	});

	it("pages through every article exactly once, even when timestamps tie", async () => {
		const base = Date.now() - 30 * DAY;
		const inserted = [];
		for (let i = 0; i < 13; i++) {
			// Groups of three share a timestamp.
			inserted.push(await insertArticle({ publishedAt: base + Math.floor(i / 3) * DAY }));
		}
		const seen: string[] = [];
		let cursor = null;
		let pages = 0;
		do {
			const { page }: Awaited<ReturnType<typeof listArticles>> = await listArticles(db, {
				now: Date.now(),
				limit: 4,
				cursor,
			});
			seen.push(...page.items.map((a) => a.slug));
			cursor = page.next;
			pages += 1;
		} while (cursor);
		expect(pages).toBe(4);
		const expected = [...inserted].sort((a, b) => (b.publishedAt ?? 0) - (a.publishedAt ?? 0) || b.id - a.id);
		expect(seen).toEqual(expected.map((a) => a.slug));
	});

	it("filters by topic and region and reports unknown ones as null", async () => {
		const energyChina = await insertArticle({ topicId: taxa.topic.energy, regionId: taxa.region.china });
		await insertArticle({ topicId: taxa.topic.automotive, regionId: taxa.region.china });
		await insertArticle({ topicId: taxa.topic.energy, regionId: taxa.region.global });

		const both = await listArticles(db, {
			now: Date.now(),
			limit: 20,
			cursor: null,
			topicSlug: "energy",
			regionSlug: "china",
		});
		expect(both.page.items.map((a) => a.slug)).toEqual([energyChina.slug]);
		expect(both.topic).toEqual({ slug: "energy", name: "Energy", description: "" });
		expect(both.region).toEqual({ slug: "china", name: "China", description: "" });
		expect(both.page.items[0]).toMatchObject({ topicName: "Energy", regionName: "China" });

		const unknown = await listArticles(db, { now: Date.now(), limit: 20, cursor: null, topicSlug: "nope" });
		expect(unknown.topic).toBeNull();
		expect(unknown.region).toBeUndefined();
		expect(unknown.page.items).toEqual([]);
	});
});

describe("listArticles round trips", () => {
	it("sends one statement unfiltered and one batch with only the lookups a filter needs", async () => {
		const cases = [
			[{}, 1],
			[{ topicSlug: "energy" }, 2],
			[{ regionSlug: "china" }, 2],
			[{ topicSlug: "energy", regionSlug: "china" }, 3],
		] as const;
		for (const [filter, statements] of cases) {
			const { db: d1, counts } = countingD1(env.DB);
			await listArticles(testDb(d1), { now: Date.now(), limit: 20, cursor: null, ...filter });
			expect(counts, JSON.stringify(filter)).toEqual({ roundTrips: 1, statements });
		}
	});
});

describe("getArticlePage", () => {
	it("returns the article with region, topic and body", async () => {
		const a = await insertArticle({
			topicId: taxa.topic.energy,
			regionId: taxa.region.china,
			bodyMarkdown: "Hello **there**.",
		});
		const data = await getArticlePage(db, a.slug, Date.now());
		expect(data.article).toMatchObject({
			slug: a.slug,
			title: a.title,
			regionSlug: "china",
			regionName: "China",
			topicSlug: "energy",
			topicName: "Energy",
			bodyHtml: "<p>Hello <strong>there</strong>.</p>\n",
		});
		expect(data.redirectTo).toBeNull();
	});

	it("hides drafts, scheduled and trashed articles", async () => {
		const now = Date.now();
		for (const input of [
			{ status: "draft" as const, publishedAt: null },
			{ publishedAt: now + DAY },
			{ deletedAt: now },
		]) {
			const a = await insertArticle(input);
			expect((await getArticlePage(db, a.slug, now)).article).toBeNull();
		}
	});

	it("fills Related Articles from the topic, then the region, then the newest, without itself", async () => {
		const now = Date.now();
		const at = (days: number) => now - days * DAY;
		const add = (topic: string, region: string, daysAgo: number) =>
			insertArticle({ topicId: taxa.topic[topic], regionId: taxa.region[region], publishedAt: at(daysAgo) });
		const self = await add("energy", "china", 1);
		const topic1 = await add("energy", "global", 10);
		const topic2 = await add("energy", "global", 5);
		const region1 = await add("automotive", "china", 20);
		const newest = await add("recycling", "global", 2);
		const next = await add("recycling", "global", 3);
		await add("recycling", "global", 4);
		await insertArticle({ topicId: taxa.topic.energy, status: "draft", publishedAt: null });

		const { related } = await getArticlePage(db, self.slug, now);
		expect(related.map((a) => a.slug)).toEqual([topic2.slug, topic1.slug, region1.slug, newest.slug, next.slug]);
	});

	it("caps Related Articles at five, all from the same topic when there are enough", async () => {
		const self = await insertArticle({ topicId: taxa.topic.energy });
		for (let i = 0; i < 7; i++)
			await insertArticle({ topicId: taxa.topic.energy, publishedAt: Date.now() - (i + 2) * DAY });
		const { related } = await getArticlePage(db, self.slug, Date.now());
		expect(related).toHaveLength(5);
		expect(related.every((a) => a.topicSlug === "energy")).toBe(true);
	});

	it("finds the current slug for a retired one", async () => {
		const a = await insertArticle({ slug: "new-name" });
		await insertRedirect("old-name", a.id);
		const data = await getArticlePage(db, "old-name", Date.now());
		expect(data).toEqual({ article: null, related: [], redirectTo: "new-name", dependsOn: expect.any(Object) });
	});

	it("does not redirect to an article readers cannot see", async () => {
		const a = await insertArticle({ slug: "now-draft", status: "draft", publishedAt: null });
		await insertRedirect("was-public", a.id);
		expect((await getArticlePage(db, "was-public", Date.now())).redirectTo).toBeNull();
	});
});

describe("pickRelated", () => {
	const row = (id: number) => ({
		id,
		slug: `s${id}`,
		title: "",
		summary: "",
		publishedAt: 0,
		updatedAt: 0,
		regionSlug: null,
		regionName: null,
		topicSlug: null,
		topicName: null,
		authors: [],
	});
	it("keeps preference order and skips repeats", () => {
		expect(
			pickRelated(
				[
					[row(1), row(2)],
					[row(2), row(3)],
					[row(1), row(4), row(5), row(6)],
				],
				5,
			).map((r) => r.id),
		).toEqual([1, 2, 3, 4, 5]);
	});
});

describe("taxonomies and pages", () => {
	it("lists topics and regions by name", async () => {
		expect(await listTopics(db)).toEqual([
			{ slug: "automotive", name: "Automotive", description: "" },
			{ slug: "energy", name: "Energy", description: "" },
			{ slug: "recycling", name: "Recycling", description: "" },
		]);
		expect((await listRegions(db)).map((r) => r.name)).toEqual(["China", "Global", "United States"]);
	});

	it("gets a page by slug or null", async () => {
		await insertPage("about", "About", "We write software.");
		expect(await getPageBySlug(db, "about")).toMatchObject({ title: "About", bodyHtml: "<p>We write software.</p>\n" });
		expect(await getPageBySlug(db, "missing")).toBeNull();
	});
});

describe("indexes", () => {
	// Every reader list must be an index range scan with no separate sort step. The SQL checked is
	// exactly what the query functions send (recorded through a wrapped binding), not a copy.
	async function plansOf(run: (db: ReturnType<typeof testDb>) => Promise<unknown>) {
		const recorder = countingD1(env.DB);
		await run(testDb(recorder.db));
		const plans = [];
		for (const q of recorder.queries) {
			const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
				.bind(...q.params)
				.all<{ detail: string }>();
			plans.push({ sql: q.sql, detail: results.map((r) => r.detail).join("\n") });
		}
		return plans;
	}

	const cursor = { publishedAt: Date.now(), id: 5 };
	it.each([
		["home", "articles_public_idx", { topicSlug: undefined }],
		["home, a later page", "articles_public_idx", { cursor }],
		["a topic", "articles_topic_idx", { topicSlug: "energy" }],
		["a region, a later page", "articles_region_idx", { regionSlug: "china", cursor }],
		["a topic, a later page", "articles_topic_idx", { topicSlug: "energy", cursor }],
		["a topic and a region", "articles_topic_region_idx", { topicSlug: "energy", regionSlug: "china" }],
		[
			"a topic and a region, a later page",
			"articles_topic_region_idx",
			{ topicSlug: "energy", regionSlug: "china", cursor },
		],
		["home, a cursor in the future", "articles_public_idx", { cursor: { publishedAt: Date.now() + 365 * DAY, id: 5 } }],
	] as const)("the list for %s uses %s", async (_name, index, args) => {
		const plans = await plansOf((d) => listArticles(d, { now: Date.now(), limit: 20, cursor: null, ...args }));
		const list = plans.find((p) => p.sql.includes("order by"));
		expect(list?.detail).toMatch(new RegExp(`USING INDEX ${index} \\([^)]*published_at<\\?\\)`));
		// One upper bound on published_at, the one ranged on: given a second (now and the cursor),
		// SQLite ranges on one and filters by the other, which made deep pages read every row above them.
		expect(list?.sql.match(/"published_at" <=/g)).toHaveLength(1);
		for (const p of plans) expect(p.detail).not.toMatch(/TEMP B-TREE|SCAN articles(?! USING)/);
	});

	it("the article page is one statement whose every part uses an index", async () => {
		const plans = await plansOf((d) => getArticlePage(d, "some-slug", Date.now()));
		expect(plans).toHaveLength(1);
		const detail = plans[0]?.detail ?? "";
		expect(detail).toContain("COMPOUND QUERY");
		// Each Related Articles pool is a range on published_at of its own index.
		for (const index of ["articles_topic_idx", "articles_region_idx", "articles_public_idx"])
			expect(detail).toMatch(new RegExp(`USING INDEX ${index} \\([^)]*published_at<\\?\\)`));
		expect(detail).not.toMatch(/TEMP B-TREE|SCAN (a|articles|s|slug_redirects)(?! USING)/);
		// Each byline (the article's and every candidate's) is a range of article_authors' primary
		// key, already in byline order, and each author found by id.
		expect(detail).toMatch(/SEARCH b USING INDEX sqlite_autoindex_article_authors_1 \(article_id=\?\)/);
		expect(detail).toMatch(/SEARCH au USING INTEGER PRIMARY KEY \(rowid=\?\)/);
		expect(detail).not.toMatch(/SCAN (b|au)\b/);
	});

	it("an author's page is a range of article_authors_author_idx, newest first, without a sort", async () => {
		for (const page of [null, cursor]) {
			const plans = await plansOf((d) =>
				listAuthorArticles(d, { slug: "ada", now: Date.now(), limit: 20, cursor: page }),
			);
			const list = plans[0]?.detail ?? "";
			expect(list).toMatch(
				/SEARCH article_authors USING (COVERING )?INDEX article_authors_author_idx \(author_id=\? AND listed=\? AND published_at<\?\)/,
			);
			expect(list).toMatch(/SEARCH articles USING INTEGER PRIMARY KEY/);
			expect(list).not.toMatch(/TEMP B-TREE|SCAN (articles|article_authors|b|au)\b/);
		}
	});
});
