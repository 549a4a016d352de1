import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { withEdgeCache } from "../../src/cache/edge";
import { type ArticleFacts, type ContentChange, planPurge } from "../../src/cache/plan";
import { applyPurge } from "../../src/cache/purge";
import { articles, pages, slugRedirects, topics } from "../../src/db/schema";
import { articlesChildPath, childOfArticle } from "../../src/lib/sitemaps";
import {
	countingD1,
	failingD1,
	fetchWorker,
	freshTaxa,
	insertArticle,
	insertPage,
	isolatedSite,
	type TestTaxa,
	testDb,
} from "../helpers";

let taxa: TestTaxa;
let site: ReturnType<typeof isolatedSite>;

beforeEach(async () => {
	taxa = await freshTaxa();
	site = isolatedSite();
});

afterEach(() => {
	vi.useRealTimers();
});

const get = (path: string, init?: RequestInit, bindings: Env = site) => fetchWorker(path, init, bindings);

const brokenDb = failingD1("D1_ERROR: network connection lost");

async function purge(change: ContentChange, bindings: Env = site) {
	const ctx = createExecutionContext();
	const report = await applyPurge(planPurge(bindings.SITE_URL, change), bindings, ctx);
	await waitOnExecutionContext(ctx);
	return report;
}

function facts(a: { slug: string }, over: Partial<ArticleFacts> = {}): ArticleFacts {
	return { slug: a.slug, topic: "energy", region: "china", live: true, publishedAt: 1, ...over };
}

