import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
	countingD1,
	DAY,
	fetchApp,
	freshTaxa,
	insertArticle,
	insertCorrection,
	insertPage,
	insertRedirect,
	SITE,
	type TestTaxa,
} from "../helpers";

let taxa: TestTaxa;

beforeEach(async () => {
	taxa = await freshTaxa();
});

async function html(path: string, init?: RequestInit) {
	const res = await fetchApp(path, init);
	return { res, body: await res.text() };
}

function expectHtml(res: Response, status = 200) {
	expect(res.status).toBe(status);
	expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
}

describe("GET /", () => {
	it("lists the newest published articles with links, dates and summaries", async () => {
		const a = await insertArticle({
			title: "Quota notice lands",
			publishedAt: Date.UTC(2025, 8, 17, 14, 33, 11),
			regionId: taxa.region.china,
			topicId: taxa.topic.energy,
		});
		await insertArticle({ title: "Unfinished draft", status: "draft", publishedAt: null });
		await insertArticle({ title: "Coming next month", publishedAt: Date.now() + 30 * DAY });
		const { res, body } = await html("/");
		expectHtml(res);
		expect(body.startsWith("<!DOCTYPE html>")).toBe(true);
		expect(body).toContain('<html lang="en">');
		expect(body).toContain(`<a href="/articles/${a.slug}">Quota notice lands</a>`);
		expect(body).toContain('<time datetime="2025-09-17T14:33:11.000Z">9/17/2025, 2:33:11 PM</time>');
		expect(body).toContain(a.summary);
		expect(body).toMatch(
			/<\/time><span class="dot"[^>]*> · <\/span><span class="taxon">China<\/span><span class="dot"[^>]*> · <\/span><span class="taxon">Energy<\/span>/,
		);
		expect(body).not.toContain("Unfinished draft");
		expect(body).not.toContain("Coming next month");
	});

	it("paginates 20 at a time with an Older link, and the second page has the rest", async () => {
		for (let i = 0; i < 25; i++) await insertArticle({ title: `Story ${i}`, publishedAt: Date.now() - (i + 1) * DAY });
		const first = await html("/");
		expect(first.body.match(/class="card"/g)).toHaveLength(20);
		const next = first.body.match(/href="\/\?cursor=([^"]+)" rel="next"/)?.[1];
		expect(next).toBeTruthy();
		const second = await html(`/?cursor=${next}`);
		expectHtml(second.res);
		expect(second.body.match(/class="card"/g)).toHaveLength(5);
		expect(second.body).toContain("Story 24");
		expect(second.body).not.toContain("Story 19<");
		expect(second.body).toContain('<a href="/">← Newest</a>');
		expect(second.body).not.toContain('rel="next"');
	});

	it("answers a bad cursor with a 400 page", async () => {
		const { res, body } = await html("/?cursor=garbage!");
		expectHtml(res, 400);
		expect(body).toContain("Not a cursor this site issued");
	});

	it("ignores tracking and unknown parameters", async () => {
		await insertArticle({ title: "Still here" });
		const { res, body } = await html("/?utm_source=x&fbclid=y&whatever=1");
		expectHtml(res);
		expect(body).toContain("Still here");
	});

	it("says so when nothing is published yet", async () => {
		const { res, body } = await html("/");
		expectHtml(res);
		expect(body).toContain("No articles have been published yet.");
	});
});

