import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { failingD1, fetchApp, freshTaxa, insertArticle, insertPage } from "../helpers";

// Odd and hostile requests against every public route: none may answer 5xx, and errors keep
// their format (JSON under /api, HTML elsewhere).

beforeAll(async () => {
	const taxa = await freshTaxa();
	await insertArticle({ slug: "known", topicId: taxa.topic.energy, regionId: taxa.region.china });
	await insertPage("about", "About", "About us.");
});

const oddSegments = [
	"%00",
	"a%00b",
	"%E0%A4%A",
	"%",
	"%%",
	"%ZZ",
	"%2F",
	"a%2Fb",
	"%5C",
	"..%2F..%2Fetc%2Fpasswd",
	"%2e%2e%2f",
	"%E2%80%AE",
	"%E2%80%8Fknown",
	"%F0%9F%92%A5",
	"caf%C3%A9",
	"KNOWN",
	"known%20",
	"known;drop",
	"'%20OR%201=1--",
	"%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
	"x".repeat(2048),
	"-",
	"a--b",
	"%0d%0aSet-Cookie:%20x=1",
];

const prefixes = ["/articles/", "/topics/", "/regions/", "/api/articles/", "/api/pages/"];

describe.each(prefixes)("%s with odd slugs", (prefix) => {
	it.each(oddSegments)("%s", async (segment) => {
		const res = await fetchApp(`${prefix}${segment}`);
		expect(res.status).toBeLessThan(500);
		expect([301, 404]).toContain(res.status);
		expect(res.headers.get("set-cookie")).toBeNull();
		if (res.status === 404) {
			const type = res.headers.get("content-type") ?? "";
			expect(type).toContain(prefix.startsWith("/api/") ? "application/json" : "text/html");
			const body = await res.text();
			expect(body).not.toContain("<script>alert");
			expect(body).not.toMatch(/at \w+ \(|Error:|stack/);
		}
	});
});

const oddQueries = [
	"cursor=%00",
	"cursor=%",
	`cursor=${"A".repeat(5000)}`,
	"cursor[]=1",
	"cursor=v1.1.1",
	"limit=1e3",
	"limit=0x10",
	"limit=%20%205",
	"limit=9999999999999999999999",
	"topic=%00",
	"topic=energy%27%20OR%201%3D1",
	"region=%F0%9F%92%A5",
	"topic=&region=",
	"utm_source=%3Cscript%3E&fbclid=1",
];

describe.each(["/", "/topics/energy", "/topics", "/regions", "/api/articles"])("%s with odd query strings", (path) => {
	it.each(oddQueries)("?%s", async (query) => {
		const res = await fetchApp(`${path}?${query}`);
		expect(res.status).toBeLessThan(500);
		expect([200, 400]).toContain(res.status);
		const type = res.headers.get("content-type") ?? "";
		expect(type).toContain(path.startsWith("/api/") ? "application/json" : "text/html");
		expect(await res.text()).not.toContain("<script>");
	});
});

// The news sitemap reads no parameter: whatever is sent, the same document.
describe("/news-sitemap.xml with odd query strings", () => {
	it.each(oddQueries)("?%s", async (query) => {
		const plain = await (await fetchApp("/news-sitemap.xml")).text();
		const res = await fetchApp(`/news-sitemap.xml?${query}`);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
		expect(await res.text()).toBe(plain);
	});
});

describe("header tricks", () => {
	it.each<Record<string, string>>([
		{ host: "evil.example" },
		{ "x-forwarded-host": "evil.example" },
		{ "x-forwarded-proto": "http", "x-forwarded-host": "evil.example" },
		{ cookie: "session=abc" },
		{ "accept-language": "x".repeat(8000) },
	])("do not change absolute URLs: %j", async (headers) => {
		const res = await fetchApp("/articles/known", { headers });
		expect(res.status).toBe(200);
		const body = await res.text();
		expect(body).not.toContain("evil.example");
		const api = await (await fetchApp("/api/articles/known", { headers })).text();
		expect(api).not.toContain("evil.example");
	});

	it("a request addressed to another host still links to SITE_URL", async () => {
		for (const path of [
			"/articles/known",
			"/api/articles?limit=1",
			"/feed.xml",
			"/sitemap.xml",
			"/robots.txt",
			"/about/",
		]) {
			const res = await fetchApp(`https://evil.example${path}`, { headers: { "x-forwarded-host": "evil.example" } });
			expect(res.status).toBeLessThan(400);
			expect(res.headers.get("location") ?? "").not.toContain("evil");
			expect(await res.text()).not.toContain("evil.example");
		}
	});
});

describe("failures", () => {
	// A database that throws gets readers a plain "try again"; a SITE_URL that is not a URL makes
	// every page throw, a stand-in for any bug. Neither answer leaks what went wrong.
	it.each([
		{
			name: "a failing database is a 503 with Retry-After",
			bindings: { ...env, DB: failingD1("D1_ERROR: secret internals at line 42") },
			status: 503,
			title: "Temporarily unavailable",
			code: "unavailable",
			retryAfter: "30",
			secret: "secret internals",
		},
		{
			name: "an unexpected failure is a generic 500",
			bindings: { ...env, SITE_URL: "not a url" },
			status: 500,
			title: "Something went wrong",
			code: "internal_error",
			retryAfter: null,
			secret: "Invalid URL",
		},
	])("$name page for people and JSON under /api, with no details", async (c) => {
		const page = await fetchApp("/articles/known", undefined, c.bindings);
		expect(page.status).toBe(c.status);
		expect(page.headers.get("retry-after")).toBe(c.retryAfter);
		expect(page.headers.get("content-type")).toContain("text/html");
		const html = await page.text();
		expect(html).toContain(c.title);
		expect(html).not.toContain(c.secret);

		const api = await fetchApp("/api/articles", undefined, c.bindings);
		expect(api.status).toBe(c.status);
		expect(api.headers.get("retry-after")).toBe(c.retryAfter);
		const body = (await api.json()) as { error: { code: string; message: string } };
		expect(body.error.code).toBe(c.code);
		expect(JSON.stringify(body)).not.toContain(c.secret);
	});
});
