import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { SEARCH_CANDIDATES } from "../../src/db/queries/search";
import { encodeCursor } from "../../src/lib/cursor";
import { encodeSearchCursor } from "../../src/lib/search";
import { fetchApp, freshTaxa, insertArticle, type TestTaxa, testDb } from "../helpers";

// The reader's search: what is found (visible articles only), in which order, with which
// snippet, and the shape of both routes. Caching and purges: ./search-cache.test.ts; hostile
// queries: ./search-hostile.test.ts.

type Result = {
	slug: string;
	title: string;
	summary: string;
	publishedAt: string;
	url: string;
	region: { slug: string; name: string } | null;
	topic: { slug: string; name: string } | null;
	snippet: string;
};
type SearchJson = { results: Result[]; nextCursor: string | null };

async function searchJson(query: string): Promise<SearchJson> {
	const res = await fetchApp(`/api/search?${query}`);
	expect(res.status, await res.clone().text()).toBe(200);
	return (await res.json()) as SearchJson;
}

const slugsOf = (json: SearchJson) => json.results.map((r) => r.slug);

const HOUR = 3_600_000;
let taxa: TestTaxa;

beforeAll(async () => {
	taxa = await freshTaxa();
	const now = Date.now();
	// Ranking: the same word once in the title, once in the summary, once in the body; the body
	// one is the newest, so only the weights put the title first.
	await insertArticle({
		slug: "in-title",
		title: "Cobalt refiners expand",
		summary: "Plants grow.",
		bodyMarkdown: "Nothing else here.",
		publishedAt: now - 5 * HOUR,
	});
	await insertArticle({
		slug: "in-summary",
		title: "Plants grow",
		summary: "Cobalt output rises.",
		bodyMarkdown: "Nothing else here.",
		publishedAt: now - 4 * HOUR,
	});
	await insertArticle({
		slug: "in-body",
		title: "Plants grow again",
		summary: "Output rises.",
		bodyMarkdown: "The cobalt story continues in the body.",
		publishedAt: now - 3 * HOUR,
	});
	// Equal scores: the newest first.
	for (const [slug, hoursAgo] of [
		["twin-older", 10],
		["twin-newer", 9],
	] as const) {
		await insertArticle({
			slug,
			title: "Gallium twins",
			summary: "Same words.",
			bodyMarkdown: "Same words here.",
			publishedAt: now - hoursAgo * HOUR,
		});
	}
	// Never found, however well they match.
	await insertArticle({ slug: "secret-draft", title: "Vanadium draft", status: "draft", publishedAt: null });
	await insertArticle({ slug: "secret-scheduled", title: "Vanadium scheduled", publishedAt: now + 24 * HOUR });
	await insertArticle({ slug: "secret-trashed", title: "Vanadium trashed", deletedAt: now - HOUR });
	await insertArticle({ slug: "vanadium-live", title: "Vanadium live", publishedAt: now - HOUR });
	// Snippet escaping: markup typed as text in the body must come back as text.
	await insertArticle({
		slug: "escaping",
		title: "Tungsten & markup",
		summary: "Escaping.",
		bodyMarkdown: 'Tungsten <script>alert("x")</script> & `<b>tungsten</b>` stays text.',
		publishedAt: now - 2 * HOUR,
	});
	// Filters and paging: 30 articles with "niobium", split over topics and regions.
	for (let i = 0; i < 30; i++) {
		await insertArticle({
			slug: `niobium-${i}`,
			title: `Niobium report ${i}`,
			summary: "Niobium.",
			topicId: i % 2 === 0 ? taxa.topic.energy : taxa.topic.recycling,
			regionId: i % 5 === 0 ? taxa.region.china : taxa.region.global,
			publishedAt: now - (20 + i) * HOUR,
		});
	}
	// Words stemmed and folded: "refiners" is found by "refiner", "Québec" by "quebec".
	await insertArticle({
		slug: "folded",
		title: "Lithium in Québec",
		summary: "Diacritics.",
		publishedAt: now - 6 * HOUR,
	});
});

