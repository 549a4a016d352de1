import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { listNewsArticles } from "../../src/db/queries/sitemap";
import { NEWS_SITEMAP_MAX, NEWS_WINDOW_MS } from "../../src/lib/sitemaps";
import { bearerToken, createEditor } from "../admin/helpers";
import {
	countingD1,
	fetchApp,
	fetchWorker,
	freshTaxa,
	insertArticle,
	isolatedSite,
	rowsReadOf,
	SITE,
	type TestTaxa,
	testDb,
} from "../helpers";
import { childrenOf, only, parseXml, type XmlElement } from "../xml";

// The Google News sitemap (/news-sitemap.xml): its window, its shape as a crawler's parser reads
// it, its reads, its cache headers and its purges.

const SM = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS = "http://www.google.com/schemas/sitemap-news/0.9";
const HOUR = 3_600_000;

let taxa: TestTaxa;
beforeEach(async () => {
	taxa = await freshTaxa();
});

type NewsEntry = { loc: string; name: string; language: string; date: string; title: string };

/** Every entry, read through the namespaces: exactly the elements Google requires, each once. */
function newsEntries(xml: string): NewsEntry[] {
	const root = parseXml(xml);
	expect([root.ns, root.name]).toEqual([SM, "urlset"]);
	expect(root.children.every((c) => c.ns === SM && c.name === "url")).toBe(true);
	return root.children.map((url: XmlElement) => {
		expect(url.children.map((c) => `${c.ns} ${c.name}`)).toEqual([`${SM} loc`, `${NEWS} news`]);
		const news = only(url, NEWS, "news");
		expect(news.children.map((c) => `${c.ns} ${c.name}`)).toEqual([
			`${NEWS} publication`,
			`${NEWS} publication_date`,
			`${NEWS} title`,
		]);
		const publication = only(news, NEWS, "publication");
		expect(publication.children).toHaveLength(2);
		return {
			loc: only(url, SM, "loc").text,
			name: only(publication, NEWS, "name").text,
			language: only(publication, NEWS, "language").text,
			date: only(news, NEWS, "publication_date").text,
			title: only(news, NEWS, "title").text,
		};
	});
}

