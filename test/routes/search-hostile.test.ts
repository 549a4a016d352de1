import { beforeAll, describe, expect, it } from "vitest";
import { fetchWorker, freshTaxa, insertArticle, isolatedSite } from "../helpers";

// Whatever a reader types, search answers 200 (results, none, or the prompt) or 400 with a
// message, in the right format, through the whole Worker (the cache key is built from the query
// too). No character of the input reaches FTS5's query syntax, so none of these is a 500.

beforeAll(async () => {
	await freshTaxa();
	await insertArticle({
		slug: "magnets",
		title: "Magnets and motors",
		summary: "NEAR the plant, AND OR NOT.",
		bodyMarkdown: 'Text with "quotes", *stars*, col: colons and the private marks \uE000 \uE001 in it.',
	});
});

/** Raw query strings, as typed into the box (encoded before sending). */
const typed: string[] = [
	// FTS5 syntax, alone and in context
	'"',
	'""',
	'"""',
	'"magnets',
	'magnets"',
	'"magnets" "',
	"*",
	"**",
	"magnets*",
	"*magnets",
	"mag*ets",
	"AND",
	"OR",
	"NOT",
	"magnets AND",
	"AND magnets",
	"magnets OR motors",
	"NOT magnets",
	"magnets NOT motors",
	"NEAR(",
	"NEAR()",
	"NEAR(magnets motors)",
	"NEAR(magnets motors, 2)",
	"NEAR/3",
	"magnets NEAR/2 motors",
	"-",
	"-magnets",
	"magnets -motors",
	"--",
	"col:",
	"title:",
	"title:magnets",
	"summary:near",
	"body:*",
	"{title summary}: magnets",
	"- title : magnets",
	"^",
	"^magnets",
	"magnets^",
	"+",
	"magnets + motors",
	"(",
	")",
	"()",
	"(magnets OR motors)",
	"((((((((((",
	":",
	"::",
	"rank:",
	"bm25(articles_fts)",
	"MATCH",
	"articles_fts",
	"rowid",
	"*:*",
	// SQL and LIKE
	"'",
	"''",
	"\\",
	"magnets\\",
	"%",
	"_",
	"%magnets%",
	";",
	"magnets; DROP TABLE articles; --",
	"' OR 1=1 --",
	'" OR "1"="1',
	"') UNION SELECT * FROM editors --",
	"?1",
	"$1",
	"NULL",
	// numbers and words that mean something elsewhere
	"0",
	"-1",
	"1e308",
	"NaN",
	"undefined",
	"true",
	"[]",
	"{}",
	"__proto__",
	"constructor",
	// markup
	"<script>alert(1)</script>",
	'"><img src=x onerror=alert(1)>',
	"&amp;",
	"&#0;",
	"</mark><mark>",
	"<mark>magnets</mark>",
	// control and invisible characters
	"\u0000",
	"magnets\u0000motors",
	"\u0001\u0002\u0003",
	"\t\n\r",
	"\u007f",
	"\u0085",
	"\u200b",
	"mag\u200bnets",
	"\u202emagnets",
	"\ufeff",
	"\uE000",
	"\uE000magnets\uE001",
	"\uE001\uE001\uE000",
	// scripts, emoji, normalisation
	"😀",
	"👩‍👩‍👧",
	"🇫🇷 magnets",
	"稀土",
	"稀土 磁铁",
	"مغناطيس",
	"מגנט",
	"Z̴̛̗a̶l̷g̵o̸ magnets",
	"ﬁ",
	"ＡＮＤ ＭＡＧＮＥＴＳ",
	"MAGNETS",
	"magnéts",
	"e\u0301",
	// sizes
	"a".repeat(200),
	"a".repeat(201),
	"a".repeat(1000),
	"magnets ".repeat(125),
	"x ".repeat(12),
	Array.from({ length: 12 }, (_, i) => `w${i}`).join(" "),
	Array.from({ length: 13 }, (_, i) => `w${i}`).join(" "),
	"NEAR(".repeat(40),
	'"'.repeat(200),
	"*".repeat(1000),
	" ",
	"",
];

/** Query strings sent as they are: odd encodings and parameters. */
const sent: string[] = [
	"q=%",
	"q=%zz",
	"q=%E0%A4%A",
	"q=%ED%A0%80",
	"q=%C0%AF",
	"q=%FF%FE",
	"q",
	"q=&q=magnets",
	"q=magnets&q=",
	"q[]=magnets",
	"Q=magnets",
	"q=magnets&topic=",
	"q=magnets&topic=%00",
	"q=magnets&topic=..%2F",
	"q=magnets&region=NOT",
	"q=magnets&cursor=",
	"q=magnets&cursor=%00",
	"q=magnets&cursor=czEuMA",
	"q=magnets&cursor=czEuLTE",
	"q=magnets&cursor=czEuOTk5OTk5OTk5",
	"q=magnets&limit=-1",
	"q=magnets&limit=1e3",
	"q=magnets&limit=%20",
];

const queries = [...typed.map((q) => `q=${encodeURIComponent(q)}`), ...sent];

describe("hostile search queries", () => {
	it(`has at least 100 of them (${queries.length})`, () => {
		expect(queries.length).toBeGreaterThanOrEqual(100);
	});

	it("answer /api/search with 200 or a JSON 400 that says why", async () => {
		const site = isolatedSite();
		for (const query of queries) {
			const res = await fetchWorker(`/api/search?${query}`, undefined, site);
			expect([200, 400], query).toContain(res.status);
			expect(res.headers.get("content-type"), query).toMatch(/^application\/json/);
			const body = (await res.json()) as {
				results?: { snippet: string }[];
				error?: { message: string };
			};
			if (res.status === 400) expect(body.error?.message, query).toBeTruthy();
			for (const r of body.results ?? []) expect(r.snippet.replace(/<\/?mark>/g, ""), query).not.toMatch(/[<>]/);
		}
	});

	it("answer /search with 200 or a 400 page, each with a search box", async () => {
		const site = isolatedSite();
		for (const query of queries) {
			const res = await fetchWorker(`/search?${query}`, undefined, site);
			expect([200, 400], query).toContain(res.status);
			expect(res.headers.get("content-type"), query).toMatch(/^text\/html/);
			const html = await res.text();
			expect(html, query).toContain('<form action="/search" method="get">');
			// Any reason to refuse the query itself is shown by the search form.
			if (res.status === 400 && query.startsWith("q=") && !/&(?:topic|region|cursor|limit)=/.test(query)) {
				expect(html, query).toContain('<p id="search-error" class="field-error" role="alert">');
			}
			expect(html, query).not.toMatch(/<script>alert|<img src=x/);
		}
	});

	it("still find the article for queries that carry its words among the noise", async () => {
		const site = isolatedSite();
		for (const q of [
			"magnets*",
			"NOT magnets",
			"magnets:",
			"(magnets OR motors)",
			"MAGNETS",
			"🇫🇷 magnets",
			'"magnets',
		]) {
			const res = await fetchWorker(`/api/search?q=${encodeURIComponent(q)}`, undefined, site);
			const body = (await res.json()) as { results: { slug: string }[] };
			expect(
				body.results.map((r) => r.slug),
				q,
			).toEqual(["magnets"]);
		}
	});
});
