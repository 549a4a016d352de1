import { describe, expect, it } from "vitest";
import { type ArticleFacts, type ContentChange, type PurgePlan, planPurge } from "../../src/cache/plan";
import { cacheTarget } from "../../src/cache/policy";
import { mergePlans } from "../../src/cache/purge";

const SITE = "https://samarium.test";
const T0 = Date.UTC(2026, 0, 1);

const url = (path: string) => `${SITE}${path}`;

function facts(overrides: Partial<ArticleFacts> = {}): ArticleFacts {
	return { slug: "x", topic: "energy", region: "china", live: true, publishedAt: T0, ...overrides };
}

function plan(change: ContentChange): PurgePlan {
	return planPurge(SITE, change);
}

const sorted = (values: string[]) => [...values].sort();

/** The keys of an article's own page and JSON. */
const ownKeys = (slug: string) => [url(`/articles/${slug}`), url(`/api/articles/${slug}`)];

/** The keys of every list, feed and sitemap a live article of this topic and region shows in. */
const listKeys = (topic: string, region: string) => [
	url("/"),
	url("/api/articles"),
	url("/feed.xml"),
	url("/corrections"),
	url("/corrections.xml"),
	url("/sitemap.xml"),
	url("/sitemaps/pages.xml"),
	url("/news-sitemap.xml"),
	url(`/topics/${topic}`),
	url(`/api/articles?topic=${topic}`),
	url("/topics"),
	url(`/regions/${region}`),
	url(`/api/articles?region=${region}`),
	url("/regions"),
];

const listTags = (topic: string, region: string) => [
	"list:home",
	"feed",
	"sitemap",
	"news-sitemap",
	"search",
	"corrections",
	`list:topic:${topic}`,
	"index:topics",
	`list:region:${region}`,
	"index:regions",
];

const POOL = /^pool:/;

function expectNoDuplicates(p: PurgePlan): void {
	expect(new Set(p.keys).size).toBe(p.keys.length);
	expect(new Set(p.tags).size).toBe(p.tags.length);
}

/** Every key of the plan is the key the cache stores that path under: the two cannot drift apart. */
function expectCacheKeys(p: PurgePlan): void {
	for (const key of p.keys) {
		expect(key.startsWith(`${SITE}/`)).toBe(true);
		const path = key.slice(SITE.length);
		expect(cacheTarget(new URL(path, SITE), SITE)?.key).toBe(key);
		// A reader's copy arrives under another host and with tracking parameters: same key.
		const sep = path.includes("?") ? "&" : "?";
		expect(cacheTarget(new URL(`http://other.example${path}${sep}utm_source=x`), SITE)?.key).toBe(key);
	}
}

function expectWellFormed(p: PurgePlan): void {
	expectNoDuplicates(p);
	expectCacheKeys(p);
	expect(p.tags).not.toContain("site");
}

describe("planPurge: publish", () => {
	const p = plan({
		kind: "article",
		before: facts({ live: false, publishedAt: null }),
		after: facts({ live: true, publishedAt: T0 }),
	});

	it("purges the article, every list it enters, feed and sitemap", () => {
		expect(sorted(p.keys)).toEqual(sorted([...ownKeys("x"), ...listKeys("energy", "china")]));
	});

	it("purges the pages whose Related Articles it may now enter", () => {
		expect(sorted(p.tags)).toEqual(enteredOrLeftTags());
	});

	it("is well formed", () => expectWellFormed(p));

	it("also covers a new article published at once (no before)", () => {
		const created = plan({ kind: "article", before: null, after: facts() });
		expect(sorted(created.keys)).toEqual(sorted(p.keys));
		expect(sorted(created.tags)).toEqual(sorted(p.tags));
	});
});

/** What x (energy, china) entering or leaving the live set purges by tag: pools included. */
function enteredOrLeftTags(): string[] {
	const pools = ["pool:newest", "pool:topic:energy", "pool:region:china"];
	return sorted(["article:x", "shows:x", ...listTags("energy", "china"), ...pools]);
}