describe("GET /api/search: what is found", () => {
	it("ranks a title match above a summary match above a body match, whatever their age", async () => {
		expect(slugsOf(await searchJson("q=cobalt"))).toEqual(["in-title", "in-summary", "in-body"]);
	});

	it("puts the newest first among equal matches", async () => {
		expect(slugsOf(await searchJson("q=gallium"))).toEqual(["twin-newer", "twin-older"]);
	});

	it("finds only visible articles: not drafts, scheduled or trashed ones", async () => {
		expect(slugsOf(await searchJson("q=vanadium"))).toEqual(["vanadium-live"]);
		// Not by a word of the draft's own title either.
		expect(slugsOf(await searchJson("q=vanadium+draft"))).toEqual([]);
		expect(slugsOf(await searchJson("q=scheduled"))).toEqual([]);
	});

	it("requires every word, and keeps a quoted phrase together", async () => {
		expect(slugsOf(await searchJson("q=cobalt+refiners"))).toEqual(["in-title"]);
		expect(slugsOf(await searchJson("q=cobalt+nickel"))).toEqual([]);
		expect(slugsOf(await searchJson(`q=${encodeURIComponent('"story continues"')}`))).toEqual(["in-body"]);
		expect(slugsOf(await searchJson(`q=${encodeURIComponent('"continues story"')}`))).toEqual([]);
	});

	it("stems English words and ignores case and diacritics", async () => {
		expect(slugsOf(await searchJson("q=refiner"))).toEqual(["in-title"]);
		expect(slugsOf(await searchJson("q=QUEBEC"))).toEqual(["folded"]);
		expect(slugsOf(await searchJson(`q=${encodeURIComponent("lithium québec")}`))).toEqual(["folded"]);
	});

	it("searches the body's text, not its Markdown or HTML", async () => {
		// "script" is only in the body's text as typed, and "b" only as markup the reader never sees.
		expect(slugsOf(await searchJson("q=script+alert"))).toEqual(["escaping"]);
		expect(slugsOf(await searchJson("q=href"))).toEqual([]);
	});
});

describe("GET /api/search: the shape", () => {
	it("answers ArticleSummary fields plus an escaped snippet with only <mark> in it", async () => {
		const json = await searchJson("q=tungsten");
		expect(json.nextCursor).toBeNull();
		const [hit] = json.results;
		expect(hit).toMatchObject({
			slug: "escaping",
			title: "Tungsten & markup",
			summary: "Escaping.",
			url: "https://samarium.test/articles/escaping",
			region: null,
			topic: null,
		});
		expect(hit?.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect(hit?.snippet).toBe(
			"<mark>Tungsten</mark> &lt;script&gt;alert(“x”)&lt;/script&gt; &amp; &lt;b&gt;<mark>tungsten</mark>&lt;/b&gt; stays text.",
		);
		// Nothing but <mark> and </mark> survives as a tag.
		for (const r of json.results) expect(r.snippet.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
	});

	it("quotes the summary when only the summary matched, and the body's opening when only the title did", async () => {
		const [summaryHit] = (await searchJson("q=output+cobalt")).results;
		expect(summaryHit?.snippet).toBe("<mark>Cobalt</mark> <mark>output</mark> rises.");
		const [titleHit] = (await searchJson("q=refiners")).results;
		expect(titleHit?.snippet).toBe("Nothing else here.");
	});

	it("filters by topic and region, and pages with nextCursor until every result was seen once", async () => {
		const all = await searchJson("q=niobium");
		expect(all.results).toHaveLength(20);
		expect(all.nextCursor).not.toBeNull();
		const rest = await searchJson(`q=niobium&cursor=${all.nextCursor}`);
		expect(rest.results).toHaveLength(10);
		expect(rest.nextCursor).toBeNull();
		const seen = [...slugsOf(all), ...slugsOf(rest)];
		expect(new Set(seen).size).toBe(30);

		const energy = await searchJson("q=niobium&topic=energy&limit=50");
		expect(energy.results).toHaveLength(15);
		expect(energy.results.every((r) => r.topic?.slug === "energy")).toBe(true);
		const both = await searchJson("q=niobium&topic=energy&region=china&limit=50");
		expect(slugsOf(both).sort()).toEqual(["niobium-0", "niobium-10", "niobium-20"]);

		let cursor: string | null = null;
		const walked: string[] = [];
		do {
			const page: SearchJson = await searchJson(`q=niobium&limit=7${cursor ? `&cursor=${cursor}` : ""}`);
			walked.push(...slugsOf(page));
			cursor = page.nextCursor;
		} while (cursor);
		expect(walked).toEqual(seen);
	});

	it("answers an empty list, not an error, for a query with no words", async () => {
		for (const q of ['"', "*", "%F0%9F%98%80", "-", "%E2%80%94"]) {
			expect(await searchJson(`q=${q}`)).toEqual({ results: [], nextCursor: null });
		}
	});

	it("refuses what it cannot run with a 400 naming the parameter", async () => {
		const cases: [string, string][] = [
			["", "q"],
			["q=", "q"],
			["q=%20%20", "q"],
			[`q=${"a".repeat(201)}`, "q"],
			[`q=${Array.from({ length: 13 }, (_, i) => `w${i}`).join("+")}`, "q"],
			["q=x&topic=no-such-topic", "topic"],
			["q=x&region=no-such-region", "region"],
			["q=x&topic=Not_A_Slug", "topic"],
			["q=x&limit=0", "limit"],
			["q=x&limit=51", "limit"],
			["q=x&cursor=garbage", "cursor"],
			// A list cursor is not a search cursor, and no cursor points past what a search ranks.
			[`q=x&cursor=${encodeCursor({ publishedAt: 1, id: 1 })}`, "cursor"],
			[`q=x&cursor=${encodeSearchCursor(SEARCH_CANDIDATES)}`, "cursor"],
		];
		for (const [query, field] of cases) {
			const res = await fetchApp(`/api/search?${query}`);
			expect(res.status, query).toBe(400);
			expect(res.headers.get("content-type"), query).toMatch(/^application\/json/);
			const body = (await res.json()) as { error: { message: string; fields?: Record<string, string> } };
			expect(body.error.fields?.[field], query).toBeTruthy();
		}
	});
});

describe("GET /search", () => {
	const page = async (query: string, status = 200) => {
		const res = await fetchApp(`/search${query}`);
		expect(res.status, query).toBe(status);
		expect(res.headers.get("content-type")).toMatch(/^text\/html/);
		return res.text();
	};

	it("explains itself, with the form and every topic and region, before anything is searched", async () => {
		const html = await page("");
		expect(html).toContain("<h1>Search</h1>");
		expect(html).toContain("Find any published article");
		expect(html).toMatch(/<option value="energy">Energy<\/option>/);
		expect(html).toMatch(/<option value="china">China<\/option>/);
		expect(html).not.toContain('class="cards"');
	});

	it("lists the ranked results with their snippets, the query kept in the box and the filters selected", async () => {
		const html = await page("?q=%20Cobalt%20&topic=");
		expect(html).toContain("Search results for “cobalt”");
		expect(html).toContain('value="cobalt"');
		const order = ["in-title", "in-summary", "in-body"].map((slug) => html.indexOf(`href="/articles/${slug}"`));
		expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] ?? 0)))).toBe(true);
		expect(html).toContain("<mark>Cobalt</mark> output rises.");
		const filtered = await page("?q=niobium&topic=energy&region=china");
		expect(filtered).toMatch(/<option value="energy" selected="">Energy<\/option>/);
		expect(filtered).toContain('<p class="page-intro">Energy · China only</p>');
		expect(filtered).toMatch(/<option value="china" selected="">China<\/option>/);
	});

	it("escapes the snippet's text", async () => {
		const html = await page("?q=tungsten");
		expect(html).toContain("&lt;script&gt;alert(“x”)&lt;/script&gt;");
		expect(html).not.toContain("<script>alert");
	});

	it("pages with a More results link that keeps the query and filters", async () => {
		const html = await page("?q=niobium&region=global");
		const next = html.match(/href="([^"]+)" rel="next"/)?.[1]?.replace(/&amp;/g, "&");
		expect(next).toMatch(/^\/search\?q=niobium&region=global&cursor=/);
		const second = await page(next?.slice("/search".length) ?? "");
		expect(second).toContain("First results");
		expect(second).toContain('<ol class="cards" start="21">');
		expect(second).toContain('<meta name="robots" content="noindex"/>');
	});

	it("says so when nothing matches", async () => {
		expect(await page("?q=unobtainium")).toContain("No published article contains all of these words");
	});

	it("shows the form with the reason for a query it cannot run, as a 400", async () => {
		const html = await page(`?q=${"long ".repeat(60)}`, 400);
		expect(html).toContain("Search for at most 200 characters.");
		expect(html).toContain('aria-invalid="true"');
		expect(await page("?q=x&topic=no-such-topic", 400)).toContain("There is no topic");
	});

	it("has a search box in the site header of every reader page, errors included", async () => {
		const article = await testDb().query.articles.findFirst();
		for (const path of ["/", "/search", `/articles/${article?.slug}`, "/topics/energy", "/no-such-page"]) {
			const html = await (await fetchApp(path)).text();
			expect(html, path).toMatch(/<search class="site-search"><form action="\/search" method="get">/);
			expect(html, path).toContain('<input id="site-search-q" type="search" name="q"');
		}
	});
});

