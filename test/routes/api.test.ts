import { beforeEach, describe, expect, it } from "vitest";
import type { ArticleJson, ArticleSummaryJson } from "../../src/views/json";
import { DAY, fetchApp, freshTaxa, insertArticle, insertPage, insertRedirect, SITE, type TestTaxa } from "../helpers";

let taxa: TestTaxa;

beforeEach(async () => {
	taxa = await freshTaxa();
});

async function json<T = unknown>(path: string, init?: RequestInit) {
	const res = await fetchApp(path, init);
	expect(res.headers.get("content-type")).toBe("application/json");
	return { res, body: (await res.json()) as T };
}

type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };
type ListBody = { articles: ArticleSummaryJson[]; nextCursor: string | null };

const summaryKeys = ["authors", "publishedAt", "region", "slug", "summary", "title", "topic", "updatedAt", "url"];

describe("GET /api/articles", () => {
	it("returns ArticleSummary objects exactly as the design says", async () => {
		const a = await insertArticle({
			slug: "quota",
			title: "Quota",
			summary: "Short.",
			publishedAt: Date.UTC(2025, 8, 17, 14, 33, 11),
			updatedAt: Date.UTC(2025, 8, 18, 0, 0, 0),
			regionId: taxa.region.china,
			topicId: taxa.topic.energy,
		});
		await insertArticle({ slug: "no-taxa", publishedAt: Date.UTC(2025, 0, 1) });
		const { res, body } = await json<ListBody>("/api/articles");
		expect(res.status).toBe(200);
		expect(body.nextCursor).toBeNull();
		expect(body.articles).toHaveLength(2);
		expect(Object.keys(body.articles[0] ?? {}).sort()).toEqual(summaryKeys);
		expect(body.articles[0]).toEqual({
			slug: a.slug,
			title: "Quota",
			summary: "Short.",
			publishedAt: "2025-09-17T14:33:11.000Z",
			updatedAt: "2025-09-18T00:00:00.000Z",
			url: `${SITE}/articles/quota`,
			region: { slug: "china", name: "China" },
			topic: { slug: "energy", name: "Energy" },
			authors: [],
		});
		expect(body.articles[1]).toMatchObject({ slug: "no-taxa", region: null, topic: null });
	});

	it("pages with limit and nextCursor across page boundaries, newest first, none twice", async () => {
		const slugs: string[] = [];
		for (let i = 0; i < 7; i++) {
			// Pairs share a timestamp: order must still be total and stable.
			const a = await insertArticle({ publishedAt: Date.UTC(2026, 0, 10) - Math.floor(i / 2) * DAY });
			slugs.push(a.slug);
		}
		const seen: string[] = [];
		let cursor: string | null = null;
		const pageSizes: number[] = [];
		do {
			const { body }: { body: ListBody } = await json<ListBody>(
				`/api/articles?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
			);
			pageSizes.push(body.articles.length);
			seen.push(...body.articles.map((a) => a.slug));
			cursor = body.nextCursor;
		} while (cursor);
		expect(pageSizes).toEqual([3, 3, 1]);
		expect(new Set(seen).size).toBe(7);
		// Newest first; within a shared timestamp the later insert (higher id) comes first.
		const [s0, s1, s2, s3, s4, s5, s6] = slugs;
		expect(seen).toEqual([s1, s0, s3, s2, s5, s4, s6]);
	});

	it("defaults to 20 per page and allows 50", async () => {
		for (let i = 0; i < 52; i++) await insertArticle({ publishedAt: Date.now() - (i + 1) * 60_000 });
		const byDefault = await json<ListBody>("/api/articles");
		expect(byDefault.body.articles).toHaveLength(20);
		expect(byDefault.body.nextCursor).toEqual(expect.any(String));
		const max = await json<ListBody>("/api/articles?limit=50");
		expect(max.body.articles).toHaveLength(50);
	});

	it("filters by topic and region", async () => {
		await insertArticle({ slug: "e-c", topicId: taxa.topic.energy, regionId: taxa.region.china });
		await insertArticle({ slug: "e-g", topicId: taxa.topic.energy, regionId: taxa.region.global });
		await insertArticle({ slug: "a-c", topicId: taxa.topic.automotive, regionId: taxa.region.china });
		const slugsOf = async (q: string) =>
			(await json<ListBody>(`/api/articles?${q}`)).body.articles.map((a) => a.slug).sort();
		expect(await slugsOf("topic=energy")).toEqual(["e-c", "e-g"]);
		expect(await slugsOf("region=china")).toEqual(["a-c", "e-c"]);
		expect(await slugsOf("topic=energy&region=china")).toEqual(["e-c"]);
		expect(await slugsOf("topic=recycling")).toEqual([]);
	});

	it.each([
		["limit=0", "limit"],
		["limit=51", "limit"],
		["limit=-1", "limit"],
		["limit=abc", "limit"],
		["limit=2.5", "limit"],
		["limit=", "limit"],
		["cursor=nonsense", "cursor"],
		[`cursor=${btoa("v1.1.1; drop table articles")}`, "cursor"],
		["topic=Not%20A%20Slug", "topic"],
		["region=%3Cscript%3E", "region"],
		["topic=unknown", "topic"],
		["region=atlantis", "region"],
	])("answers ?%s with 400 naming the field %s", async (query, field) => {
		const { res, body } = await json<ErrorBody>(`/api/articles?${query}`);
		expect(res.status).toBe(400);
		expect(body.error.code).toBe("bad_request");
		expect(body.error.message).toEqual(expect.any(String));
		expect(Object.keys(body.error.fields ?? {})).toEqual([field]);
	});
});

describe("GET /api/articles/:slug", () => {
	it("returns Article: a summary plus bodyHtml and related summaries", async () => {
		await insertArticle({ slug: "main", topicId: taxa.topic.energy, bodyMarkdown: "One.\n\nTwo." });
		await insertArticle({ slug: "other", topicId: taxa.topic.energy, publishedAt: Date.now() - DAY });
		const { res, body } = await json<ArticleJson>("/api/articles/main");
		expect(res.status).toBe(200);
		expect(Object.keys(body).sort()).toEqual(
			[...summaryKeys, "bodyHtml", "corrections", "leadImage", "related"].sort(),
		);
		expect(body.bodyHtml).toBe("<p>One.</p>\n<p>Two.</p>\n");
		expect(body.related.map((r) => r.slug)).toEqual(["other"]);
		expect(Object.keys(body.related[0] ?? {}).sort()).toEqual(summaryKeys);
		expect(body.url).toBe(`${SITE}/articles/main`);
	});

	it("answers unknown, unpublished and malformed slugs with the JSON 404", async () => {
		await insertArticle({ slug: "draft", status: "draft", publishedAt: null });
		for (const slug of ["missing", "draft", "BAD%20SLUG", "x".repeat(200)]) {
			const { res, body } = await json<ErrorBody>(`/api/articles/${slug}`);
			expect(res.status).toBe(404);
			expect(body).toEqual({ error: { code: "not_found", message: expect.any(String) } });
		}
	});

	it("redirects a retired slug", async () => {
		const a = await insertArticle({ slug: "renamed" });
		await insertRedirect("original", a.id);
		const res = await fetchApp("/api/articles/original");
		expect(res.status).toBe(301);
		expect(res.headers.get("location")).toBe("/api/articles/renamed");
	});
});

describe("GET /api/topics, /api/regions, /api/pages/:slug", () => {
	it("lists topics and regions as { slug, name, description }", async () => {
		const topics = await json<unknown[]>("/api/topics");
		expect(topics.res.status).toBe(200);
		expect(topics.body).toEqual([
			{ slug: "automotive", name: "Automotive", description: "" },
			{ slug: "energy", name: "Energy", description: "" },
			{ slug: "recycling", name: "Recycling", description: "" },
		]);
		const regions = await json<unknown[]>("/api/regions");
		expect(regions.body).toEqual([
			{ slug: "china", name: "China", description: "" },
			{ slug: "global", name: "Global", description: "" },
			{ slug: "united-states", name: "United States", description: "" },
		]);
	});

	it("returns a page's JSON shape", async () => {
		await insertPage("about", "About", "Hello.");
		const { res, body } = await json("/api/pages/about");
		expect(res.status).toBe(200);
		expect(body).toEqual({
			slug: "about",
			title: "About",
			bodyHtml: "<p>Hello.</p>\n",
			updatedAt: "2026-01-02T00:00:00.000Z",
		});
	});

	it("answers unknown pages and API routes with JSON 404s", async () => {
		for (const path of ["/api/pages/nope", "/api/pages/..%2F..%2Fetc", "/api/nothing-here", "/api"]) {
			const { res, body } = await json<ErrorBody>(path);
			expect(res.status).toBe(404);
			expect(body.error.code).toBe("not_found");
		}
	});

	it("answers HEAD like GET", async () => {
		const res = await fetchApp("/api/topics", { method: "HEAD" });
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("application/json");
		expect(await res.text()).toBe("");
	});

	it("refuses other methods on read-only routes with a JSON 405", async () => {
		const res = await fetchApp("/api/articles", { method: "POST", body: "{}" });
		expect(res.status).toBe(405);
		expect(res.headers.get("allow")).toBe("GET, HEAD");
		expect(((await res.json()) as ErrorBody).error.code).toBe("method_not_allowed");
	});
});

describe("HEAD", () => {
	it("works wherever GET does, with the same status and type and no body", async () => {
		await insertArticle({ slug: "headed", topicId: taxa.topic.energy, regionId: taxa.region.china });
		await insertPage("about", "About", "Hi.");
		await insertPage("services", "Services", "Hi.");
		const paths = [
			"/",
			"/articles/headed",
			"/topics/energy",
			"/regions/china",
			"/about",
			"/services",
			"/feed.xml",
			"/sitemap.xml",
			"/robots.txt",
			"/healthz",
			"/api/articles",
			"/api/articles/headed",
			"/api/topics",
			"/api/regions",
			"/api/pages/about",
			"/articles/missing",
			"/api/articles?limit=0",
		];
		for (const path of paths) {
			const get = await fetchApp(path);
			const head = await fetchApp(path, { method: "HEAD" });
			expect(head.status, path).toBe(get.status);
			expect(head.headers.get("content-type"), path).toBe(get.headers.get("content-type"));
			expect(await head.text(), path).toBe("");
		}
	});
});