describe("GET /news-sitemap.xml", () => {
	it("lists the live articles of the last 48 hours, newest first, as Google News reads them", async () => {
		const now = Date.now();
		const hostile = `Magnets & <b>"quotes"</b> 'n' \u0001 ]]> done`;
		await insertArticle({ slug: "an-hour-ago", title: hostile, publishedAt: now - HOUR });
		await insertArticle({ slug: "nearly-two-days", title: "Nearly two days", publishedAt: now - 47 * HOUR });
		await insertArticle({ slug: "just-too-old", publishedAt: now - NEWS_WINDOW_MS - 60_000 });
		await insertArticle({ slug: "a-draft", status: "draft", publishedAt: now - HOUR });
		await insertArticle({ slug: "scheduled", publishedAt: now + HOUR });
		await insertArticle({ slug: "trashed", publishedAt: now - HOUR, deletedAt: now });

		const res = await fetchApp("/news-sitemap.xml");
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
		const entries = newsEntries(await res.text());
		expect(entries.map((e) => e.loc)).toEqual([`${SITE}/articles/an-hour-ago`, `${SITE}/articles/nearly-two-days`]);
		for (const e of entries) {
			expect([e.name, e.language]).toEqual(["Samarium", "en"]);
			expect(e.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		}
		expect(entries[0]?.date).toBe(new Date(now - HOUR).toISOString());
		// Escaped, and read back as written but for the control character XML 1.0 cannot carry.
		expect(entries[0]?.title).toBe(hostile.replace("\u0001", ""));
		expect(entries[1]?.title).toBe("Nearly two days");
	});

	it("is a valid, empty urlset after two quiet days (Google takes that as nothing new)", async () => {
		await insertArticle({ publishedAt: Date.now() - 3 * 24 * HOUR });
		const res = await fetchApp("/news-sitemap.xml");
		expect(res.status).toBe(200);
		const xml = await res.text();
		expect(newsEntries(xml)).toEqual([]);
		expect(xml).toContain(`xmlns:news="${NEWS}"`);
	});

	it(`lists at most ${NEWS_SITEMAP_MAX}, the newest`, async () => {
		const now = Date.now();
		await env.DB.prepare(
			`INSERT INTO articles (slug, title, summary, body_markdown, body_html, status, published_at, updated_at, created_at)
			WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
			SELECT 'recent-' || i, 'Recent ' || i, 'S.', 'B.', '<p>B.</p>', 'published', ?2 - i * 60000, ?2, ?2 FROM n`,
		)
			.bind(NEWS_SITEMAP_MAX + 5, now)
			.run();
		const entries = newsEntries(await (await fetchApp("/news-sitemap.xml")).text());
		expect(entries).toHaveLength(NEWS_SITEMAP_MAX);
		expect(entries[0]?.loc).toBe(`${SITE}/articles/recent-1`);
		expect(entries.at(-1)?.loc).toBe(`${SITE}/articles/recent-${NEWS_SITEMAP_MAX}`);
	});

	it("reads only the rows it lists, through a range of articles_public_idx, however large the archive", async () => {
		const now = Date.now();
		// 3,000 old articles (a year of them) and 5 recent ones.
		await env.DB.prepare(
			`INSERT INTO articles (slug, title, summary, body_markdown, body_html, status, published_at, updated_at, created_at)
			WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
			SELECT 'old-' || i, 'Old ' || i, 'S.', 'B.', '<p>B.</p>', 'published', ?1 - 72 * ${HOUR} - i * 3 * ${HOUR}, ?1, ?1 FROM n`,
		)
			.bind(now)
			.run();
		for (let i = 1; i <= 5; i++) await insertArticle({ publishedAt: now - i * HOUR });
		const counted = countingD1(env.DB);
		const res = await fetchApp("/news-sitemap.xml", undefined, { ...env, DB: counted.db });
		expect(newsEntries(await res.text())).toHaveLength(5);
		expect(counted.queries).toHaveLength(1);
		const rowsRead = await rowsReadOf(env.DB, counted.queries);
		// Each listed row is an index entry and its row; the rest is headroom, far below 3,000.
		expect(rowsRead).toBeLessThanOrEqual(2 * 5 + 5);

		const q = counted.queries[0];
		if (!q) throw new Error("nothing sent");
		const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
			.bind(...q.params)
			.all<{ detail: string }>();
		const plan = results.map((r) => r.detail).join("\n");
		expect(plan).toMatch(
			/SEARCH articles USING INDEX articles_public_idx \(status=\? AND deleted_at=\? AND published_at>\? AND published_at<\?\)/,
		);
		expect(plan).not.toMatch(/SCAN|TEMP B-TREE/);
	});

	it("the query's window is (now - 48 h, now]", async () => {
		const now = Date.UTC(2026, 5, 1);
		await insertArticle({ slug: "at-now", publishedAt: now });
		await insertArticle({ slug: "at-the-edge", publishedAt: now - NEWS_WINDOW_MS });
		await insertArticle({ slug: "inside-the-edge", publishedAt: now - NEWS_WINDOW_MS + 1 });
		await insertArticle({ slug: "a-moment-later", publishedAt: now + 1 });
		const rows = await listNewsArticles(testDb(), now);
		expect(rows.map((r) => r.slug)).toEqual(["at-now", "inside-the-edge"]);
	});

	it("answers HEAD with the headers and no body, and refuses other methods", async () => {
		const head = await fetchApp("/news-sitemap.xml", { method: "HEAD" });
		expect(head.status).toBe(200);
		expect(head.headers.get("content-type")).toBe("application/xml; charset=utf-8");
		expect(await head.text()).toBe("");
		expect((await fetchApp("/news-sitemap.xml", { method: "POST" })).status).toBe(405);
	});

	it("is listed in robots.txt and in the sitemap index", async () => {
		const robots = await (await fetchApp("/robots.txt")).text();
		expect(robots).toContain(`Sitemap: ${SITE}/sitemap.xml\n`);
		expect(robots).toContain(`Sitemap: ${SITE}/news-sitemap.xml\n`);
		const index = parseXml(await (await fetchApp("/sitemap.xml")).text());
		const locs = childrenOf(index, SM, "sitemap").map((s) => only(s, SM, "loc").text);
		expect(locs).toContain(`${SITE}/news-sitemap.xml`);
	});
});

describe("the news sitemap in the cache", () => {
	it("is cached a minute by shared caches, revalidated by browsers and crawlers, and tagged", async () => {
		const site = isolatedSite();
		await insertArticle({ publishedAt: Date.now() - HOUR });
		const first = await fetchWorker("/news-sitemap.xml", undefined, site);
		expect(first.headers.get("x-cache")).toBe("MISS");
		expect(first.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=60, stale-while-revalidate=60");
		expect(first.headers.get("cache-tag")?.split(",")).toContain("news-sitemap");
		const etag = first.headers.get("etag");
		expect(etag).toBeTruthy();
		const again = await fetchWorker("/news-sitemap.xml", { headers: { "if-none-match": etag ?? "" } }, site);
		expect([again.status, again.headers.get("x-cache")]).toEqual([304, "HIT"]);
	});

	it("shows a new article on the next request after it is published, retitled, or unpublished through the admin API", async () => {
		const site = isolatedSite();
		const auth = await bearerToken(await createEditor({ role: "editor" }));
		const save = async (method: string, path: string, json: unknown) => {
			const res = await fetchWorker(
				`/api/admin${path}`,
				{ method, headers: { authorization: auth, "content-type": "application/json" }, body: JSON.stringify(json) },
				site,
			);
			expect(res.status, await res.clone().text()).toBeLessThan(300);
			return (await res.json()) as { id: number; version: number };
		};
		const titles = async () => {
			const res = await fetchWorker("/news-sitemap.xml", undefined, site);
			return { cache: res.headers.get("x-cache"), titles: newsEntries(await res.text()).map((e) => e.title) };
		};
		await insertArticle({ title: "Yesterday's", publishedAt: Date.now() - 24 * HOUR, topicId: taxa.topic.energy });
		expect(await titles()).toEqual({ cache: "MISS", titles: ["Yesterday's"] });
		expect((await titles()).cache).toBe("HIT");

		const made = await save("POST", "/articles", {
			title: "Fresh off the press",
			summary: "Just published.",
			bodyMarkdown: "Body.",
			region: "china",
			topic: "energy",
			status: "published",
		});
		expect(await titles()).toEqual({ cache: "MISS", titles: ["Fresh off the press", "Yesterday's"] });
		expect((await titles()).cache).toBe("HIT");

		const retitled = await save("PATCH", `/articles/${made.id}`, { title: "Fresh, retitled", version: made.version });
		expect((await titles()).titles).toEqual(["Fresh, retitled", "Yesterday's"]);

		await save("PATCH", `/articles/${made.id}`, { status: "draft", version: retitled.version });
		expect(await titles()).toEqual({ cache: "MISS", titles: ["Yesterday's"] });
	});
});