describe("planPurge: unpublish, delete", () => {
	const unpublish = plan({ kind: "article", before: facts(), after: facts({ live: false }) });

	it("unpublish purges everything that showed it, pools included", () => {
		expect(sorted(unpublish.keys)).toEqual(sorted([...ownKeys("x"), ...listKeys("energy", "china")]));
		expect(sorted(unpublish.tags)).toEqual(enteredOrLeftTags());
		expectWellFormed(unpublish);
	});

	it("delete to nothing purges the same as unpublish", () => {
		const gone = plan({ kind: "article", before: facts(), after: null });
		expect(sorted(gone.keys)).toEqual(sorted(unpublish.keys));
		expect(sorted(gone.tags)).toEqual(sorted(unpublish.tags));
		expectWellFormed(gone);
	});

	it("delete to the trash purges the same as unpublish", () => {
		const trashed = plan({ kind: "article", before: facts(), after: facts({ live: false }) });
		expect(sorted(trashed.keys)).toEqual(sorted(unpublish.keys));
		expect(sorted(trashed.tags)).toEqual(sorted(unpublish.tags));
	});

	it("deleting a draft purges nothing: its addresses answer 404 before and after", () => {
		const draft = plan({ kind: "article", before: facts({ live: false }), after: null });
		expect(draft).toEqual({ keys: [], tags: [] });
	});
});

describe("planPurge: restore, went-live", () => {
	it("restore puts it back into every list and pool", () => {
		const p = plan({ kind: "article", before: facts({ live: false }), after: facts() });
		expect(sorted(p.keys)).toEqual(sorted([...ownKeys("x"), ...listKeys("energy", "china")]));
		expect(p.tags).toEqual(expect.arrayContaining(["pool:newest", "pool:topic:energy", "pool:region:china"]));
		expect(p.tags).toEqual(expect.arrayContaining(["article:x", "shows:x", ...listTags("energy", "china")]));
		expectWellFormed(p);
	});

	it("a scheduled article going live purges the lists and pools it enters", () => {
		const scheduled = facts({ live: false, publishedAt: T0 + 3_600_000 });
		const p = plan({ kind: "article", before: scheduled, after: { ...scheduled, live: true } });
		expect(sorted(p.keys)).toEqual(sorted([...ownKeys("x"), ...listKeys("energy", "china")]));
		expect(sorted(p.tags)).toEqual(enteredOrLeftTags());
		expectWellFormed(p);
	});
});

describe("planPurge: edits of a live article", () => {
	it("a body update purges it and its lists, not the pools", () => {
		const p = plan({ kind: "article", before: facts(), after: facts() });
		expect(sorted(p.keys)).toEqual(sorted([...ownKeys("x"), ...listKeys("energy", "china")]));
		expect(sorted(p.tags)).toEqual(sorted(["article:x", "shows:x", ...listTags("energy", "china")]));
		expect(p.tags.filter((t) => POOL.test(t))).toEqual([]);
		expectWellFormed(p);
	});

	it("a retitle purges where the title shows, not the pools", () => {
		const p = plan({ kind: "article", before: facts(), after: facts() });
		expect(p.tags).toContain("shows:x");
		expect(p.tags).toContain("list:home");
		expect(p.tags).toContain("feed");
		expect(p.tags.filter((t) => POOL.test(t))).toEqual([]);
		expectWellFormed(p);
	});

	it("a slug change purges both slugs' addresses and the pages that link to the old one", () => {
		const p = plan({
			kind: "article",
			before: facts({ slug: "a" }),
			after: facts({ slug: "b", retiredSlugs: ["a"] }),
		});
		expect(sorted(p.keys)).toEqual(sorted([...ownKeys("a"), ...ownKeys("b"), ...listKeys("energy", "china")]));
		expect(sorted(p.tags)).toEqual(
			sorted(["article:a", "article:b", "shows:a", "shows:b", ...listTags("energy", "china")]),
		);
		expectWellFormed(p);
	});

	it("a new publication time moves it in the pools", () => {
		const p = plan({ kind: "article", before: facts(), after: facts({ publishedAt: T0 - 86_400_000 }) });
		expect(p.tags).toEqual(expect.arrayContaining(["pool:newest", "pool:topic:energy", "pool:region:china"]));
		expectWellFormed(p);
	});

	it("a topic change purges both topics' lists and pools", () => {
		const p = plan({ kind: "article", before: facts({ topic: "energy" }), after: facts({ topic: "recycling" }) });
		expect(sorted(p.keys)).toEqual(
			sorted([
				...ownKeys("x"),
				...listKeys("energy", "china"),
				url("/topics/recycling"),
				url("/api/articles?topic=recycling"),
			]),
		);
		expect(sorted(p.tags)).toEqual(
			sorted([
				"article:x",
				"shows:x",
				...listTags("energy", "china"),
				"list:topic:recycling",
				"pool:newest",
				"pool:topic:energy",
				"pool:topic:recycling",
				"pool:region:china",
			]),
		);
		expectWellFormed(p);
	});

	it("a region change purges both regions' lists and pools", () => {
		const p = plan({ kind: "article", before: facts({ region: "china" }), after: facts({ region: "global" }) });
		expect(p.keys).toEqual(
			expect.arrayContaining([
				url("/regions/china"),
				url("/api/articles?region=china"),
				url("/regions/global"),
				url("/api/articles?region=global"),
			]),
		);
		expect(p.tags).toEqual(
			expect.arrayContaining(["list:region:china", "list:region:global", "pool:region:china", "pool:region:global"]),
		);
		expectWellFormed(p);
	});

	it("an article without topic or region touches no taxon list", () => {
		const p = plan({
			kind: "article",
			before: facts({ live: false, topic: null, region: null }),
			after: facts({ topic: null, region: null }),
		});
		expect(sorted(p.keys)).toEqual(
			sorted([
				...ownKeys("x"),
				url("/"),
				url("/api/articles"),
				url("/feed.xml"),
				url("/corrections"),
				url("/corrections.xml"),
				url("/sitemap.xml"),
				url("/sitemaps/pages.xml"),
				url("/news-sitemap.xml"),
			]),
		);
		expect(sorted(p.tags)).toEqual(
			sorted([
				"article:x",
				"shows:x",
				"list:home",
				"feed",
				"corrections",
				"sitemap",
				"news-sitemap",
				"search",
				"pool:newest",
			]),
		);
	});
});

