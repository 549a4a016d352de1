import { beforeEach, describe, expect, it } from "vitest";
import { encodeCursor } from "../../src/lib/cursor";
import { signedInAdminAndEditor, workerAdminFetch } from "../admin/helpers";
import {
	DAY,
	fetchApp,
	fetchWorker,
	freshTaxa,
	insertArticle,
	insertAuthor,
	isolatedSite,
	SITE,
	setByline,
	type TestTaxa,
} from "../helpers";

// What readers see of authors: bylines on the article page, in its JSON-LD and JSON, in lists and
// the feed; each author's own page; and that a change to an author reaches all of them at once.

let taxa: TestTaxa;
let ada: number;
let bea: number;
let cy: number;

beforeEach(async () => {
	taxa = await freshTaxa();
	ada = await insertAuthor("ada", "Ada Lovelace", {
		description: "Engines correspondent",
		bio: "Writes on <b>engines</b> & numbers.\n\nBased in London.",
		url: "https://ada.example/about",
	});
	bea = await insertAuthor("bea", "Bea Baker");
	cy = await insertAuthor("cy", "Cy Chen");
});

function jsonLd(html: string): Record<string, unknown> {
	return JSON.parse(html.match(/<script type="application\/ld\+json">(.*?)<\/script>/s)?.[1] ?? "{}");
}

const link = (slug: string, name: string) => `<a href="/authors/${slug}">${name}</a>`;

type AuthorJson = { slug: string; name: string; url: string };

