import { describe, expect, it } from "vitest";
import {
	bypassReason,
	cacheTarget,
	isPrivatePath,
	lifetimeFor,
	publicCacheControl,
	type RouteKind,
} from "../../src/cache/policy";

const SITE = "https://samarium.test";

/** The target of a path (or full URL) as the edge cache sees it. */
function target(pathOrUrl: string) {
	return cacheTarget(new URL(pathOrUrl, SITE), SITE);
}

function keyOf(pathOrUrl: string): string | undefined {
	return target(pathOrUrl)?.key;
}

describe("cacheTarget key", () => {
	it("is built on the site origin, never on the request's host, scheme or port", () => {
		expect(keyOf("http://evil.example/articles/a-b")).toBe("https://samarium.test/articles/a-b");
		expect(keyOf("http://localhost:8787/api/articles/a-b")).toBe("https://samarium.test/api/articles/a-b");
		expect(keyOf("https://samarium.test.evil.example/")).toBe("https://samarium.test/");
	});

	it("drops tracking and unknown parameters", () => {
		expect(keyOf("/?utm_source=a&cursor=abc")).toBe("https://samarium.test/?cursor=abc");
		expect(keyOf("/?utm_source=a&cursor=abc")).toBe(keyOf("/?cursor=abc"));
		expect(keyOf("/articles/a-b?fbclid=1&gclid=2&x=3")).toBe("https://samarium.test/articles/a-b");
		expect(keyOf("/?utm_source=a&utm_medium=b")).toBe("https://samarium.test/");
		expect(keyOf("/topics/energy?x=1&cursor=c")).toBe("https://samarium.test/topics/energy?cursor=c");
		expect(keyOf("/regions/china?gclid=g")).toBe("https://samarium.test/regions/china");
		expect(keyOf("/authors/ada?utm_source=x&cursor=c")).toBe("https://samarium.test/authors/ada?cursor=c");
	});

	it("ignores parameters a route does not read", () => {
		// The home page does not filter: a topic there must not split its key.
		expect(keyOf("/?topic=energy")).toBe("https://samarium.test/");
		expect(keyOf("/api/articles/a-b?limit=5")).toBe("https://samarium.test/api/articles/a-b");
		expect(keyOf("/feed.xml?cursor=abc")).toBe("https://samarium.test/feed.xml");
		expect(keyOf("/about?cursor=abc")).toBe("https://samarium.test/about");
	});

	it("keeps the API list's parameters in a fixed order", () => {
		expect(keyOf("/api/articles?limit=5&topic=energy&foo=1")).toBe(
			"https://samarium.test/api/articles?topic=energy&limit=5",
		);
		expect(keyOf("/api/articles?region=r&topic=t")).toBe("https://samarium.test/api/articles?topic=t&region=r");
		expect(keyOf("/api/articles?limit=2&cursor=c&region=r&topic=t")).toBe(
			"https://samarium.test/api/articles?topic=t&region=r&cursor=c&limit=2",
		);
		expect(keyOf("/api/articles?region=r&topic=t")).toBe(keyOf("/api/articles?topic=t&region=r"));
	});

	it("takes the first of repeated parameters", () => {
		expect(keyOf("/?cursor=a&cursor=b")).toBe("https://samarium.test/?cursor=a");
		expect(keyOf("/api/articles?topic=a&topic=b")).toBe("https://samarium.test/api/articles?topic=a");
	});

	it("keeps an empty value apart from the bare page", () => {
		expect(keyOf("/?cursor=")).toBe("https://samarium.test/?cursor=");
		expect(keyOf("/?cursor=")).not.toBe(keyOf("/"));
		expect(keyOf("/api/articles?topic=")).not.toBe(keyOf("/api/articles"));
	});

	it("encodes kept values so that they cannot smuggle in another parameter", () => {
		expect(keyOf("/?cursor=a%26topic%3Db")).toBe("https://samarium.test/?cursor=a%26topic%3Db");
	});
});