describe("reads", () => {
	it("renders once (MISS), then answers from the cache (HIT) with the same body and validators", async () => {
		await insertArticle({ slug: "magnets", title: "Magnets", topicId: taxa.topic.energy });
		for (const path of ["/articles/magnets", "/api/articles/magnets", "/", "/topics/energy", "/feed.xml", "/about"]) {
			const first = await get(path);
			const second = await get(path);
			expect(first.headers.get("x-cache"), path).toBe("MISS");
			expect(second.headers.get("x-cache"), path).toBe("HIT");
			expect(second.status, path).toBe(first.status);
			expect(second.headers.get("etag"), path).toBe(first.headers.get("etag"));
			expect(await second.text(), path).toBe(await first.text());
			expect(second.headers.get("content-type"), path).toBe(first.headers.get("content-type"));
		}
	});

	it("sends shared-cache lifetimes, a strong etag, cache tags and server timing", async () => {
		await insertArticle({ slug: "magnets", topicId: taxa.topic.energy, regionId: taxa.region.china });
		const miss = await get("/articles/magnets");
		expect(miss.headers.get("cache-control")).toMatch(/^public, max-age=0, s-maxage=\d+, stale-while-revalidate=\d+$/);
		expect(miss.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
		const tags = miss.headers.get("cache-tag")?.split(",") ?? [];
		expect(tags).toEqual(expect.arrayContaining(["site", "article:magnets", "topic:energy", "region:china"]));
		expect(miss.headers.get("server-timing")).toMatch(/cache;desc="MISS";dur=[\d.]+, db;dur=[\d.]+.*render;dur=/);
		// Security headers are stored with the copy.
		const hit = await get("/articles/magnets");
		expect(hit.headers.get("content-security-policy")).toContain("script-src 'none'");
		expect(hit.headers.get("server-timing")).toMatch(/^cache;desc="HIT";dur=[\d.]+$/);
		expect(Number(hit.headers.get("age"))).toBeGreaterThanOrEqual(0);

		const home = await get("/");
		expect(home.headers.get("cache-tag")?.split(",")).toEqual(expect.arrayContaining(["list:home", "topic:energy"]));
	});

	it("answers a HIT without touching the database", async () => {
		await insertArticle({ slug: "magnets" });
		const counted = countingD1(env.DB);
		const bindings = { ...site, DB: counted.db };
		await get("/articles/magnets", undefined, bindings);
		expect(counted.counts.roundTrips).toBe(1);
		for (let i = 0; i < 5; i++)
			expect((await get("/articles/magnets", undefined, bindings)).headers.get("x-cache")).toBe("HIT");
		expect(counted.counts.roundTrips).toBe(1);
	});

	it("answers a matching If-None-Match with 304, from the cache and on a miss", async () => {
		await insertArticle({ slug: "magnets" });
		const first = await get("/articles/magnets");
		const etag = first.headers.get("etag") ?? "";
		for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
			const res = await get("/articles/magnets", { headers: { "if-none-match": header } });
			expect(res.status, header).toBe(304);
			expect(res.headers.get("etag")).toBe(etag);
			expect(res.headers.get("x-cache")).toBe("HIT");
			expect(await res.text()).toBe("");
		}
		expect((await get("/articles/magnets", { headers: { "if-none-match": '"stale"' } })).status).toBe(200);

		const cold = await get("/api/articles/magnets", { headers: { "if-none-match": "*" } });
		expect(cold.status).toBe(304);
		expect(cold.headers.get("x-cache")).toBe("MISS");
	});

	it("answers HEAD from the cache with the headers and no body", async () => {
		await insertArticle({ slug: "magnets" });
		const full = await get("/articles/magnets");
		const head = await get("/articles/magnets", { method: "HEAD" });
		expect(head.status).toBe(200);
		expect(head.headers.get("x-cache")).toBe("HIT");
		expect(head.headers.get("etag")).toBe(full.headers.get("etag"));
		expect(await head.text()).toBe("");
	});

	it("caches a 404 briefly, so that scans of made-up slugs do not reach D1", async () => {
		const counted = countingD1(env.DB);
		const bindings = { ...site, DB: counted.db };
		const first = await get("/articles/no-such-thing", undefined, bindings);
		const second = await get("/articles/no-such-thing", undefined, bindings);
		expect(first.status).toBe(404);
		expect(second.status).toBe(404);
		expect(second.headers.get("x-cache")).toBe("HIT");
		expect(counted.counts.roundTrips).toBe(1);
		const maxAge = Number(/s-maxage=(\d+)/.exec(second.headers.get("cache-control") ?? "")?.[1]);
		expect(maxAge).toBeGreaterThan(0);
		expect(maxAge).toBeLessThanOrEqual(60);
	});

	it("caches a retired slug's 301", async () => {
		const a = await insertArticle({ slug: "new-name" });
		await testDb().insert(slugRedirects).values({ slug: "old-name", articleId: a.id });
		await get("/articles/old-name");
		const hit = await get("/articles/old-name", { redirect: "manual" });
		expect(hit.status).toBe(301);
		expect(hit.headers.get("location")).toBe("/articles/new-name");
		expect(hit.headers.get("x-cache")).toBe("HIT");
	});

	it("caches a 400 briefly too, so that made-up cursors and filters do not reach D1", async () => {
		const counted = countingD1(env.DB);
		const bindings = { ...site, DB: counted.db };
		for (const path of ["/?cursor=garbage", "/api/articles?topic=made-up", "/api/articles?limit=99"]) {
			const before = counted.counts.roundTrips;
			const first = await get(path, undefined, bindings);
			const second = await get(path, undefined, bindings);
			expect(first.status, path).toBe(400);
			expect(second.status, path).toBe(400);
			expect(first.headers.get("x-cache"), path).toBe("MISS");
			expect(second.headers.get("x-cache"), path).toBe("HIT");
			expect(await second.text()).toBe(await first.text());
			// At most the one render's round trip (a bad cursor or limit is refused before any).
			expect(counted.counts.roundTrips - before, path).toBeLessThanOrEqual(1);
			const maxAge = Number(/s-maxage=(\d+)/.exec(second.headers.get("cache-control") ?? "")?.[1]);
			expect(maxAge, path).toBeGreaterThan(0);
			expect(maxAge, path).toBeLessThanOrEqual(60);
		}
	});

	it("shows a topic created after its filter was refused, once the topic's purge has run", async () => {
		expect((await get("/api/articles?topic=brand-new")).status).toBe(400);
		expect((await get("/api/articles?topic=brand-new")).headers.get("x-cache")).toBe("HIT");
		await testDb().insert(topics).values({ slug: "brand-new", name: "Brand new" });
		await purge({ kind: "taxon", taxon: "topic", slug: "brand-new" });
		const res = await get("/api/articles?topic=brand-new");
		expect(res.status).toBe(200);
		expect(res.headers.get("x-cache")).toBe("MISS");
	});
});