describe("GET /articles/:slug", () => {
	async function articleWithRelated() {
		const article = await insertArticle({
			slug: "quota-notice",
			title: "Quota notice lands",
			summary: "A notice changes export licensing.",
			publishedAt: Date.UTC(2025, 8, 17, 14, 33, 11),
			updatedAt: Date.UTC(2025, 8, 18, 9, 0, 0),
			regionId: taxa.region.china,
			topicId: taxa.topic.energy,
			bodyMarkdown: "First paragraph.\n\nSecond paragraph with a [link](https://example.org/notice).",
		});
		const related = await insertArticle({
			slug: "related-one",
			title: "A related story",
			topicId: taxa.topic.energy,
			publishedAt: Date.UTC(2025, 7, 1, 8, 0, 0),
		});
		return { article, related };
	}

	it("shows everything the design lists", async () => {
		const { related } = await articleWithRelated();
		const { res, body } = await html("/articles/quota-notice");
		expectHtml(res);
		// Site header
		expect(body).toContain('<span class="brand-name">SAMARIUM</span>');
		expect(body).toContain("a software development company");
		expect(body).toMatch(/<a href="\/about"[^>]*>About<\/a>/);
		expect(body).toMatch(/<a href="\/services"[^>]*>Services<\/a>/);
		// Title, time, region and topic, summary, body paragraphs
		expect(body).toContain('<h1 id="article-title">Quota notice lands</h1>');
		expect(body).toContain('<time datetime="2025-09-17T14:33:11.000Z">9/17/2025, 2:33:11 PM</time>');
		expect(body).toContain('<a href="/regions/china">China</a>');
		expect(body).toContain('<a href="/topics/energy">Energy</a>');
		expect(body).toContain("A notice changes export licensing.");
		expect(body).toContain("<p>First paragraph.</p>\n<p>Second paragraph with a ");
		expect(body).not.toContain("\\n");
		// Related Articles
		expect(body).toContain("Related Articles");
		expect(body).toContain(`<a href="/articles/${related.slug}">A related story</a>`);
		expect(body).toContain('<time datetime="2025-08-01T08:00:00.000Z">8/1/2025, 8:00:00 AM</time>');
		// A content change without a correction moves no reader-facing date.
		expect(body).not.toContain("Updated");
	});

	it("shows a correction's time as the Updated time, linked to the corrections", async () => {
		const { article } = await articleWithRelated();
		await insertCorrection(article.id, "The notice was issued on Wednesday.", Date.UTC(2025, 8, 18, 9, 0, 0));
		const { body } = await html("/articles/quota-notice");
		expect(body).toMatch(/Updated <time datetime="2025-09-18T09:00:00.000Z">9\/18\/2025, 9:00:00 AM<\/time>/);
		expect(body).toContain("The notice was issued on Wednesday.");
		const jsonLd = JSON.parse(body.match(/<script type="application\/ld\+json">(.*?)<\/script>/)?.[1] ?? "null");
		expect(jsonLd.dateModified).toBe("2025-09-18T09:00:00.000Z");
	});

	it("does not show an update time when the article was not changed after publication", async () => {
		await insertArticle({ slug: "untouched", publishedAt: Date.UTC(2025, 0, 1), updatedAt: Date.UTC(2025, 0, 1) });
		const { body } = await html("/articles/untouched");
		expect(body).not.toContain("Updated");
	});

	it("has title, description, canonical, OpenGraph, Twitter and NewsArticle JSON-LD in the head", async () => {
		await articleWithRelated();
		const { body } = await html("/articles/quota-notice");
		const head = body.slice(0, body.indexOf("</head>"));
		expect(head).toContain("<title>Quota notice lands · Samarium</title>");
		expect(head).toContain('<meta name="description" content="A notice changes export licensing."/>');
		// From SITE_URL, never from the request's Host (localhost here).
		expect(head).toContain(`<link rel="canonical" href="${SITE}/articles/quota-notice"/>`);
		expect(head).toContain('<meta property="og:type" content="article"/>');
		expect(head).toContain(`<meta property="og:url" content="${SITE}/articles/quota-notice"/>`);
		expect(head).toContain('<meta property="article:published_time" content="2025-09-17T14:33:11.000Z"/>');
		expect(head).toContain('<meta name="twitter:card" content="summary"/>');
		expect(head).not.toContain("localhost");
		const jsonLd = JSON.parse(head.match(/<script type="application\/ld\+json">(.*?)<\/script>/)?.[1] ?? "null");
		expect(jsonLd).toMatchObject({
			"@context": "https://schema.org",
			"@type": "NewsArticle",
			headline: "Quota notice lands",
			datePublished: "2025-09-17T14:33:11.000Z",
			// updatedAt moved, but without a correction the reader-facing date stays.
			dateModified: "2025-09-17T14:33:11.000Z",
			url: `${SITE}/articles/quota-notice`,
			articleSection: "Energy",
		});
	});

	it("costs one D1 round trip of one statement", async () => {
		await articleWithRelated();
		const { db, counts } = countingD1(env.DB);
		const res = await fetchApp("/articles/quota-notice", undefined, { ...env, DB: db });
		expect(res.status).toBe(200);
		expect(await res.text()).toContain("A related story");
		expect(counts.roundTrips).toBe(1);
		expect(counts.statements).toBe(1);
	});

	it("answers unknown, draft, scheduled and trashed slugs with a 404 page", async () => {
		await insertArticle({ slug: "a-draft", status: "draft", publishedAt: null });
		await insertArticle({ slug: "a-scheduled", publishedAt: Date.now() + DAY });
		await insertArticle({ slug: "a-trashed", deletedAt: Date.now() });
		for (const slug of ["nope", "a-draft", "a-scheduled", "a-trashed"]) {
			const { res, body } = await html(`/articles/${slug}`);
			expectHtml(res, 404);
			expect(body).toContain("Page not found");
			expect(body).toContain('<meta name="robots" content="noindex"/>');
		}
	});

	it.each([
		"UPPER",
		"..a",
		"a..b",
		"%2e%2e%2fetc",
		"a%00b",
		"a%2Fb",
		"%E2%80%AEevil",
		"caf%C3%A9",
		"x".repeat(300),
		"1'%20OR%20'1'='1",
	])("answers the odd slug %j with a 404 page, not an error", async (slug) => {
		const { res } = await html(`/articles/${slug}`);
		expectHtml(res, 404);
	});

	it("redirects a retired slug to the current one with a 301", async () => {
		const a = await insertArticle({ slug: "current-slug" });
		await insertRedirect("retired-slug", a.id);
		const res = await fetchApp("/articles/retired-slug");
		expect(res.status).toBe(301);
		expect(res.headers.get("location")).toBe("/articles/current-slug");
	});

	it("answers HEAD like GET, without a body", async () => {
		await articleWithRelated();
		const res = await fetchApp("/articles/quota-notice", { method: "HEAD" });
		expectHtml(res);
		expect(await res.text()).toBe("");
		expect((await fetchApp("/articles/missing", { method: "HEAD" })).status).toBe(404);
	});

	it("shows script and img-onerror in title, summary and body as text", async () => {
		await insertArticle({
			slug: "hostile",
			title: '<img src=x onerror="alert(1)"> title',
			summary: "<script>alert('summary')</script>",
			bodyMarkdown: "<script>alert('body')</script>\n\n<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3))",
		});
		await insertArticle({ slug: "neighbour", title: "Neighbour" });
		for (const path of ["/articles/hostile", "/articles/neighbour", "/"]) {
			const { body } = await html(path);
			expect(body).not.toMatch(/<script>alert|<img src=x|href="javascript:/i);
		}
		const { body } = await html("/articles/hostile");
		expect(body).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; title");
		expect(body).toContain("&lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt;");
		expect(body).toContain("&lt;script&gt;alert(‘body’)&lt;/script&gt;");
		// JSON-LD cannot be closed early by a title.
		expect(body).not.toMatch(/<\/script><script/);
	});

	it("keeps a title with </script> inside the JSON-LD block", async () => {
		await insertArticle({ slug: "breakout", title: "</script><script>alert(1)</script>" });
		const { body } = await html("/articles/breakout");
		const block = body.match(/<script type="application\/ld\+json">(.*?)<\/script>/)?.[1] ?? "";
		expect(JSON.parse(block).headline).toBe("</script><script>alert(1)</script>");
		expect(body.match(/<script/g)).toHaveLength(1);
	});
});

describe("GET /topics/:slug and /regions/:slug", () => {
	it("lists the newest articles of that topic", async () => {
		await insertArticle({ title: "Energy story", topicId: taxa.topic.energy });
		await insertArticle({ title: "Car story", topicId: taxa.topic.automotive });
		const { res, body } = await html("/topics/energy");
		expectHtml(res);
		expect(body).toContain("<h1>Energy</h1>");
		expect(body).toContain("Energy story");
		expect(body).not.toContain("Car story");
		expect(body).toContain(`<link rel="canonical" href="${SITE}/topics/energy"/>`);
	});

	it("lists the newest articles of that region, paginated", async () => {
		for (let i = 0; i < 21; i++) {
			await insertArticle({
				title: `China ${i}`,
				regionId: taxa.region.china,
				publishedAt: Date.now() - (i + 1) * DAY,
			});
		}
		const first = await html("/regions/china");
		expectHtml(first.res);
		expect(first.body.match(/class="card"/g)).toHaveLength(20);
		const cursor = first.body.match(/href="\/regions\/china\?cursor=([^"]+)"/)?.[1];
		const second = await html(`/regions/china?cursor=${cursor}`);
		expect(second.body.match(/class="card"/g)).toHaveLength(1);
		expect(second.body).toContain("China 20");
	});

	it("shows an empty but real page for a topic with nothing published", async () => {
		const { res, body } = await html("/topics/recycling");
		expectHtml(res);
		expect(body).toContain("Nothing has been published here yet.");
	});

	it("answers unknown or malformed slugs with 404 and bad cursors with 400", async () => {
		expectHtml((await html("/topics/nope")).res, 404);
		expectHtml((await html("/regions/Nope%20Nope")).res, 404);
		expectHtml((await html("/topics/energy?cursor=zzz")).res, 400);
	});
});