describe("cacheTarget search keys", () => {
	it("hold the query as search reads it: trimmed, lowercased, white space collapsed", () => {
		const key = "https://samarium.test/search?q=rare+earth";
		expect(keyOf("/search?q=rare%20earth")).toBe(key);
		expect(keyOf("/search?q=%20%20RARE%09%0AEarth%20")).toBe(key);
		expect(keyOf("/search?q=Rare+Earth&utm_source=x&page=2")).toBe(key);
	});

	it("keep only the parameters search reads, empty filters dropped, in a fixed order", () => {
		expect(keyOf("/search?region=china&q=x&topic=energy&cursor=abc&limit=5")).toBe(
			"https://samarium.test/search?q=x&topic=energy&region=china&cursor=abc",
		);
		expect(keyOf("/api/search?limit=5&q=x&topic=&region=")).toBe("https://samarium.test/api/search?q=x&limit=5");
		expect(keyOf("/search?q=%20%20")).toBe("https://samarium.test/search");
	});

	it("are of their own kind, with the search tag", () => {
		expect(target("/search?q=x")).toMatchObject({ kind: "search", tags: ["site", "search"] });
		expect(target("/api/search?q=x")).toMatchObject({ kind: "search", tags: ["site", "search"] });
	});
});

describe("cacheTarget private and internal addresses", () => {
	it.each([
		"/admin",
		"/admin/",
		"/admin/x",
		"/admin/articles/1",
		"/api/admin",
		"/api/admin/",
		"/api/admin/x",
		"/healthz",
		"/__cache/tags/list%3Ahome",
		"/__cache/anything",
	])("%s is never cached", (path) => {
		expect(target(path)).toBeNull();
		expect(target(`${path}?utm_source=x`)).toBeNull();
	});

	it.each(["/administrator", "/adminx", "/api/administrator", "/healthz2", "/__cachex"])(
		"%s is an ordinary address",
		(path) => {
			expect(target(path)).toEqual({ kind: "other", key: `https://samarium.test${path}`, tags: ["site"] });
		},
	);
});

describe("cacheTarget kinds", () => {
	it.each<[string, RouteKind]>([
		["/articles/a-b", "article"],
		["/api/articles/a-b", "article"],
		["/", "list"],
		["/topics/energy", "list"],
		["/regions/china", "list"],
		["/authors/ada", "list"],
		["/api/articles", "list"],
		["/api/articles?topic=energy", "list"],
		["/about", "page"],
		["/services", "page"],
		["/api/pages/about", "page"],
		["/api/topics", "taxa"],
		["/api/regions", "taxa"],
		["/feed.xml", "feed"],
		["/sitemap.xml", "feed"],
		["/news-sitemap.xml", "news"],
		["/topics", "list"],
		["/regions", "list"],
		["/sitemaps/pages.xml", "feed"],
		["/sitemaps/articles-1.xml", "feed"],
		["/sitemaps/articles-01.xml", "feed"],
		["/sitemaps", "other"],
		["/sitemaps/articles-1.xml/x", "other"],
		["/sitemaps/articles-1.xml/", "other"],
		["/robots.txt", "robots"],
		["/nope", "other"],
		["/articles", "other"],
		["/articles/a/b", "other"],
		["/api/articles/a/b", "other"],
		["/api/nope", "other"],
		["/favicon.ico", "icon"],
		["/favicon.svg", "icon"],
		["/favicon-admin.svg", "icon"],
		["/favicon.png", "other"],
		["/favicon.svg/", "other"],
		["/contact", "other"],
		// Trailing-slash variants are separate addresses (they answer with a redirect).
		["/articles/x/", "other"],
		["/api/articles/x/", "other"],
		["/topics/energy/", "other"],
		["/regions/china/", "other"],
		["/about/", "other"],
		["/api/topics/", "other"],
		["/api/pages/about/", "other"],
		["/feed.xml/", "other"],
	])("%s is %s", (path, kind) => {
		expect(target(path)?.kind).toBe(kind);
	});
});