describe("poisoning attempts", () => {
	it("ignores the Host, forwarded headers, cookies and the request's own origin", async () => {
		await insertArticle({ slug: "magnets", title: "Magnets" });
		const hostile = await get("http://evil.example/articles/magnets", {
			headers: {
				host: "evil.example",
				"x-forwarded-host": "evil.example",
				"x-forwarded-proto": "http",
				"x-original-url": "/admin",
				cookie: "theme=dark; tracking=1",
				"accept-language": "xx",
			},
		});
		const html = await hostile.text();
		expect(hostile.headers.get("x-cache")).toBe("MISS");
		expect(html).not.toContain("evil.example");
		expect(html).toContain(`${site.SITE_URL}/articles/magnets`);
		const plain = await get("/articles/magnets");
		expect(plain.headers.get("x-cache")).toBe("HIT");
		expect(await plain.text()).toBe(html);
	});

	it("gives tracking and unknown parameters the bare URL's key, and never renders them", async () => {
		await insertArticle({ slug: "magnets" });
		const bare = await get("/articles/magnets");
		const etag = bare.headers.get("etag");
		for (const query of ["?utm_source=x&utm_medium=y", "?fbclid=1", "?gclid=2", '?q="><script>alert(1)</script>']) {
			const res = await get(`/articles/magnets${query}`);
			expect(res.headers.get("x-cache"), query).toBe("HIT");
			expect(res.headers.get("etag"), query).toBe(etag);
			expect(await res.text()).not.toContain("<script>alert");
		}
		// A parameter the route reads is part of the key.
		const listA = await get("/?utm_campaign=z");
		expect(listA.headers.get("x-cache")).toBe("MISS");
		expect((await get("/")).headers.get("x-cache")).toBe("HIT");
	});

	it("keys an encoded path as the router reads it, so a purge reaches it", async () => {
		await insertArticle({ slug: "magnets", title: "Magnets", topicId: taxa.topic.energy });
		await get("/api/articles");
		await get("/topics/energy");
		for (const path of ["/api/%61rticles", "/%74opics/energy", "/topics/%65nergy"]) {
			expect((await get(path)).headers.get("x-cache"), path).toBe("HIT");
		}
		for (const path of ["/%61dmin", "/api/%61dmin/articles", "/%5F_cache/tags/site"]) {
			expect((await get(path)).headers.get("x-cache"), path).toBe("BYPASS");
		}
	});

	it("keeps the parameters a trailing-slash redirect carries to its page", async () => {
		const res = await get("/api/articles/?topic=energy&utm_source=x", { redirect: "manual" });
		expect(res.status).toBe(301);
		expect(res.headers.get("location")).toBe("/api/articles?topic=energy");
		const page = await get("/topics/energy/?cursor=abc", { redirect: "manual" });
		expect(page.headers.get("location")).toBe("/topics/energy?cursor=abc");
	});

	it("answers odd addresses without a 5xx, from the cache the second time", async () => {
		const odd = [
			`/articles/${"a".repeat(5000)}`,
			"/articles/%00",
			"/articles/..%2F..%2Fadmin",
			"/articles/%E2%80%AEevil",
			"/articles/%",
			"/topics/%ZZ",
			`/?cursor=${"%".repeat(300)}`,
			`/api/articles?topic=${"x".repeat(3000)}`,
			"/api/articles?limit=1e400",
			"/%2e%2e/%2e%2e/etc/passwd",
		];
		for (const path of odd) {
			for (let i = 0; i < 2; i++) {
				const res = await get(path);
				expect(res.status, path).toBeLessThan(500);
				expect(res.headers.get("x-cache"), path).toMatch(/^(HIT|MISS)$/);
			}
		}
	});

	it("serves and stores public pages whatever credentials a request carries", async () => {
		await insertArticle({ slug: "magnets" });
		const counted = countingD1(env.DB);
		const bindings = { ...site, DB: counted.db };
		const credentials: Record<string, string>[] = [
			{ authorization: "Bearer abc" },
			{ authorization: "Basic YTpi" },
			{ cookie: "samarium_session=abc" },
			{ cookie: "theme=dark; __Host-samarium_session=abc" },
		];
		for (const path of ["/articles/magnets", "/articles/no-such-article"]) {
			// Warmed by an anonymous reader, then asked with credentials: the stored copy, no render.
			await get(path, undefined, bindings);
			const renders = counted.counts.roundTrips;
			for (const headers of credentials) {
				const res = await get(path, { headers }, bindings);
				expect(res.headers.get("x-cache"), `${path} ${JSON.stringify(headers)}`).toBe("HIT");
				expect(res.headers.get("cache-control")).toMatch(/^public, /);
			}
			expect(counted.counts.roundTrips, path).toBe(renders);
		}
		// Cold, a request with credentials renders the anonymous page and stores it for everyone.
		const cold = isolatedSite();
		const first = await get("/articles/magnets", { headers: { cookie: "samarium_session=abc" } }, cold);
		expect(first.headers.get("x-cache")).toBe("MISS");
		expect(first.headers.get("set-cookie")).toBeNull();
		expect((await get("/articles/magnets", undefined, cold)).headers.get("x-cache")).toBe("HIT");
	});

	it("never caches the admin, other methods, or its own bookkeeping", async () => {
		for (const path of ["/admin", "/admin/articles", "/api/admin/articles", "/__cache/tags/list%3Ahome"]) {
			for (let i = 0; i < 2; i++) {
				const res = await get(path);
				expect(res.headers.get("x-cache"), path).toBe("BYPASS");
				expect(res.headers.get("cache-control"), path).toBe("private, no-store");
			}
		}
		const post = await get("/articles/anything", { method: "POST" });
		expect(post.status).toBe(405);
		expect(post.headers.get("x-cache")).toBe("BYPASS");
	});

	it("switches the cache off only for the benchmark's secret, and only when one is configured", async () => {
		await insertArticle({ slug: "magnets" });
		const bench = { ...site, BENCH_NO_CACHE_TOKEN: "s3cret" };
		await get("/articles/magnets", undefined, bench);
		const off = await get("/articles/magnets", { headers: { "x-bench-no-cache": "s3cret" } }, bench);
		expect(off.headers.get("x-cache")).toBe("BYPASS");
		const guessed = await get("/articles/magnets", { headers: { "x-bench-no-cache": "guess" } }, bench);
		expect(guessed.headers.get("x-cache")).toBe("HIT");
		const unset = await get("/articles/magnets", { headers: { "x-bench-no-cache": "" } });
		expect(unset.headers.get("x-cache")).not.toBe("BYPASS");
	});

	it("switches the cache off for search pages too, which the benchmark measures at scale", async () => {
		await insertArticle({ slug: "sintered", title: "Sintered magnet prices" });
		const bench = { ...site, BENCH_NO_CACHE_TOKEN: "s3cret" };
		for (const path of ["/api/search?q=sintered+magnet", "/search?q=sintered+magnet"]) {
			await get(path, undefined, bench);
			expect((await get(path, undefined, bench)).headers.get("x-cache"), path).toBe("HIT");
			const off = await get(path, { headers: { "x-bench-no-cache": "s3cret" } }, bench);
			expect(off.status, path).toBe(200);
			expect(off.headers.get("x-cache"), path).toBe("BYPASS");
			expect(off.headers.get("cache-control"), path).toBe("private, no-store");
			expect(await off.text(), path).toContain("/articles/sintered");
		}
	});
});