describe("planPurge: the news sitemap and the indexes of topics and regions", () => {
	const NEWS = ["news-sitemap", url("/news-sitemap.xml")];
	const has = (p: PurgePlan, [tag, key]: string[]) => p.tags.includes(tag ?? "") && p.keys.includes(key ?? "");

	it.each([
		["publishing", facts({ live: false, publishedAt: null }), facts()],
		["unpublishing", facts(), facts({ live: false })],
		["retitling (any edit of a live article)", facts(), facts()],
		["trashing", facts(), null],
		["a scheduled article going live", facts({ live: false }), facts()],
	] as const)("%s purges the news sitemap and both indexes", (_name, before, after) => {
		const p = plan({ kind: "article", before, after });
		expect(has(p, NEWS)).toBe(true);
		expect(has(p, ["index:topics", url("/topics")])).toBe(true);
		expect(has(p, ["index:regions", url("/regions")])).toBe(true);
	});

	it("an article of no topic leaves the topics' index alone (it counts in none)", () => {
		const p = plan({ kind: "article", before: facts({ topic: null }), after: facts({ topic: null }) });
		expect(has(p, NEWS)).toBe(true);
		expect(p.tags).not.toContain("index:topics");
		expect(p.tags).toContain("index:regions");
	});

	it("a draft's edit or a scheduled article's purges neither", () => {
		const p = plan({ kind: "article", before: facts({ live: false }), after: facts({ live: false, slug: "x" }) });
		expect(p.tags).not.toContain("news-sitemap");
		expect(p.tags.some((t) => t.startsWith("index:"))).toBe(false);
	});
});