describe("GET /about and /services", () => {
	it("renders pages from the pages table", async () => {
		await insertPage("about", "About Samarium", "We are **samarium.dev**, a software development company.");
		await insertPage("services", "Services", "- Edge apps\n- Data pipelines");
		const about = await html("/about");
		expectHtml(about.res);
		expect(about.body).toContain('<h1 id="page-title">About Samarium</h1>');
		expect(about.body).toContain("<strong>samarium.dev</strong>");
		expect(about.body).toContain(
			'<meta name="description" content="We are samarium.dev, a software development company."/>',
		);
		expect(about.body).toContain('aria-current="page"');
		const services = await html("/services");
		expect(services.body).toContain("<li>Edge apps</li>");
	});

	it("answers 404 when the page has not been written", async () => {
		expectHtml((await html("/about")).res, 404);
	});
});

describe("addresses and methods", () => {
	it("redirects a trailing slash to the page without it, as a path", async () => {
		await insertArticle({ slug: "slashed" });
		for (const [from, to] of [
			["/articles/slashed/", "/articles/slashed"],
			["/about/?utm_source=x", "/about?utm_source=x"],
			["//evil.example/", "/evil.example"],
		]) {
			const res = await fetchApp(from ?? "");
			expect(res.status, from).toBe(301);
			expect(res.headers.get("location")).toBe(to);
		}
	});

	it("answers other methods on reader routes with 405 and Allow", async () => {
		const res = await fetchApp("/", { method: "POST" });
		expectHtml(res, 405);
		expect(res.headers.get("allow")).toBe("GET, HEAD");
		const api = await fetchApp("/api/articles", { method: "DELETE" });
		expect(api.status).toBe(405);
		expect(((await api.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
	});
});

describe("every HTML response", () => {
	it("carries the security headers and a CSP that allows no script", async () => {
		await insertArticle({ slug: "any" });
		for (const path of ["/", "/articles/any", "/nope", "/?cursor=bad"]) {
			const res = await fetchApp(path);
			const csp = res.headers.get("content-security-policy") ?? "";
			expect(csp).toContain("script-src 'none'");
			expect(csp).toContain("default-src 'none'");
			expect(csp).toContain("frame-ancestors 'none'");
			expect(csp).toContain("connect-src 'self'");
			expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
			expect(csp).not.toContain("unsafe-inline");
			expect(res.headers.get("x-content-type-options")).toBe("nosniff");
			expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
		}
	});

	it("asks for HTTPS only when served over HTTPS", async () => {
		const secure = await fetchApp("https://samarium.test/healthz");
		expect(secure.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
		const plain = await fetchApp("http://localhost/healthz");
		expect(plain.headers.get("strict-transport-security")).toBeNull();
	});

	it("has exactly the one stylesheet the CSP hash allows, and nothing external", async () => {
		const res = await fetchApp("/");
		const body = await res.text();
		const styles = [...body.matchAll(/<style>(.*?)<\/style>/gs)].map((m) => m[1] ?? "");
		expect(styles).toHaveLength(1);
		const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(styles[0]));
		const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
		expect(res.headers.get("content-security-policy")).toContain(`'sha256-${hash}'`);
		expect(body).not.toMatch(/<link[^>]+rel="stylesheet"|<script src=|@import|@font-face|style="/);
	});

	it("has landmarks, a skip link and one h1", async () => {
		await insertArticle({ slug: "any" });
		const { body } = await html("/articles/any");
		expect(body).toContain('<a class="skip" href="#main">');
		expect(body).toContain('<main id="main"');
		expect(body).toContain("<header");
		expect(body).toContain("<footer");
		expect(body).toContain('<nav class="site-nav" aria-label="Site">');
		expect(body.match(/<h1/g)).toHaveLength(1);
		expect(body).toContain("prefers-color-scheme:dark");
	});

	it("answers unknown paths with the HTML 404 page", async () => {
		const { res, body } = await html("/no/such/page");
		expectHtml(res, 404);
		expect(body).toContain("There is nothing at this address.");
	});
});