describe("coalescing", () => {
	it("renders a cold key once for 20 concurrent requests", async () => {
		await insertArticle({ slug: "magnets", title: "Magnets" });
		const counted = countingD1(env.DB);
		const bindings = { ...site, DB: counted.db };
		const responses = await Promise.all(
			Array.from({ length: 20 }, () => get("/articles/magnets", undefined, bindings)),
		);
		expect(counted.counts.roundTrips).toBe(1);
		const bodies = await Promise.all(responses.map((r) => r.text()));
		for (const [i, res] of responses.entries()) {
			expect(res.status).toBe(200);
			expect(bodies[i]).toBe(bodies[0]);
		}
		expect(bodies[0]).toContain("Magnets");
	});

	it("gives a reader who arrives after a purge a render of its own, not one begun before the purge", async () => {
		let release = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		let renders = 0;
		const edge = withEdgeCache({
			fetch: async () => {
				renders += 1;
				const n = renders;
				// The first render read its data before the purge and is still under way after it.
				if (n === 1) await held;
				return new Response(`render ${n}`, { headers: { "content-type": "text/plain; charset=utf-8" } });
			},
		});
		const read = async () => {
			const ctx = createExecutionContext();
			const res = await edge(new Request("https://localhost/articles/held"), site, ctx);
			await waitOnExecutionContext(ctx);
			return { cache: res.headers.get("x-cache"), body: await res.text() };
		};

		const before = read();
		await vi.waitFor(() => expect(renders).toBe(1));
		const ctx = createExecutionContext();
		await applyPurge({ keys: [`${site.SITE_URL}/articles/held`], tags: [] }, site, ctx);
		await waitOnExecutionContext(ctx);
		const after = read();
		// Time for the second reader to start a render, or to settle down to wait for the first.
		await new Promise((resolve) => setTimeout(resolve, 100));
		release();

		expect(await after).toEqual({ cache: "MISS", body: "render 2" });
		expect(await before).toEqual({ cache: "MISS", body: "render 1" });
		expect(renders).toBe(2);
		// What the first render read is not what the next reader gets either.
		expect(await read()).toEqual({ cache: "HIT", body: "render 2" });
	});
});

