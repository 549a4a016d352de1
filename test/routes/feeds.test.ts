import { beforeEach, describe, expect, it } from "vitest";
import { DAY, fetchApp, freshTaxa, insertArticle, SITE, type TestTaxa } from "../helpers";

let taxa: TestTaxa;

beforeEach(async () => {
	taxa = await freshTaxa();
});

describe("GET /feed.xml", () => {
	it("is RSS 2.0 with the newest 20 published items", async () => {
		for (let i = 0; i < 22; i++) {
			await insertArticle({
				title: `Item ${i} & <more>`,
				publishedAt: Date.UTC(2026, 5, 1) - i * DAY,
				topicId: taxa.topic.energy,
			});
		}
		await insertArticle({ title: "Draft", status: "draft", publishedAt: null });
		const res = await fetchApp("/feed.xml");
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
		const xml = await res.text();
		expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"')).toBe(true);
		expect(xml).toContain(`<atom:link href="${SITE}/feed.xml" rel="self" type="application/rss+xml"/>`);
		expect(xml).toContain(`<link>${SITE}/</link>`);
		expect(xml.match(/<item>/g)).toHaveLength(20);
		expect(xml).toContain("<title>Item 0 &amp; &lt;more&gt;</title>");
		expect(xml).toContain("<pubDate>Mon, 01 Jun 2026 00:00:00 GMT</pubDate>");
		expect(xml).toContain("<category>Energy</category>");
		expect(xml).not.toContain("Item 20");
		expect(xml).not.toContain("Draft");
		// Every element that opens closes (a cheap well-formedness check without a parser).
		for (const tag of ["rss", "channel", "item", "title", "link", "guid", "pubDate", "description"]) {
			expect(xml.match(new RegExp(`<${tag}[ >]`, "g"))?.length).toBe(xml.match(new RegExp(`</${tag}>`, "g"))?.length);
		}
	});

	it("is valid with no articles at all", async () => {
		const xml = await (await fetchApp("/feed.xml")).text();
		expect(xml).toContain("<channel>");
		expect(xml).not.toContain("<item>");
		expect(xml).not.toContain("lastBuildDate");
	});
});

describe("GET /sitemap.xml", () => {
	// The index and its children in full: test/routes/sitemap.test.ts.
	it("is an index of the pages child and the articles' children, which list home, pages, topics, regions and visible articles with lastmod", async () => {
		await insertArticle({ slug: "visible", updatedAt: Date.UTC(2026, 1, 3), publishedAt: Date.UTC(2026, 1, 1) });
		await insertArticle({ slug: "scheduled", publishedAt: Date.now() + DAY });
		const res = await fetchApp("/sitemap.xml");
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
		const index = await res.text();
		expect(index).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
		expect(index).toContain(`<sitemap><loc>${SITE}/sitemaps/pages.xml</loc>`);
		expect(index).toContain(
			`<sitemap><loc>${SITE}/sitemaps/articles-1.xml</loc><lastmod>2026-02-03T00:00:00.000Z</lastmod></sitemap>`,
		);

		const articles = await (await fetchApp("/sitemaps/articles-1.xml")).text();
		expect(articles).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
		expect(articles).toContain(
			`<url><loc>${SITE}/articles/visible</loc><lastmod>2026-02-03T00:00:00.000Z</lastmod></url>`,
		);
		expect(articles).not.toContain("scheduled");
		const pages = await (await fetchApp("/sitemaps/pages.xml")).text();
		for (const path of ["/", "/about", "/services", "/topics/energy", "/regions/china"]) {
			expect(pages).toContain(`<loc>${SITE}${path}</loc>`);
		}
	});
});

describe("GET /robots.txt and /healthz", () => {
	it("robots.txt allows readers, keeps admin out and points to the sitemap", async () => {
		const res = await fetchApp("/robots.txt");
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toMatch(/^text\/plain; ?charset=UTF-8$/);
		const text = await res.text();
		expect(text).toContain("Disallow: /admin");
		expect(text).toContain(`Sitemap: ${SITE}/sitemap.xml`);
	});

	it("healthz says ok as text/plain without touching the database", async () => {
		const broken = { ...(await import("cloudflare:workers")).env, DB: undefined as unknown as D1Database };
		const res = await fetchApp("/healthz", undefined, broken);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toMatch(/^text\/plain; ?charset=UTF-8$/);
		expect(await res.text()).toBe("ok");
		const head = await fetchApp("/healthz", { method: "HEAD" }, broken);
		expect(head.status).toBe(200);
	});
});
