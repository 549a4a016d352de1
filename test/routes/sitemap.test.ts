import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { articlesChildPath, SITEMAP_CHUNK_SIZE } from "../../src/lib/sitemaps";
import { bearerToken, createEditor } from "../admin/helpers";
import { LIVE_CHILDREN, SEEDED_MAX_ID, seedSitemapArticles } from "../db/sitemap-seed";
import { countingD1, fetchApp, fetchWorker, isolatedSite, rowsReadOf } from "../helpers";

// The sitemap index and its children, through the whole Worker (edge cache included), over a few
// thousand articles spread across several children at the real child size.

const NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
const TEXT = `(?:[^<>&"']|&(?:amp|lt|gt|quot|apos);)+`;
const LASTMOD = "<lastmod>\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z</lastmod>";
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/**
 * The whole document against the sitemaps.org schema's grammar: declaration, root element in the
 * sitemap namespace, one or more entries (the schema's minOccurs), each a loc and an optional
 * W3C datetime lastmod, text escaped. A regular expression suffices because the grammar is flat.
 */
function expectValid(xml: string, root: "sitemapindex" | "urlset"): void {
	const entry = root === "urlset" ? "url" : "sitemap";
	const grammar = new RegExp(
		`^<\\?xml version="1\\.0" encoding="UTF-8"\\?>\\n<${root} xmlns="${esc(NS)}">\\n` +
			`(?:<${entry}><loc>${TEXT}</loc>(?:${LASTMOD})?</${entry}>\\n)+</${root}>$`,
	);
	expect(grammar.test(xml), xml.slice(0, 300)).toBe(true);
}

type Entry = { loc: string; lastmod: string | null };
function entries(xml: string): Entry[] {
	return [...xml.matchAll(/<loc>([^<]*)<\/loc>(?:<lastmod>([^<]*)<\/lastmod>)?/g)].map((m) => ({
		loc: m[1] ?? "",
		lastmod: m[2] ?? null,
	}));
}

async function get(site: Env & { SITE_URL: string }, path: string) {
	const res = await fetchWorker(path, undefined, site);
	return { res, text: await res.text() };
}

let visible: string[];
let site: Env & { SITE_URL: string };

beforeEach(async () => {
	visible = await seedSitemapArticles();
	site = isolatedSite();
});