describe("stale-while-revalidate", () => {
	it("serves a stale copy once and refreshes it in the background", async () => {
		const a = await insertArticle({ slug: "magnets", title: "Old title" });
		const counted = countingD1(env.DB);
		const bindings = { ...site, DB: counted.db };
		await get("/articles/magnets", undefined, bindings);
		await testDb().update(articles).set({ title: "New title" }).where(eq(articles.id, a.id));

		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(Date.now() + 301_000);
		const stale = await get("/articles/magnets", undefined, bindings);
		expect(stale.headers.get("x-cache")).toBe("STALE");
		expect(await stale.text()).toContain("Old title");
		expect(counted.counts.roundTrips).toBe(2);

		const fresh = await get("/articles/magnets", undefined, bindings);
		expect(fresh.headers.get("x-cache")).toBe("HIT");
		expect(await fresh.text()).toContain("New title");
		expect(counted.counts.roundTrips).toBe(2);
	});

	it("renders afresh once the stale window is over too", async () => {
		await insertArticle({ slug: "magnets" });
		await get("/articles/magnets");
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(Date.now() + 5 * 3_600_000);
		expect((await get("/articles/magnets")).headers.get("x-cache")).toBe("MISS");
	});
});

describe("when D1 fails", () => {
	it("serves the cached copy at any age", async () => {
		await insertArticle({ slug: "magnets", title: "Magnets" });
		await get("/articles/magnets");
		await get("/api/articles/magnets");
		vi.useFakeTimers({ toFake: ["Date"] });
		vi.setSystemTime(Date.now() + 3 * 86_400_000);
		const broken = { ...site, DB: brokenDb };
		for (const path of ["/articles/magnets", "/api/articles/magnets"]) {
			const res = await get(path, undefined, broken);
			expect(res.status, path).toBe(200);
			expect(res.headers.get("x-cache"), path).toBe("STALE");
			expect(await res.text(), path).toContain("Magnets");
		}
	});

	it("answers 503 with Retry-After when there is no copy, and stores nothing", async () => {
		const broken = { ...site, DB: brokenDb };
		const page = await get("/articles/magnets", undefined, broken);
		expect(page.status).toBe(503);
		expect(page.headers.get("retry-after")).toBe("30");
		expect(page.headers.get("content-type")).toContain("text/html");
		expect(page.headers.get("cache-control")).toBe("no-store");
		expect(await page.text()).not.toContain("D1_ERROR");

		const api = await get("/api/articles", undefined, broken);
		expect(api.status).toBe(503);
		expect(api.headers.get("retry-after")).toBe("30");
		expect(((await api.json()) as { error: { code: string } }).error.code).toBe("unavailable");

		await insertArticle({ slug: "magnets" });
		const recovered = await get("/articles/magnets");
		expect(recovered.status).toBe(200);
		expect(recovered.headers.get("x-cache")).toBe("MISS");
	});
});