describe("the index stays in step with articles", () => {
	it("re-indexes an edited title and summary, and drops a deleted article", async () => {
		const a = await insertArticle({ title: "Scandium plans", summary: "First." });
		expect(slugsOf(await searchJson("q=scandium"))).toEqual([a.slug]);
		await env.DB.prepare("UPDATE articles SET title = 'Yttrium plans' WHERE id = ?").bind(a.id).run();
		expect(slugsOf(await searchJson("q=scandium"))).toEqual([]);
		expect(slugsOf(await searchJson("q=yttrium"))).toEqual([a.slug]);
		await env.DB.prepare("DELETE FROM articles WHERE id = ?").bind(a.id).run();
		expect(slugsOf(await searchJson("q=yttrium"))).toEqual([]);
		const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM articles_fts WHERE rowid = ?")
			.bind(a.id)
			.first<{ n: number }>()) ?? { n: -1 };
		expect(n).toBe(0);
	});

	it("indexes every article once, with its body as plain text", async () => {
		const counts = await env.DB.prepare(
			"SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM articles_fts) AS indexed",
		).first<{ articles: number; indexed: number }>();
		expect(counts?.indexed).toBe(counts?.articles);
		const row = await env.DB.prepare(
			"SELECT f.body AS body FROM articles_fts f JOIN articles a ON a.id = f.rowid WHERE a.slug = 'escaping'",
		).first<{ body: string }>();
		expect(row?.body).toBe("Tungsten <script>alert(“x”)</script> & <b>tungsten</b> stays text.");
	});
});