describe("planPurge: drafts", () => {
	// A purge of a key nobody could see change would let anyone who guesses an embargoed draft's
	// slug watch its x-cache and age move while an editor works on it.
	it("a draft's edit purges nothing, not even its own addresses", () => {
		const p = plan({ kind: "article", before: facts({ live: false }), after: facts({ live: false }) });
		expect(p).toEqual({ keys: [], tags: [] });
	});

	it("nor does creating, trashing or restoring one, or a scheduled article's edit", () => {
		const scheduled = facts({ live: false, publishedAt: T0 + 3_600_000 });
		for (const change of [
			{ kind: "article", before: null, after: facts({ live: false }) },
			{ kind: "article", before: facts({ live: false }), after: null },
			{ kind: "article", before: null, after: facts({ live: false }) },
			{ kind: "article", before: scheduled, after: { ...scheduled, topic: "recycling" } },
		] as const) {
			expect(plan(change), change.kind).toEqual({ keys: [], tags: [] });
		}
	});

	it("an editor's explicit purge of a draft's slug purges its own addresses", () => {
		const p = plan({ kind: "purge", article: facts({ live: false }) });
		expect(sorted(p.keys)).toEqual(sorted(ownKeys("x")));
		expect(p.tags).toEqual(["article:x"]);
	});

	it("purges its own addresses when its slug changes, with its topic and time", () => {
		const p = plan({
			kind: "article",
			before: facts({ slug: "a", live: false, publishedAt: null }),
			after: facts({ slug: "b", live: false, topic: "recycling", publishedAt: T0 }),
		});
		expect(sorted(p.keys)).toEqual(sorted([...ownKeys("a"), ...ownKeys("b")]));
		expect(sorted(p.tags)).toEqual(["article:a", "article:b"]);
	});
});

describe("planPurge: retired slugs", () => {
	it("purges every retired slug's redirect under its key and tag", () => {
		const p = plan({
			kind: "article",
			before: facts({ slug: "c", retiredSlugs: ["a", "b"] }),
			after: facts({ slug: "c", retiredSlugs: ["a", "b"] }),
		});
		expect(p.keys).toEqual(expect.arrayContaining([...ownKeys("a"), ...ownKeys("b"), ...ownKeys("c")]));
		expect(p.tags).toEqual(expect.arrayContaining(["article:a", "article:b", "article:c"]));
		// Nothing links to a retired slug.
		expect(p.tags).not.toContain("shows:a");
		expect(p.tags).not.toContain("shows:b");
		expectWellFormed(p);
	});

	it("does so for a draft only when its retired slugs change", () => {
		const same = plan({
			kind: "article",
			before: facts({ live: false, retiredSlugs: ["old", "older"] }),
			after: facts({ live: false, retiredSlugs: ["older", "old"] }),
		});
		expect(same).toEqual({ keys: [], tags: [] });
		const p = plan({
			kind: "article",
			before: facts({ live: false, retiredSlugs: ["old"] }),
			after: facts({ live: false, retiredSlugs: [] }),
		});
		expect(sorted(p.keys)).toEqual(sorted([...ownKeys("x"), ...ownKeys("old")]));
		expect(sorted(p.tags)).toEqual(["article:old", "article:x"]);
	});
});

describe("planPurge: pages", () => {
	it("purges the page's HTML and JSON and nothing else", () => {
		const p = plan({ kind: "page", slug: "about" });
		expect(sorted(p.keys)).toEqual(sorted([url("/about"), url("/api/pages/about")]));
		expect(p.tags).toEqual(["page:about"]);
		expectWellFormed(p);
	});

	it("works for every page", () => {
		const p = plan({ kind: "page", slug: "services" });
		expect(sorted(p.keys)).toEqual(sorted([url("/services"), url("/api/pages/services")]));
		expect(p.tags).toEqual(["page:services"]);
	});
});