describe("the byline", () => {
	it("reads By A, By A and B, By A, B and C, each name linking to the author's page", async () => {
		const cases: [number[], string][] = [
			[[ada], `By ${link("ada", "Ada Lovelace")}`],
			[[bea, ada], `By ${link("bea", "Bea Baker")} and ${link("ada", "Ada Lovelace")}`],
			[[ada, bea, cy], `By ${link("ada", "Ada Lovelace")}, ${link("bea", "Bea Baker")} and ${link("cy", "Cy Chen")}`],
		];
		for (const [ids, byline] of cases) {
			const article = await insertArticle();
			await setByline(article.id, ids);
			const html = await (await fetchApp(`/articles/${article.slug}`)).text();
			expect(html).toContain(byline);
		}
		const none = await insertArticle();
		expect(await (await fetchApp(`/articles/${none.slug}`)).text()).not.toContain("By ");
	});

	it("is in the JSON-LD as Person entries in order, and the site itself when there is none", async () => {
		const article = await insertArticle();
		await setByline(article.id, [bea, ada]);
		const ld = jsonLd(await (await fetchApp(`/articles/${article.slug}`)).text());
		expect(ld.author).toEqual([
			{ "@type": "Person", name: "Bea Baker", url: `${SITE}/authors/bea` },
			{ "@type": "Person", name: "Ada Lovelace", url: `${SITE}/authors/ada` },
		]);
		expect(ld["@type"]).toBe("NewsArticle");
		const none = await insertArticle();
		const noneLd = jsonLd(await (await fetchApp(`/articles/${none.slug}`)).text());
		expect(noneLd.author).toMatchObject({ "@type": "Organization", name: "Samarium" });
	});

	it("is in Article, its Related Articles, and ArticleSummary lists, in order, [] for none", async () => {
		const first = await insertArticle({ topicId: taxa.topic.energy, publishedAt: Date.now() - 2 * DAY });
		const second = await insertArticle({ topicId: taxa.topic.energy });
		await setByline(first.id, [cy, ada]);
		await setByline(second.id, [bea]);
		const article = (await (await fetchApp(`/api/articles/${second.slug}`)).json()) as {
			authors: AuthorJson[];
			related: { slug: string; authors: AuthorJson[] }[];
		};
		expect(article.authors).toEqual([{ slug: "bea", name: "Bea Baker", url: `${SITE}/authors/bea` }]);
		expect(article.related.find((r) => r.slug === first.slug)?.authors.map((a) => a.slug)).toEqual(["cy", "ada"]);
		const list = (await (await fetchApp("/api/articles?topic=energy")).json()) as {
			articles: { slug: string; authors: AuthorJson[] }[];
		};
		expect(list.articles.map((a) => a.authors.map((x) => x.name))).toEqual([
			["Bea Baker"],
			["Cy Chen", "Ada Lovelace"],
		]);
		const plain = await insertArticle();
		expect(((await (await fetchApp(`/api/articles/${plain.slug}`)).json()) as { authors: unknown }).authors).toEqual(
			[],
		);
	});

	it("is in the feed as dc:creator, one per author, escaped", async () => {
		const odd = await insertAuthor("odd", "Zoë <O'Brien> & Co");
		const article = await insertArticle({ title: "Fed" });
		await setByline(article.id, [ada, odd]);
		const xml = await (await fetchApp("/feed.xml")).text();
		expect(xml).toContain('xmlns:dc="http://purl.org/dc/elements/1.1/"');
		expect(xml).toContain(
			"<dc:creator>Ada Lovelace</dc:creator><dc:creator>Zoë &lt;O&apos;Brien&gt; &amp; Co</dc:creator>",
		);
	});

	it("escapes hostile names on the article page and in its JSON-LD", async () => {
		const evil = await insertAuthor("evil", '</script><script>alert(1)</script> "\u202eRLO" 名前');
		const article = await insertArticle();
		await setByline(article.id, [evil]);
		const html = await (await fetchApp(`/articles/${article.slug}`)).text();
		expect(html).not.toContain("<script>alert(1)");
		expect(html).toContain("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
		expect((jsonLd(html).author as { name: string }[])[0]?.name).toContain("</script><script>alert(1)");
	});
});

describe("an author's page", () => {
	it("shows the name, description, bio (escaped) and link, then their newest visible articles", async () => {
		const shown = await insertArticle({ title: "Shown one" });
		const draft = await insertArticle({ title: "A draft", status: "draft", publishedAt: null });
		const scheduled = await insertArticle({ title: "Later one", publishedAt: Date.now() + DAY });
		const trashed = await insertArticle({ title: "Trashed one", deletedAt: Date.now() });
		for (const a of [shown, draft, scheduled, trashed]) await setByline(a.id, [ada]);
		const res = await fetchApp("/authors/ada");
		expect(res.status).toBe(200);
		expect(res.headers.get("cache-tag")).toContain("author:ada");
		const html = await res.text();
		expect(html).toContain("<h1>Ada Lovelace</h1>");
		expect(html).toContain('<p class="page-intro">Engines correspondent</p>');
		expect(html).toContain("<p>Writes on &lt;b&gt;engines&lt;/b&gt; &amp; numbers.</p><p>Based in London.</p>");
		expect(html).toContain('<a href="https://ada.example/about" rel="me nofollow noopener">ada.example/about</a>');
		expect(html).toContain("Shown one");
		for (const hidden of ["A draft", "Later one", "Trashed one"]) expect(html).not.toContain(hidden);
		expect(html).toContain(`<link rel="canonical" href="${SITE}/authors/ada"/>`);
		expect(jsonLd(html)).toMatchObject({
			"@type": "ProfilePage",
			mainEntity: { "@type": "Person", name: "Ada Lovelace" },
		});
		const empty = await (await fetchApp("/authors/bea")).text();
		expect(empty).toContain("Nothing by Bea Baker has been published yet.");
	});

	it("pages like a topic: 20 a page, newest first, with a cursor to older ones", async () => {
		const now = Date.now();
		const slugs: string[] = [];
		for (let i = 0; i < 22; i++) {
			const a = await insertArticle({ publishedAt: now - (i + 1) * 60_000 });
			await setByline(a.id, [bea, ada]);
			slugs.push(a.slug);
		}
		const first = await (await fetchApp("/authors/ada")).text();
		expect(first.match(/<li class="card">/g)).toHaveLength(20);
		const next = first.match(/href="\/authors\/ada\?cursor=([^"]+)" rel="next"/)?.[1];
		expect(next).toBeDefined();
		const second = await fetchApp(`/authors/ada?cursor=${next}`);
		expect(second.status).toBe(200);
		const html = await second.text();
		expect(html).toContain(`/articles/${slugs[20]}"`);
		expect(html).toContain(`/articles/${slugs[21]}"`);
		expect(html).not.toContain(`/articles/${slugs[19]}"`);
		expect(html).toContain('<meta name="robots" content="noindex"');
	});

	it("is listed in the pages sitemap", async () => {
		const xml = await (await fetchApp("/sitemaps/pages.xml")).text();
		for (const slug of ["ada", "bea", "cy"]) expect(xml).toContain(`<loc>${SITE}/authors/${slug}</loc>`);
	});

	it("answers 404 for an unknown author and 400 for a bad cursor, as HTML pages", async () => {
		for (const path of ["/authors/nobody", "/authors/Not%20A%20Slug", "/authors/-"]) {
			const res = await fetchApp(path);
			expect(res.status, path).toBe(404);
			expect(res.headers.get("content-type")).toMatch(/^text\/html/);
		}
		const bad = await fetchApp("/authors/ada?cursor=not-a-cursor");
		expect(bad.status).toBe(400);
		expect(bad.headers.get("content-type")).toMatch(/^text\/html/);
		const fine = encodeCursor({ publishedAt: 0, id: 1 });
		expect((await fetchApp(`/authors/ada?cursor=${fine}`)).status).toBe(200);
	});
});