describe("the sitemap index and its children", () => {
	it("lists every visible article exactly once across the children, and nothing else", async () => {
		const index = await get(site, "/sitemap.xml");
		expect(index.res.status).toBe(200);
		expect(index.res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
		expect(index.res.headers.get("cache-tag")?.split(",")).toContain("sitemap");
		expectValid(index.text, "sitemapindex");
		const children = entries(index.text);
		expect(children.map((c) => c.loc)).toEqual([
			`${site.SITE_URL}/sitemaps/pages.xml`,
			`${site.SITE_URL}/news-sitemap.xml`,
			...LIVE_CHILDREN.map((n) => `${site.SITE_URL}${articlesChildPath(n)}`),
		]);

		const listed: string[] = [];
		// The news sitemap (a urlset of the last 48 hours' articles): test/routes/news-sitemap.test.ts.
		for (const child of children.filter((c) => !c.loc.endsWith("/news-sitemap.xml"))) {
			const path = new URL(child.loc).pathname;
			const res = await fetchWorker(path, undefined, site);
			expect(res.status, path).toBe(200);
			expect(res.headers.get("x-cache"), path).toBe("MISS");
			expect(res.headers.get("cache-tag")?.split(","), path).toContain("sitemap");
			const xml = await res.text();
			expectValid(xml, "urlset");
			const urls = entries(xml);
			expect(urls.length, path).toBeLessThanOrEqual(SITEMAP_CHUNK_SIZE);
			// The child's lastmod in the index is the newest of its entries'.
			const newest = urls
				.map((u) => u.lastmod ?? "")
				.sort()
				.at(-1);
			expect(child.lastmod, path).toBe(newest);
			for (const u of urls) {
				const slug = /\/articles\/([a-z0-9-]+)$/.exec(u.loc)?.[1];
				if (slug) listed.push(slug);
			}
			// Served from the edge cache the second time.
			expect((await fetchWorker(path, undefined, site)).headers.get("x-cache"), path).toBe("HIT");
		}
		expect(visible.length).toBeGreaterThan(2000);
		expect(listed.length).toBe(visible.length);
		expect(new Set(listed).size).toBe(listed.length);
		expect([...listed].sort()).toEqual([...visible].sort());
	});

	it("dates each article by its last change: an edit, or a publication that came later", async () => {
		// Article 8 was saved a day before its scheduled publication (which has since come).
		await env.DB.prepare("UPDATE articles SET updated_at = published_at - 86400000 WHERE id = 8").run();
		const { results } = await env.DB.prepare(
			"SELECT slug, published_at, updated_at FROM articles WHERE id IN (7, 8) ORDER BY id",
		).all<{ slug: string; published_at: number; updated_at: number }>();
		const [edited, plain] = results;
		expect(edited && edited.updated_at > edited.published_at).toBe(true);
		expect(plain && plain.updated_at < plain.published_at).toBe(true);
		const xml = (await get(site, articlesChildPath(1))).text;
		for (const row of [edited, plain]) {
			if (!row) throw new Error("seed changed");
			const lastmod = new Date(Math.max(row.published_at, row.updated_at)).toISOString();
			expect(xml).toContain(`<url><loc>${site.SITE_URL}/articles/${row.slug}</loc><lastmod>${lastmod}</lastmod></url>`);
		}
	});

	it("the pages child lists home, pages, topics and regions", async () => {
		const { res, text } = await get(site, "/sitemaps/pages.xml");
		expect(res.status).toBe(200);
		expectValid(text, "urlset");
		const locs = entries(text).map((e) => e.loc.slice(site.SITE_URL.length));
		expect(locs).toEqual([
			"/",
			"/about",
			"/services",
			"/topics",
			"/regions",
			"/topics/automotive",
			"/topics/energy",
			"/topics/recycling",
			"/regions/china",
			"/regions/global",
			"/regions/united-states",
		]);
		expect(entries(text)[0]?.lastmod).not.toBeNull();
	});

	it("is still an index of the pages child and the news sitemap when there are no articles", async () => {
		await env.DB.prepare("DELETE FROM articles").run();
		const index = await get(site, "/sitemap.xml");
		expectValid(index.text, "sitemapindex");
		expect(entries(index.text)).toEqual([
			{ loc: `${site.SITE_URL}/sitemaps/pages.xml`, lastmod: null },
			{ loc: `${site.SITE_URL}/news-sitemap.xml`, lastmod: null },
		]);
		expectValid((await get(site, "/sitemaps/pages.xml")).text, "urlset");
		expect((await get(site, articlesChildPath(1))).res.status).toBe(404);
	});

	it.each([
		articlesChildPath(3), // only drafts, scheduled and trashed articles
		articlesChildPath(5), // no ids at all
		"/sitemaps/articles-999999.xml",
		"/sitemaps/articles-0.xml",
		"/sitemaps/articles-01.xml",
		"/sitemaps/articles--1.xml",
		"/sitemaps/articles-1e3.xml",
		"/sitemaps/articles-0x1.xml",
		"/sitemaps/articles-1.xml.gz",
		"/sitemaps/articles-1",
		"/sitemaps/articles-99999999999999999999999.xml",
		"/sitemaps/..%2Fsitemap.xml",
		"/sitemaps/%2e%2e%2fsitemap.xml",
		"/sitemaps/pages.xml.bak",
		"/sitemaps/sitemap.xml",
		"/sitemaps/articles-1.xml/x",
	])("%s is a 404, cached like other 404s", async (path) => {
		const first = await fetchWorker(path, undefined, site);
		expect(first.status, path).toBe(404);
		expect(first.headers.get("x-cache"), path).toBe("MISS");
		expect(await first.text(), path).not.toMatch(/stack|Error:/);
		const second = await fetchWorker(path, undefined, site);
		expect(second.status, path).toBe(404);
		expect(second.headers.get("x-cache"), path).toBe("HIT");
		expect(second.headers.get("cache-control"), path).toMatch(/s-maxage=30\b/);
	});

	it("robots.txt still points at the index", async () => {
		expect((await get(site, "/robots.txt")).text).toContain(`Sitemap: ${site.SITE_URL}/sitemap.xml`);
	});
});

describe("what each render reads", () => {
	/** D1's rows_read over exactly the statements the route sent. */
	async function rowsRead(path: string): Promise<number> {
		const counted = countingD1(env.DB);
		const res = await fetchApp(path, undefined, { ...env, DB: counted.db });
		expect(res.status, path).toBe(200);
		return rowsReadOf(env.DB, counted.queries);
	}

	it("the index reads a few rows a child, not every article", async () => {
		const read = await rowsRead("/sitemap.xml");
		// Six children seeked (one index entry and its row each), the ends of the id range, the recursion.
		expect(read).toBeLessThanOrEqual(10 * Math.ceil(SEEDED_MAX_ID / SITEMAP_CHUNK_SIZE) + 10);
		expect(read).toBeLessThan(visible.length / 20);
	});

	it("a child reads about its own published rows, whatever the rest of the table holds", async () => {
		const { results } = await env.DB.prepare(
			"SELECT count(*) AS n FROM articles WHERE id >= ?1 AND id < ?2 AND status = 'published' AND deleted_at IS NULL",
		)
			.bind(3 * SITEMAP_CHUNK_SIZE, 4 * SITEMAP_CHUNK_SIZE)
			.all<{ n: number }>();
		const published = results[0]?.n ?? 0;
		expect(published).toBeGreaterThan(500);
		const read = await rowsRead(articlesChildPath(4));
		expect(read).toBeLessThanOrEqual(2 * published + 10);
	});
});

describe("after an editor publishes", () => {
	it("the newest child and the index show the article on the next request, through the cache", async () => {
		const auth = { authorization: await bearerToken(await createEditor({ role: "editor" })) };
		const save = async (method: string, path: string, json: unknown) => {
			const res = await fetchWorker(
				`/api/admin${path}`,
				{ method, headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(json) },
				site,
			);
			expect(res.status, path).toBeLessThan(300);
			return (await res.json()) as { id: number; slug: string; version: number };
		};
		const publish = (slug: string) =>
			save("POST", "/articles", {
				title: `Fresh ${slug}`,
				summary: "New.",
				bodyMarkdown: "Body.",
				slug,
				region: "china",
				topic: "energy",
				status: "published",
			});
		const newChild = articlesChildPath(LIVE_CHILDREN.length + 3);
		// Warm every copy a publication must reach: the index, the last child, the 404 of the next.
		for (const path of ["/sitemap.xml", articlesChildPath(6), newChild]) {
			await fetchWorker(path, undefined, site);
			expect((await fetchWorker(path, undefined, site)).headers.get("x-cache"), path).toBe("HIT");
		}

		// The next id opens child 7: its cached 404 must not hide it.
		const first = await publish("first-fresh");
		expect(first.id).toBe(SEEDED_MAX_ID + 1);
		const index = await get(site, "/sitemap.xml");
		expect(index.res.headers.get("x-cache")).toBe("MISS");
		const listed = entries(index.text).find((e) => e.loc === `${site.SITE_URL}${newChild}`);
		expect(listed?.lastmod).toBeTruthy();
		const child = await get(site, newChild);
		expect(child.res.status).toBe(200);
		expect(child.text).toContain(`${site.SITE_URL}/articles/first-fresh</loc>`);
		// The older children did not change (their content, not just their address).
		expect((await get(site, articlesChildPath(6))).text).not.toContain("fresh");

		// A second one joins child 7, now cached as a 200.
		expect((await fetchWorker(newChild, undefined, site)).headers.get("x-cache")).toBe("HIT");
		const second = await publish("second-fresh");
		const both = await get(site, newChild);
		expect(both.res.headers.get("x-cache")).toBe("MISS");
		expect(entries(both.text).map((e) => e.loc.split("/").at(-1))).toEqual(
			expect.arrayContaining(["first-fresh", "second-fresh"]),
		);

		// Trashing both empties child 7: a 404 again, and the index drops it.
		await save("DELETE", `/articles/${first.id}`, { version: first.version });
		await save("DELETE", `/articles/${second.id}`, { version: second.version });
		expect((await get(site, newChild)).res.status).toBe(404);
		expect((await get(site, "/sitemap.xml")).text).not.toContain(newChild);
	});
});