describe("planPurge: taxa", () => {
	const shared = [url("/api/topics"), url("/api/regions"), url("/sitemap.xml"), url("/sitemaps/pages.xml")];

	// The same rules for both kinds of taxon: [kind, list path, param, a slug, a new slug].
	const kinds = [
		["topic", "topics", "topic", "energy", "power"],
		["region", "regions", "region", "china", "prc"],
	] as const;

	it.each(kinds)(
		"a %s rename purges its lists, its name everywhere, the taxa and the sitemap",
		(taxon, path, param, slug) => {
			const p = plan({ kind: "taxon", taxon, slug });
			expect(sorted(p.keys)).toEqual(
				sorted([url(`/${path}/${slug}`), url(`/api/articles?${param}=${slug}`), url(`/${path}`), ...shared]),
			);
			expect(sorted(p.tags)).toEqual(
				sorted([`${taxon}:${slug}`, `list:${taxon}:${slug}`, `index:${path}`, "taxa", "sitemap", "search"]),
			);
			expectWellFormed(p);
		},
	);

	it.each(kinds)("a %s's new slug purges both slugs", (taxon, path, param, previousSlug, slug) => {
		const p = plan({ kind: "taxon", taxon, slug, previousSlug });
		const both = [previousSlug, slug];
		expect(sorted(p.keys)).toEqual(
			sorted([
				...both.flatMap((s) => [url(`/${path}/${s}`), url(`/api/articles?${param}=${s}`)]),
				url(`/${path}`),
				...shared,
			]),
		);
		expect(sorted(p.tags)).toEqual(
			sorted([
				...both.flatMap((s) => [`${taxon}:${s}`, `list:${taxon}:${s}`]),
				`index:${path}`,
				"taxa",
				"sitemap",
				"search",
			]),
		);
		expectWellFormed(p);
	});

	it("a previous slug equal to the slug adds nothing", () => {
		const same = plan({ kind: "taxon", taxon: "topic", slug: "energy", previousSlug: "energy" });
		const plain = plan({ kind: "taxon", taxon: "topic", slug: "energy" });
		expect(sorted(same.keys)).toEqual(sorted(plain.keys));
		expect(sorted(same.tags)).toEqual(sorted(plain.tags));
	});

	it("a topic change leaves the regions' index alone, and the other way round", () => {
		const topic = plan({ kind: "taxon", taxon: "topic", slug: "energy" });
		expect(topic.tags).not.toContain("index:regions");
		expect(topic.keys).not.toContain(url("/regions"));
		const region = plan({ kind: "taxon", taxon: "region", slug: "china" });
		expect(region.tags).not.toContain("index:topics");
		expect(region.keys).not.toContain(url("/topics"));
		// Nor is the news sitemap, which prints no taxon, purged by either.
		expect([...topic.tags, ...region.tags]).not.toContain("news-sitemap");
	});

	it("a taxon change never names articles or pools", () => {
		const p = plan({ kind: "taxon", taxon: "topic", slug: "energy" });
		expect(p.tags.some((t) => /^(article|shows|pool):/.test(t))).toBe(false);
		expect(p.tags).not.toContain("feed");
		expect(p.tags).not.toContain("list:home");
	});
});

describe("planPurge: the plan and the cache agree", () => {
	it.each([
		"/articles/x",
		"/api/articles/x",
		"/",
		"/api/articles",
		"/topics/energy",
		"/api/articles?topic=energy",
		"/regions/china",
		"/api/articles?region=china",
		"/feed.xml",
		"/corrections",
		"/corrections.xml",
		"/sitemap.xml",
		"/news-sitemap.xml",
		"/topics",
		"/regions",
	])("the key for %s is the cache's key", (path) => {
		const everything = mergePlans([
			plan({ kind: "article", before: null, after: facts() }),
			plan({ kind: "taxon", taxon: "topic", slug: "energy" }),
			plan({ kind: "taxon", taxon: "region", slug: "china" }),
		]);
		expect(everything.keys).toContain(cacheTarget(new URL(path, SITE), SITE)?.key);
	});

	it("the address tags of every key it purges are in the plan", () => {
		// A cached 404 carries only its address tags: purging by tag alone must reach it too.
		const changes: ContentChange[] = [
			{ kind: "article", before: facts({ live: false }), after: facts() },
			{ kind: "article", before: facts({ slug: "a" }), after: facts({ slug: "b", retiredSlugs: ["a"] }) },
			{ kind: "article", before: facts({ topic: "energy" }), after: facts({ topic: "recycling" }) },
			{ kind: "page", slug: "about" },
			{ kind: "taxon", taxon: "topic", slug: "power", previousSlug: "energy" },
			{ kind: "taxon", taxon: "region", slug: "prc", previousSlug: "china" },
		];
		for (const change of changes) {
			const p = plan(change);
			for (const key of p.keys) {
				const address = cacheTarget(new URL(key), SITE);
				expect(p.tags).toEqual(expect.arrayContaining((address?.tags ?? []).filter((t) => t !== "site")));
			}
		}
	});
});