describe("cacheTarget tags", () => {
	it.each<[string, string[]]>([
		["/articles/a-b", ["site", "article:a-b"]],
		["/api/articles/a-b", ["site", "article:a-b"]],
		["/", ["site", "list:home"]],
		["/?cursor=abc", ["site", "list:home"]],
		["/api/articles", ["site", "list:home"]],
		["/api/articles?cursor=abc&limit=5", ["site", "list:home"]],
		["/api/articles?topic=t", ["site", "list:topic:t"]],
		["/api/articles?region=r", ["site", "list:region:r"]],
		["/api/articles?region=r&topic=t", ["site", "list:topic:t", "list:region:r"]],
		["/topics/energy", ["site", "list:topic:energy"]],
		["/topics/energy?cursor=abc", ["site", "list:topic:energy"]],
		["/regions/china", ["site", "list:region:china"]],
		["/authors/ada?cursor=abc&utm_source=x", ["site", "list:author:ada"]],
		["/authors/Not%20a%20slug", ["site"]],
		["/api/authors/ada?limit=5", ["site", "list:author:ada"]],
		["/about", ["site", "page:about"]],
		["/services", ["site", "page:services"]],
		["/api/pages/about", ["site", "page:about"]],
		["/feed.xml", ["site", "feed"]],
		["/sitemap.xml", ["site", "sitemap"]],
		["/news-sitemap.xml?utm_source=x", ["site", "news-sitemap"]],
		["/topics", ["site", "index:topics"]],
		["/regions", ["site", "index:regions"]],
		["/sitemaps/pages.xml", ["site", "sitemap"]],
		["/sitemaps/articles-7.xml", ["site", "sitemap"]],
		// Not a child (a 404), but one a purge of the sitemap must reach all the same.
		["/sitemaps/articles-x.xml", ["site", "sitemap"]],
		["/api/topics", ["site", "taxa"]],
		["/api/regions", ["site", "taxa"]],
		["/robots.txt", ["site"]],
		["/nope", ["site"]],
	])("%s carries %j", (path, tags) => {
		expect(target(path)?.tags).toEqual(tags);
	});

	it("names an article only when its slug is valid", () => {
		for (const path of [
			"/articles/A-B",
			"/articles/a_b",
			"/articles/a--b",
			"/api/articles/%E2%80%AE",
			"/articles/-a",
		]) {
			const t = target(path);
			expect(t?.kind).toBe("article");
			expect(t?.tags).toEqual(["site"]);
		}
		expect(target(`/articles/${"a".repeat(121)}`)?.tags).toEqual(["site"]);
		expect(target(`/articles/${"a".repeat(120)}`)?.tags).toEqual(["site", `article:${"a".repeat(120)}`]);
	});

	it("names no taxon or page from an invalid slug", () => {
		expect(target("/topics/Energy")?.tags).toEqual(["site"]);
		expect(target("/regions/a,b")?.tags).toEqual(["site"]);
		expect(target("/api/pages/About")?.tags).toEqual(["site"]);
		// An unknown filter is a 400, never stored; it must not name a taxon's list either way.
		expect(target("/api/articles?topic=Energy")?.tags.some((t) => t.startsWith("list:topic:"))).toBe(false);
		expect(target("/api/articles?topic=a,b&region=r")?.tags).toEqual(["site", "list:region:r"]);
	});

	it("puts no spaces or commas in any tag", () => {
		for (const path of ["/articles/a%20b", "/api/articles?topic=a%2Cb", "/topics/a%20b", "/api/pages/a,b"]) {
			for (const t of target(path)?.tags ?? []) expect(t).toMatch(/^[\x21-\x7e]+$/);
			for (const t of target(path)?.tags ?? []) expect(t).not.toContain(",");
		}
	});
});

describe("isPrivatePath", () => {
	it.each(["/admin", "/admin/", "/admin/login", "/admin/articles/1/edit", "/api/admin", "/api/admin/articles"])(
		"%s is private",
		(path) => {
			expect(isPrivatePath(path)).toBe(true);
		},
	);

	it.each(["/", "/administrator", "/admins", "/api/administrator", "/api/articles", "/articles/admin", "/x/admin"])(
		"%s is public",
		(path) => {
			expect(isPrivatePath(path)).toBe(false);
		},
	);
});