describe("GET /api/authors/:slug", () => {
	it("returns the author and their newest articles, paginated like /api/articles", async () => {
		for (let i = 0; i < 3; i++) {
			const a = await insertArticle({ title: `Piece ${i}`, publishedAt: Date.now() - (i + 1) * 60_000 });
			await setByline(a.id, [ada, bea]);
		}
		const res = await fetchApp("/api/authors/ada?limit=2");
		expect(res.status).toBe(200);
		const body = (await res.json()) as {
			articles: { title: string; authors: AuthorJson[] }[];
			nextCursor: string | null;
		};
		expect(body).toMatchObject({
			slug: "ada",
			name: "Ada Lovelace",
			url: `${SITE}/authors/ada`,
			description: "Engines correspondent",
			link: "https://ada.example/about",
		});
		expect(body.articles.map((a) => a.title)).toEqual(["Piece 0", "Piece 1"]);
		expect(body.articles[0]?.authors.map((a) => a.slug)).toEqual(["ada", "bea"]);
		const next = (await (await fetchApp(`/api/authors/ada?limit=2&cursor=${body.nextCursor}`)).json()) as {
			articles: { title: string }[];
			nextCursor: string | null;
		};
		expect(next.articles.map((a) => a.title)).toEqual(["Piece 2"]);
		expect(next.nextCursor).toBeNull();
	});

	it("answers JSON 404 for an unknown author and 400 for a bad cursor or limit", async () => {
		for (const path of ["/api/authors/nobody", "/api/authors/NOPE"]) {
			const res = await fetchApp(path);
			expect(res.status).toBe(404);
			expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
		}
		for (const path of ["/api/authors/ada?cursor=zzz", "/api/authors/ada?limit=0", "/api/authors/ada?limit=51"]) {
			expect((await fetchApp(path)).status, path).toBe(400);
		}
	});
});

describe("readers see a change to an author on their very next request", () => {
	it("renaming an author purges their articles, their page, lists, the feed and the JSON", async () => {
		const bindings = isolatedSite();
		const { admin } = await signedInAdminAndEditor();
		const article = await insertArticle({ topicId: taxa.topic.energy });
		await setByline(article.id, [ada]);
		const paths = [
			`/articles/${article.slug}`,
			`/api/articles/${article.slug}`,
			"/authors/ada",
			"/api/authors/ada",
			"/api/articles",
			"/api/articles?topic=energy",
			"/feed.xml",
		];
		for (const path of paths) {
			expect((await fetchWorker(path, undefined, bindings)).headers.get("x-cache"), path).toBe("MISS");
			const hit = await fetchWorker(path, undefined, bindings);
			expect(hit.headers.get("x-cache"), path).toBe("HIT");
			expect(hit.headers.get("cache-tag"), path).toContain("author:ada");
		}
		const res = await workerAdminFetch(
			"/api/admin/authors/ada",
			admin,
			{ method: "PATCH", json: { name: "Ada King" } },
			bindings,
		);
		expect(res.status).toBe(200);
		for (const path of paths) {
			const after = await fetchWorker(path, undefined, bindings);
			expect(after.headers.get("x-cache"), path).toBe("MISS");
			const body = await after.text();
			expect(body, path).toContain("Ada King");
			expect(body, path).not.toContain("Ada Lovelace");
		}
	});

	it("a new byline purges the old and the new author's pages", async () => {
		const bindings = isolatedSite();
		const { admin } = await signedInAdminAndEditor();
		const article = await insertArticle({ title: "Moving byline" });
		await setByline(article.id, [ada]);
		for (const path of ["/authors/ada", "/authors/bea"]) {
			await fetchWorker(path, undefined, bindings);
			expect((await fetchWorker(path, undefined, bindings)).headers.get("x-cache")).toBe("HIT");
		}
		const res = await workerAdminFetch(
			`/api/admin/articles/${article.id}`,
			admin,
			{ method: "PATCH", json: { version: 1, authors: ["bea"] } },
			bindings,
		);
		expect(res.status).toBe(200);
		const adaPage = await fetchWorker("/authors/ada", undefined, bindings);
		expect(adaPage.headers.get("x-cache")).toBe("MISS");
		expect(await adaPage.text()).not.toContain("Moving byline");
		const beaPage = await fetchWorker("/authors/bea", undefined, bindings);
		expect(beaPage.headers.get("x-cache")).toBe("MISS");
		expect(await beaPage.text()).toContain("Moving byline");
	});

	it("a cached 404 of an author's page goes when the author is created", async () => {
		const bindings = isolatedSite();
		const { admin } = await signedInAdminAndEditor();
		expect((await fetchWorker("/authors/dee", undefined, bindings)).status).toBe(404);
		expect((await fetchWorker("/authors/dee", undefined, bindings)).headers.get("x-cache")).toBe("HIT");
		await workerAdminFetch("/api/admin/authors", admin, { json: { slug: "dee", name: "Dee" } }, bindings);
		const page = await fetchWorker("/authors/dee", undefined, bindings);
		expect(page.status).toBe(200);
	});
});