describe("authors", () => {
	it("an author's change purges everything printing their byline, and their page", () => {
		const p = plan({ kind: "author", slug: "ada" });
		expect(sorted(p.tags)).toEqual(sorted(["author:ada", "list:author:ada", "search", "sitemap"]));
		expect(sorted(p.keys)).toEqual(sorted([url("/authors/ada"), url("/api/authors/ada"), url("/sitemaps/pages.xml")]));
		expectNoDuplicates(p);
	});

	it("a live article's save purges each of its authors' pages", () => {
		const live = facts({ authors: ["ada", "bea"] });
		const p = plan({ kind: "article", before: live, after: live });
		expect(p.tags).toEqual(expect.arrayContaining(["list:author:ada", "list:author:bea"]));
		expect(p.keys).toEqual(expect.arrayContaining([url("/authors/ada"), url("/authors/bea")]));
	});

	it("a new byline purges the old and the new authors' pages", () => {
		const p = plan({
			kind: "article",
			before: facts({ authors: ["ada"] }),
			after: facts({ authors: ["bea", "cy"] }),
		});
		expect(p.tags).toEqual(expect.arrayContaining(["list:author:ada", "list:author:bea", "list:author:cy"]));
		expect(p.keys).toEqual(expect.arrayContaining([url("/authors/ada"), url("/authors/bea"), url("/authors/cy")]));
		expectNoDuplicates(p);
	});

	it("going live and leaving purge the author's page; a draft's byline purges nothing", () => {
		const draft = facts({ live: false, authors: ["ada"] });
		expect(plan({ kind: "article", before: draft, after: facts({ authors: ["ada"] }) }).tags).toContain(
			"list:author:ada",
		);
		expect(plan({ kind: "article", before: facts({ authors: ["ada"] }), after: draft }).tags).toContain(
			"list:author:ada",
		);
		const edited = plan({ kind: "article", before: draft, after: { ...draft, authors: ["bea"] } });
		expect(edited).toEqual({ keys: [], tags: [] });
	});

	it("every key an author's plan names carries one of its tags (Workers Cache purges by tag only)", () => {
		for (const change of [
			{ kind: "author" as const, slug: "ada" },
			{ kind: "article" as const, before: facts({ authors: ["ada"] }), after: facts({ authors: ["bea"] }) },
		]) {
			const p = plan(change);
			for (const key of p.keys) {
				const address = cacheTarget(new URL(key), SITE);
				const tags = (address?.tags ?? []).filter((t) => t !== "site");
				expect(tags.some((t) => p.tags.includes(t)) || tags.length === 0, key).toBe(true);
			}
		}
	});
});

describe("mergePlans", () => {
	it("merges without repeats", () => {
		const a = plan({ kind: "article", before: facts({ slug: "a", live: false }), after: facts({ slug: "a" }) });
		const b = plan({ kind: "article", before: facts({ slug: "b", live: false }), after: facts({ slug: "b" }) });
		const merged = mergePlans([a, b]);
		expectNoDuplicates(merged);
		expect(sorted(merged.keys)).toEqual(sorted([...new Set([...a.keys, ...b.keys])]));
		expect(sorted(merged.tags)).toEqual(sorted([...new Set([...a.tags, ...b.tags])]));
		expect(merged.keys.filter((k) => k === url("/"))).toHaveLength(1);
		expect(merged.tags.filter((t) => t === "list:home")).toHaveLength(1);
		expect(merged.tags).toEqual(expect.arrayContaining(["article:a", "article:b", "shows:a", "shows:b"]));
	});

	it("of nothing is an empty plan, of one is that plan", () => {
		expect(mergePlans([])).toEqual({ keys: [], tags: [] });
		const p = plan({ kind: "page", slug: "about" });
		expect(mergePlans([p])).toEqual(p);
		expect(mergePlans([p, p])).toEqual(p);
	});
});

describe("planPurge: pictures", () => {
	it("a deleted picture purges its file's URL and tag, and nothing of the Worker's own cache", () => {
		const id = "0123456789abcdef0123456789abcdef";
		const p = plan({ kind: "media", id, ext: "png" });
		expect(p).toEqual({ keys: [url(`/media/${id}.png`)], tags: [`media:${id}`] });
		expect(cacheTarget(new URL(`/media/${id}.png`, SITE), SITE)).toBeNull();
	});

	it("an edit that changes only the lead image purges the live article like any edit", () => {
		// The facts a plan reads do not include the picture: the edit itself is the change.
		const p = plan({ kind: "article", before: facts(), after: facts() });
		expect(p.keys).toEqual(expect.arrayContaining(ownKeys("x")));
		expect(p.tags).toContain("article:x");
	});
});