describe("a render that fails outside the app", () => {
	it("answers 503 with Retry-After, never an exception", async () => {
		const throwing = withEdgeCache({
			fetch: () => {
				throw new Error("bug in a render");
			},
		});
		const ctx = createExecutionContext();
		const res = await throwing(new Request("http://localhost/articles/x"), site, ctx);
		await waitOnExecutionContext(ctx);
		expect(res.status).toBe(503);
		expect(res.headers.get("retry-after")).toBe("30");
		expect(await res.text()).not.toContain("bug in a render");
	});
});

describe("purging", () => {
	it("shows a retitle on the next request everywhere the article appears", async () => {
		const target = await insertArticle({
			slug: "target",
			title: "Old headline",
			topicId: taxa.topic.energy,
			regionId: taxa.region.china,
		});
		await insertArticle({ slug: "neighbour", topicId: taxa.topic.energy, regionId: taxa.region.china });
		// Enough newer articles that the target sits on the home page's second page.
		for (let i = 0; i < 21; i++) await insertArticle({ publishedAt: Date.now() - 60_000 + i });
		const homeJson = (await (await get("/api/articles")).json()) as { nextCursor: string };
		const pathsShowingIt = [
			"/articles/target",
			"/api/articles/target",
			"/articles/neighbour",
			"/api/articles/neighbour",
			`/?cursor=${homeJson.nextCursor}`,
			`/api/articles?cursor=${homeJson.nextCursor}`,
			"/topics/energy",
			"/regions/china",
			"/api/articles?topic=energy",
			"/api/articles?topic=energy&region=china&limit=3",
			"/feed.xml",
		];
		for (const path of pathsShowingIt) {
			await get(path);
			expect((await get(path)).headers.get("x-cache"), path).toBe("HIT");
		}

		await testDb().update(articles).set({ title: "New headline" }).where(eq(articles.id, target.id));
		const report = await purge({ kind: "article", before: facts(target), after: facts(target) });
		expect(report.local.ok).toBe(true);

		for (const path of pathsShowingIt) {
			const res = await get(path);
			expect(res.headers.get("x-cache"), path).toBe("MISS");
			const body = await res.text();
			// The first pages of the lists show 20 newer articles; the feed too.
			if (path.includes("cursor") || path.includes("target") || path.includes("neighbour")) {
				expect(body, path).toContain("New headline");
			}
			expect(body, path).not.toContain("Old headline");
		}
	});

	it("shows a newly published article at once, despite a cached 404 and cached lists", async () => {
		await insertArticle({ slug: "older", topicId: taxa.topic.energy });
		expect((await get("/articles/fresh-news")).status).toBe(404);
		await get("/");
		await get("/articles/older");
		expect((await get("/articles/fresh-news")).headers.get("x-cache")).toBe("HIT");

		const a = await insertArticle({ slug: "fresh-news", title: "Fresh news", topicId: taxa.topic.energy });
		await purge({ kind: "article", before: null, after: facts(a) });

		const page = await get("/articles/fresh-news");
		expect(page.status).toBe(200);
		expect(await (await get("/")).text()).toContain("Fresh news");
		// It now tops the Related Articles of its topic's other articles.
		expect(await (await get("/articles/older")).text()).toContain("Fresh news");
	});

	it("removes an unpublished or deleted article from its page, lists and Related Articles", async () => {
		const a = await insertArticle({ slug: "going", title: "Going away", topicId: taxa.topic.energy });
		await insertArticle({ slug: "staying", topicId: taxa.topic.energy });
		const child = articlesChildPath(childOfArticle(a.id));
		for (const path of ["/articles/going", "/", "/articles/staying", "/sitemap.xml"]) await get(path);
		expect(await (await get(child)).text()).toContain("/articles/going<");

		await testDb().update(articles).set({ deletedAt: Date.now() }).where(eq(articles.id, a.id));
		await purge({ kind: "article", before: facts(a), after: facts(a, { live: false }) });

		expect((await get("/articles/going")).status).toBe(404);
		for (const path of ["/", "/articles/staying", "/sitemap.xml", child]) {
			expect(await (await get(path)).text(), path).not.toContain("going");
		}
	});

	it("sends the old slug to the new one after a slug change", async () => {
		const a = await insertArticle({ slug: "first-name" });
		await get("/articles/first-name");
		await get("/api/articles/first-name");
		await testDb().update(articles).set({ slug: "second-name" }).where(eq(articles.id, a.id));
		await testDb().insert(slugRedirects).values({ slug: "first-name", articleId: a.id });
		await purge({ kind: "article", before: facts(a), after: facts(a, { slug: "second-name" }) });

		const old = await get("/articles/first-name", { redirect: "manual" });
		expect(old.status).toBe(301);
		expect(old.headers.get("location")).toBe("/articles/second-name");
		const api = await get("/api/articles/first-name", { redirect: "manual" });
		expect(api.headers.get("location")).toBe("/api/articles/second-name");
		expect((await get("/articles/second-name")).status).toBe(200);
	});

	it("shows a page edit and a topic rename on the next request", async () => {
		await insertPage("about", "About us", "We write about magnets.");
		await insertArticle({ slug: "magnets", topicId: taxa.topic.energy });
		for (const path of ["/about", "/api/pages/about", "/articles/magnets", "/", "/api/topics"]) await get(path);

		await testDb().update(pages).set({ title: "About Samarium" }).where(eq(pages.slug, "about"));
		await purge({ kind: "page", slug: "about" });
		expect(await (await get("/about")).text()).toContain("About Samarium");
		expect(await (await get("/api/pages/about")).text()).toContain("About Samarium");

		await testDb().update(topics).set({ name: "Power & Grid" }).where(eq(topics.slug, "energy"));
		await purge({ kind: "taxon", taxon: "topic", slug: "energy" });
		for (const path of ["/articles/magnets", "/", "/api/topics"]) {
			const body = await (await get(path)).text();
			expect(body, path).toMatch(/Power (&amp;|&) Grid/);
		}
	});

	it("leaves other cached pages alone", async () => {
		await insertArticle({ slug: "changed", topicId: taxa.topic.energy, regionId: taxa.region.china });
		const other = await insertArticle({
			slug: "unrelated",
			topicId: taxa.topic.recycling,
			regionId: taxa.region.global,
		});
		for (let i = 0; i < 5; i++) {
			await insertArticle({ topicId: taxa.topic.recycling, regionId: taxa.region.global });
		}
		await get(`/articles/${other.slug}`);
		await get("/about");
		await purge({
			kind: "article",
			before: facts({ slug: "changed" }),
			after: facts({ slug: "changed" }),
		});
		expect((await get(`/articles/${other.slug}`)).headers.get("x-cache")).toBe("HIT");
		expect((await get("/about")).headers.get("x-cache")).toBe("HIT");
	});
});