describe("bypassReason", () => {
	const request = (init: RequestInit = {}) => new Request(`${SITE}/articles/a-b`, init);

	it("lets plain GET and HEAD through", () => {
		expect(bypassReason(request())).toBeNull();
		expect(bypassReason(request({ method: "HEAD" }))).toBeNull();
	});

	it.each(["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])("bypasses %s", (method) => {
		expect(bypassReason(request({ method }))).toBe("method");
	});

	// Public pages read no identity: answering credentials fresh would hand anyone a way past the
	// cache to D1 (and past the cached 404s that keep slug scans off it).
	it.each([
		["Authorization: Bearer", { Authorization: "Bearer tok" }],
		["Authorization: Basic", { authorization: "Basic eDp5" }],
		["a session cookie", { Cookie: "samarium_session=abc" }],
		["the https session cookie", { Cookie: "theme=dark;   __Host-samarium_session=abc; lang=en" }],
		["an empty session cookie", { Cookie: "a=1; b=2; samarium_session=" }],
		["other cookies", { Cookie: "theme=dark" }],
	])("does not bypass for %s", (_, headers) => {
		expect(bypassReason(request({ headers }))).toBeNull();
	});
});

describe("lifetimeFor", () => {
	const response = (status: number, headers: HeadersInit = {}) =>
		new Response(status === 301 ? null : "body", { status, headers });

	it.each<RouteKind>(["article", "list", "page", "taxa", "feed", "news", "robots", "icon", "other"])(
		"gives %s the same lifetime for a 200 and a 301",
		(kind) => {
			const ok = lifetimeFor(kind, response(200));
			expect(ok).not.toBeNull();
			expect(ok?.fresh).toBeGreaterThan(0);
			expect(ok?.swr).toBeGreaterThan(0);
			expect(lifetimeFor(kind, response(301, { location: "/x" }))).toEqual(ok);
		},
	);

	it("keeps lists fresh for less time than articles", () => {
		const list = lifetimeFor("list", response(200));
		const article = lifetimeFor("article", response(200));
		expect(list?.fresh).toBeLessThanOrEqual(60);
		expect(list?.fresh).toBeLessThan(article?.fresh ?? 0);
	});

	it("keeps the news sitemap, whose 48 hours slide with the clock, a minute in shared caches", () => {
		const news = lifetimeFor("news", response(200));
		expect(news).toEqual({ fresh: 60, swr: 60 });
		expect(publicCacheControl(news ?? { fresh: 0, swr: 0 })).toBe(
			"public, max-age=0, s-maxage=60, stale-while-revalidate=60",
		);
	});

	it("keeps the icons, which only a deploy changes, fresh for a day", () => {
		expect(lifetimeFor("icon", response(200))?.fresh).toBe(86_400);
	});

	it.each([404, 400])("keeps a %i briefly, whatever the kind", (status) => {
		for (const kind of ["article", "list", "page", "other"] as const) {
			const lifetime = lifetimeFor(kind, response(status));
			expect(lifetime).not.toBeNull();
			expect(lifetime?.fresh).toBeGreaterThan(0);
			expect(lifetime?.fresh).toBeLessThanOrEqual(60);
			expect(lifetime?.fresh).toBeLessThanOrEqual(lifetimeFor(kind, response(200))?.fresh ?? 0);
		}
	});

	it.each([204, 206, 302, 304, 401, 403, 405, 409, 429, 500, 502, 503])("never stores a %i", (status) => {
		expect(lifetimeFor("article", new Response(null, { status }))).toBeNull();
	});

	it("never stores a response that sets a cookie", () => {
		for (const status of [200, 301, 400, 404]) {
			expect(lifetimeFor("article", response(status, { "set-cookie": "a=1; Path=/" }))).toBeNull();
		}
	});
});

describe("publicCacheControl", () => {
	it("lets shared caches keep it and readers revalidate", () => {
		const value = publicCacheControl({ fresh: 300, swr: 3600 });
		expect(value).toContain("public");
		expect(value).toContain("max-age=0");
		expect(value).toContain("s-maxage=300");
		expect(value).toContain("stale-while-revalidate=3600");
		expect(value).not.toMatch(/private|no-store/);
	});

	it("follows the lifetime of each kind", () => {
		const lifetime = lifetimeFor("list", new Response("x"));
		if (!lifetime) throw new Error("a list is cacheable");
		const value = publicCacheControl(lifetime);
		expect(value).toContain(`s-maxage=${lifetime.fresh}`);
		expect(value).toContain(`stale-while-revalidate=${lifetime.swr}`);
	});
});
