import { beforeEach, describe, expect, it } from "vitest";
import { type AdminAuthHeaders, bearerToken, createEditor, workerAdminFetch } from "../admin/helpers";
import { fetchWorker, freshTaxa, insertArticle, isolatedSite, type TestTaxa } from "../helpers";

// Search pages through the whole Worker: cached under the query as searching reads it, and gone
// from every cache layer on the next request after any change a search could show.

let auth: AdminAuthHeaders;
let taxa: TestTaxa;

beforeEach(async () => {
	taxa = await freshTaxa();
	auth = { authorization: await bearerToken(await createEditor({ role: "admin" })) };
});

type Saved = { id: number; version: number; purge?: { tags: string[] } };

async function admin(site: Env, method: string, path: string, json?: unknown): Promise<Saved> {
	const res = await workerAdminFetch(`/api/admin${path}`, auth, { method, json }, site);
	const body = (await res.json()) as Saved;
	expect(res.status, JSON.stringify(body)).toBeLessThan(300);
	return body;
}

async function get(site: Env, path: string) {
	const res = await fetchWorker(path, undefined, site);
	const text = await res.text();
	return { res, text, cache: res.headers.get("x-cache") };
}

const slugsIn = (text: string) =>
	((JSON.parse(text) as { results: { slug: string }[] }).results ?? []).map((r) => r.slug);

describe("search pages in the cache", () => {
	it("share one copy for every spelling of the same query, and carry the search tag and a short lifetime", async () => {
		await insertArticle({ slug: "hafnium-news", title: "Hafnium news" });
		const site = isolatedSite();
		const first = await get(site, "/api/search?q=Hafnium%20News");
		expect(first.cache).toBe("MISS");
		expect(slugsIn(first.text)).toEqual(["hafnium-news"]);
		expect(first.res.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=60, stale-while-revalidate=60");
		expect(first.res.headers.get("cache-tag")?.split(",")).toContain("search");
		for (const spelling of [
			"/api/search?q=hafnium+news",
			"/api/search?q=%20%20HAFNIUM%09news%0A",
			"/api/search?utm_source=x&q=hafnium%20news&topic=&region=",
			"/api/search?q=hafnium%20news&q=ignored",
		]) {
			const again = await get(site, spelling);
			expect(again.cache, spelling).toBe("HIT");
			expect(again.res.headers.get("etag"), spelling).toBe(first.res.headers.get("etag"));
		}
		// The HTML page likewise.
		expect((await get(site, "/search?q=Hafnium")).cache).toBe("MISS");
		expect((await get(site, "/search?q=%20hafnium%20&topic=&region=")).cache).toBe("HIT");
		// What is read does make a key of its own.
		expect((await get(site, "/api/search?q=hafnium%20news&limit=5")).cache).toBe("MISS");
		expect((await get(site, "/api/search?q=hafnium")).cache).toBe("MISS");
	});

	it("find a just-published article on the next request, an edited one as edited, and lose a trashed one", async () => {
		const site = isolatedSite();
		const path = "/api/search?q=zirconium";
		expect(slugsIn((await get(site, path)).text)).toEqual([]);
		expect((await get(site, path)).cache).toBe("HIT");
		const html = "/search?q=zirconium";
		expect((await get(site, html)).text).toContain("No published article contains");

		const made = await admin(site, "POST", "/articles", {
			slug: "zirconium-plant",
			title: "Zirconium plant opens",
			summary: "A new plant.",
			bodyMarkdown: "Zirconium sponge output.",
			region: "china",
			topic: "energy",
			status: "published",
		});
		expect(made.purge?.tags).toContain("search");
		const found = await get(site, path);
		expect(found.cache).toBe("MISS");
		expect(slugsIn(found.text)).toEqual(["zirconium-plant"]);
		expect((await get(site, html)).text).toContain('href="/articles/zirconium-plant"');

		const edited = await admin(site, "PATCH", `/articles/${made.id}`, {
			title: "Zirconium plant doubles output",
			version: made.version,
		});
		expect((await get(site, path)).text).toContain("Zirconium plant doubles output");

		await admin(site, "DELETE", `/articles/${edited.id}`, { version: edited.version });
		expect(slugsIn((await get(site, path)).text)).toEqual([]);
		expect((await get(site, html)).text).not.toContain("zirconium-plant");
	});

	it("are left alone by a draft's edits, which no search shows", async () => {
		const site = isolatedSite();
		const path = "/api/search?q=niobium";
		await get(site, path);
		const draft = await admin(site, "POST", "/articles", {
			slug: "niobium-draft",
			title: "Niobium draft",
			summary: "Not yet.",
			bodyMarkdown: "Niobium.",
			status: "draft",
		});
		expect(draft.purge?.tags ?? []).not.toContain("search");
		const after = await get(site, path);
		expect(after.cache).toBe("HIT");
		expect(slugsIn(after.text)).toEqual([]);
	});

	it("show a renamed topic's new name in results and in the form on the next request", async () => {
		await insertArticle({ slug: "osmium", title: "Osmium", topicId: taxa.topic.energy });
		const site = isolatedSite();
		const path = "/search?q=osmium";
		expect((await get(site, path)).text).toContain(">Energy</option>");
		await admin(site, "PATCH", "/topics/energy", { name: "Power" });
		const after = await get(site, path);
		expect(after.cache).toBe("MISS");
		expect(after.text).toContain(">Power</option>");
		expect(after.text).toContain('<span class="taxon">Power</span>');
	});
});