describe("global purge transports", () => {
	const change: ContentChange = {
		kind: "article",
		before: facts({ slug: "x" }),
		after: facts({ slug: "x" }),
	};

	it("purges Workers Cache by tag where the runtime offers ctx.cache", async () => {
		const calls: unknown[] = [];
		const ctx = createExecutionContext();
		Object.defineProperty(ctx, "cache", {
			value: {
				purge: async (options: unknown) => {
					calls.push(options);
					return { success: true, errors: [] };
				},
			},
		});
		const report = await applyPurge(planPurge(site.SITE_URL, change), site, ctx);
		expect(report.workersCache.status).toBe("ok");
		expect(calls).toEqual([{ tags: expect.arrayContaining(["article:x", "shows:x", "list:home"]) }]);
	});

	it("reports a failed Workers Cache purge without throwing", async () => {
		const ctx = createExecutionContext();
		Object.defineProperty(ctx, "cache", {
			value: { purge: async () => ({ success: false, errors: [{ code: 1, message: "rate limited" }] }) },
		});
		const report = await applyPurge(planPurge(site.SITE_URL, change), site, ctx);
		expect(report.workersCache).toEqual({ status: "failed", error: "1: rate limited" });
		expect(report.local.ok).toBe(true);
	});

	it("calls the zone purge API with tags and URLs when configured", async () => {
		const bodies: unknown[] = [];
		const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
			expect(String(input)).toBe("https://api.cloudflare.com/client/v4/zones/zone-1/purge_cache");
			expect(new Headers(init?.headers).get("authorization")).toBe("Bearer token-1");
			bodies.push(JSON.parse(String(init?.body)));
			return Response.json({ success: true, errors: [] });
		}) as typeof fetch;
		const configured = { ...site, CF_ZONE_ID: "zone-1", CF_API_TOKEN: "token-1" };
		const plan = planPurge(site.SITE_URL, change);
		const report = await applyPurge(plan, configured, createExecutionContext(), { fetch: fakeFetch });
		expect(report.zone.status).toBe("ok");
		expect(bodies).toEqual([{ tags: plan.tags }, { files: plan.keys }]);
	});

	it("logs and reports a failing zone purge, and still purges locally", async () => {
		await insertArticle({ slug: "x" });
		await get("/articles/x");
		const failing = (async () => new Response("upstream down", { status: 502 })) as unknown as typeof fetch;
		const configured = { ...site, CF_ZONE_ID: "zone-1", CF_API_TOKEN: "token-1" };
		const report = await applyPurge(planPurge(site.SITE_URL, change), configured, createExecutionContext(), {
			fetch: failing,
			sleep: async () => {},
		});
		expect(report.zone.status).toBe("failed");
		expect(report.zone.errors?.join(" ")).toContain("502");
		expect(report.local.ok).toBe(true);
		expect((await get("/articles/x")).headers.get("x-cache")).toBe("MISS");
	});

	it("skips global purges that are not configured", async () => {
		const report = await applyPurge(planPurge(site.SITE_URL, change), site, createExecutionContext());
		expect(report.workersCache.status).toBe("skipped");
		expect(report.zone.status).toBe("skipped");
	});
});
