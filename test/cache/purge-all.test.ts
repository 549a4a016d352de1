import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { applyPurge, mergePlans } from "../../src/cache/purge";
import { EdgeStore, type Entry, MemoryCache } from "../../src/cache/store";
import { purgeZone } from "../../src/cache/zone-purge";
import { fetchWorker, freshTaxa, insertArticle, isolatedSite } from "../helpers";

// "Purge everything" (an editor's POST /api/admin/purge {all: true}): the Cache API cannot list
// its keys, so the local store keeps the time of the purge and treats older copies as gone.

function entry(storedAt: number, body = "x"): Entry {
	return {
		status: 200,
		headers: [["content-type", "text/plain"]],
		body: new TextEncoder().encode(body).buffer as ArrayBuffer,
		etag: `"${body}"`,
		tags: ["site"],
		storedAt,
		lifetime: { fresh: 300, swr: 3600 },
	};
}

let counter = 0;
/** A Cache API of its own, so that these stores share nothing with the rest of the suite. */
async function freshCache(): Promise<Cache> {
	counter += 1;
	return caches.open(`purge-all-${counter}-${Date.now()}`);
}

describe("EdgeStore.purgeAll", () => {
	it("makes every copy of the site unreachable, in this isolate and (after maxAgeMs) in others", async () => {
		const cache = await freshCache();
		const site = "https://a.samarium.test";
		const other = "https://b.samarium.test";
		const here = new EdgeStore(cache, new MemoryCache(1_000_000, 2000));
		const elsewhere = new EdgeStore(cache, new MemoryCache(1_000_000, 2000));
		const t0 = Date.now() - 10_000;
		for (const key of [`${site}/`, `${site}/articles/x`, `${other}/`]) await here.put(key, entry(t0), t0);
		// Another isolate reads them (and learns there was no purge yet).
		expect(await elsewhere.get(`${site}/articles/x`, t0 + 1)).not.toBeNull();

		const dropped = await here.purgeAll(site, t0 + 100);
		expect(dropped).toBe(2);
		expect(await here.get(`${site}/`, t0 + 200)).toBeNull();
		expect(await here.get(`${site}/articles/x`, t0 + 200)).toBeNull();
		expect(await here.get(`${other}/`, t0 + 200)).not.toBeNull();

		// The other isolate's memory copy lives out maxAgeMs, as after any purge; then it is gone.
		expect(await elsewhere.get(`${site}/articles/x`, t0 + 3000)).toBeNull();

		// Copies stored after the purge are served again.
		await here.put(`${site}/`, entry(t0 + 500, "new"), t0 + 500);
		expect((await elsewhere.get(`${site}/`, t0 + 6000))?.etag).toBe('"new"');
	});
});

describe("global purge of everything", () => {
	it("asks the zone API to purge everything, in one request", async () => {
		const bodies: unknown[] = [];
		const fetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
			bodies.push(JSON.parse(String(init?.body)));
			return Response.json({ success: true, errors: [] });
		}) as typeof globalThis.fetch;
		const report = await purgeZone(
			{ zoneId: "z", apiToken: "t", fetch, sleep: async () => {} },
			{ tags: ["ignored"], urls: ["https://x.test/"], everything: true },
		);
		expect(bodies).toEqual([{ purge_everything: true }]);
		expect(report).toEqual({ ok: true, requests: 1, purged: { tags: 0, urls: 0, everything: true }, errors: [] });
	});

	it("applies a plan of everything through every transport", async () => {
		const site = isolatedSite({ CF_ZONE_ID: "zone-1", CF_API_TOKEN: "token-1" });
		const ctx = createExecutionContext();
		const workersCache: unknown[] = [];
		Object.defineProperty(ctx, "cache", {
			value: {
				purge: async (options: unknown) => {
					workersCache.push(options);
					return { success: true, errors: [] };
				},
			},
		});
		const zone: unknown[] = [];
		const fetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
			zone.push(JSON.parse(String(init?.body)));
			return Response.json({ success: true, errors: [] });
		}) as typeof globalThis.fetch;
		const plan = mergePlans([
			{ keys: ["k"], tags: ["t"] },
			{ keys: [], tags: [], everything: true },
		]);
		expect(plan).toEqual({ keys: [], tags: [], everything: true });
		const report = await applyPurge(plan, site, ctx, { fetch });
		expect(report).toMatchObject({ everything: true, keys: [], tags: [], local: { ok: true } });
		expect(report.workersCache.status).toBe("ok");
		expect(report.zone.status).toBe("ok");
		expect(workersCache).toEqual([{ purgeEverything: true }]);
		expect(zone).toEqual([{ purge_everything: true }]);
	});

	it("leaves nothing of the site cached for readers", async () => {
		await freshTaxa();
		await insertArticle({ slug: "kept" });
		const site = isolatedSite();
		const paths = ["/", "/articles/kept", "/robots.txt", "/no-such-page"];
		for (const path of paths) await fetchWorker(path, undefined, site);
		for (const path of paths)
			expect((await fetchWorker(path, undefined, site)).headers.get("x-cache"), path).toBe("HIT");
		await applyPurge({ keys: [], tags: [], everything: true }, site, createExecutionContext());
		for (const path of paths)
			expect((await fetchWorker(path, undefined, site)).headers.get("x-cache"), path).toBe("MISS");
	});
});
