import { describe, expect, it } from "vitest";
import { DAY, fetchWorker, insertArticle, isolatedSite } from "../../helpers";
import { type AdminAuthHeaders, expectPrivate } from "../helpers";
import { asEditor, call, create, type Json, taxa, useArticleApiFixture } from "./article-helpers";

// The admin's JSON API for articles, through the whole Worker: what a save purges, what readers
// see on their next request, and purges asked for by hand.

useArticleApiFixture();

describe("what a save purges", () => {
	const lists = ["list:home", "feed", "sitemap", "list:topic:energy"];

	it("a scheduled article purges only its own addresses until it goes live", async () => {
		const future = new Date(Date.now() + DAY).toISOString();
		const made = await create({ status: "published", publishedAt: future, topic: "energy", slug: "soon" });
		const edited = await call("PATCH", `/articles/${made.id}`, { title: "Soon, retitled", slug: "soon-2", version: 1 });
		const trashed = await call("DELETE", `/articles/${made.id}`, { version: 2 });
		for (const purge of [made.purge, edited.body.purge, trashed.body.purge]) {
			expect(purge.tags.filter((t) => !t.startsWith("article:"))).toEqual([]);
		}
		expect(edited.body.purge.tags.sort()).toEqual(["article:soon", "article:soon-2"]);
	});

	it("a live article's retitle purges the lists and the pages whose Related Articles show it", async () => {
		const made = await create({ status: "published", topic: "energy", slug: "now" });
		expect(made.purge.tags).toEqual(expect.arrayContaining(lists));
		const { body } = await call("PATCH", `/articles/${made.id}`, { title: "Now, retitled", version: 1 });
		expect(body.purge.tags).toEqual(expect.arrayContaining(["article:now", "shows:now", ...lists]));
		// Its place in the lists and the Related Articles pools did not move.
		expect(body.purge.tags.filter((t) => t.startsWith("pool:"))).toEqual([]);
	});
});

describe("what readers see next", () => {
	const bearer = (auth: AdminAuthHeaders) => auth as { authorization: string };

	async function save(site: Env, method: string, path: string, json: unknown) {
		const res = await fetchWorker(
			`/api/admin${path}`,
			{ method, headers: { ...bearer(asEditor), "content-type": "application/json" }, body: JSON.stringify(json) },
			site,
		);
		expect(res.headers.get("x-cache")).toBe("BYPASS");
		expectPrivate(res);
		return { res, body: (await res.json()) as Json };
	}

	it("shows a save on the very next request, on the article's page and where Related Articles list it", async () => {
		const site = isolatedSite();
		const target = await insertArticle({ slug: "target", title: "Old title", topicId: taxa.topic.energy });
		await insertArticle({ slug: "neighbour", title: "Neighbour", topicId: taxa.topic.energy });
		for (const path of ["/articles/target", "/articles/neighbour", "/api/articles/target", "/"]) {
			expect((await fetchWorker(path, undefined, site)).headers.get("x-cache"), path).toBe("MISS");
			const hit = await fetchWorker(path, undefined, site);
			expect(hit.headers.get("x-cache"), path).toBe("HIT");
			expect(await hit.text(), path).toContain("Old title");
		}

		const { res, body } = await save(site, "PATCH", `/articles/${target.id}`, { title: "New title", version: 1 });
		expect(res.status).toBe(200);
		expect(body.purge.local.deleted).toBeGreaterThan(0);

		for (const path of ["/articles/target", "/articles/neighbour", "/api/articles/target", "/"]) {
			const next = await fetchWorker(path, undefined, site);
			expect(next.headers.get("x-cache"), path).toBe("MISS");
			const text = await next.text();
			expect(text, path).toContain("New title");
			expect(text, path).not.toContain("Old title");
		}
	});

	it("sends readers of a trashed article a 404, and of its old slug a 301, on the next request", async () => {
		const site = isolatedSite();
		const a = await insertArticle({ slug: "was-here" });
		expect((await fetchWorker("/articles/was-here", undefined, site)).status).toBe(200);
		expect((await fetchWorker("/articles/now-here", undefined, site)).status).toBe(404);
		await save(site, "PATCH", `/articles/${a.id}`, { slug: "now-here", version: 1 });
		const moved = await fetchWorker("/articles/was-here", { redirect: "manual" }, site);
		expect(moved.status).toBe(301);
		expect((await fetchWorker("/articles/now-here", undefined, site)).status).toBe(200);
		await save(site, "DELETE", `/articles/${a.id}`, { version: 2 });
		expect((await fetchWorker("/articles/now-here", undefined, site)).status).toBe(404);
	});
});

describe("manual purge", () => {
	it("validates the request", async () => {
		for (const [json, field] of [
			[{}, "slugs"],
			[{ slugs: [] }, "slugs"],
			[{ slugs: ["Bad Slug"] }, "slugs"],
			[{ slugs: "a" }, "slugs"],
			[{ slugs: Array.from({ length: 101 }, (_, i) => `s-${i}`) }, "slugs"],
			[{ all: "yes" }, "all"],
			[{ everything: true }, "everything"],
		] as const) {
			const { res, body } = await call("POST", "/purge", json);
			expect(res.status, JSON.stringify(json)).toBe(400);
			expect(body.error.fields, JSON.stringify(json)).toHaveProperty(field);
		}
	});

	it("purges named articles, and everything", async () => {
		const site = isolatedSite();
		await insertArticle({ slug: "cached", topicId: taxa.topic.energy });
		const cache = async (path: string) => (await fetchWorker(path, undefined, site)).headers.get("x-cache");
		const purge = async (json: unknown) => {
			const res = await fetchWorker(
				"/api/admin/purge",
				{
					method: "POST",
					headers: { ...(asEditor as { authorization: string }), "content-type": "application/json" },
					body: JSON.stringify(json),
				},
				site,
			);
			expect(res.status).toBe(200);
			expectPrivate(res);
			return (await res.json()) as Json["purge"];
		};
		for (const path of ["/articles/cached", "/about", "/robots.txt"]) {
			await cache(path);
			expect(await cache(path), path).toBe("HIT");
		}
		const some = await purge({ slugs: ["cached", "never-existed"] });
		expect(some.keys).toEqual(
			expect.arrayContaining([
				`${site.SITE_URL}/articles/cached`,
				`${site.SITE_URL}/articles/never-existed`,
				`${site.SITE_URL}/`,
			]),
		);
		expect(await cache("/articles/cached")).toBe("MISS");
		expect(await cache("/about")).toBe("HIT");

		const all = await purge({ all: true });
		expect(all).toMatchObject({ everything: true, keys: [], tags: [], local: { ok: true } });
		for (const path of ["/articles/cached", "/about", "/robots.txt"]) expect(await cache(path), path).toBe("MISS");
		for (const path of ["/articles/cached", "/about", "/robots.txt"]) expect(await cache(path), path).toBe("HIT");
	});
});
