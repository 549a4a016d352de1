import { beforeAll, describe, expect, it } from "vitest";
import { cacheTarget } from "../../src/cache/policy";
import { EdgeStore, MemoryCache } from "../../src/cache/store";
import { encodeCursor } from "../../src/lib/cursor";
import { bearerToken, createEditor, workerAdminFetch } from "../admin/helpers";
import { fetchWorker, freshTaxa, insertArticle, isolatedSite } from "../helpers";

// Any well-formed cursor, and each limit from 1 to 50, is a page of its own: a 200 stored under
// its list's tags. Requests can mint as many such copies as they like; none of them may make a
// purge miss a stored copy. (Before tag marks, each tag's index of keys kept the newest 5,000,
// and a few thousand forged cursors pushed the real pages out of it.)

const FORGED = 6000;
const TITLE = "Flooded lists must drop this headline";

let site: ReturnType<typeof isolatedSite>;
let article: { id: number; publishedAt: number | null };
let auth: { authorization: string };

beforeAll(async () => {
	const taxa = await freshTaxa();
	const inEnergy = { topicId: taxa.topic.energy, regionId: taxa.region.china };
	for (let i = 0; i < 3; i++) await insertArticle({ ...inEnergy, publishedAt: Date.now() - 86_400_000 * (i + 2) });
	article = await insertArticle({ slug: "flood-target", title: TITLE, ...inEnergy });
	auth = { authorization: await bearerToken(await createEditor({ role: "admin" })) };
	site = isolatedSite();
});

/** Addresses that list the article and that no purge plan names by key: only its tags reach them. */
const REAL = ["/api/articles?limit=5", "/api/articles?limit=50", "/api/articles?topic=energy&region=china"];

/**
 * A forged but well-formed cursor just after the article (so the page shows it), on the lists of
 * all articles: every one of them is stored under the same tag, `list:home`.
 */
function forged(i: number): string {
	const cursor = encodeCursor({ publishedAt: (article.publishedAt ?? 0) + 1 + i, id: 1 + (i % 997) });
	return i % 2 === 0 ? `/?cursor=${cursor}` : `/api/articles?cursor=${cursor}&limit=${1 + (i % 50)}`;
}

async function read(path: string): Promise<{ status: number; cache: string | null; body: string }> {
	const res = await fetchWorker(path, undefined, site);
	return { status: res.status, cache: res.headers.get("x-cache"), body: await res.text() };
}

describe(`${FORGED} forged list addresses, then an unpublish`, () => {
	it("leave no list anywhere showing the article", async () => {
		for (const path of REAL) expect((await read(path)).body, path).toContain(TITLE);

		const paths = Array.from({ length: FORGED }, (_, i) => forged(i));
		for (let i = 0; i < paths.length; i += 50) {
			const batch = await Promise.all(paths.slice(i, i + 50).map(read));
			for (const res of batch) {
				expect(res.status).toBe(200);
				expect(res.cache).toBe("MISS");
				expect(res.body).toContain(TITLE);
			}
		}
		// The real pages are still stored: the flood evicted nothing. (STALE is stored too: on a
		// loaded machine the flood can outlast a list's 60 s of freshness.)
		for (const path of REAL) expect(["HIT", "STALE"], path).toContain((await read(path)).cache);

		const unpublished = await workerAdminFetch(
			`/api/admin/articles/${article.id}`,
			auth,
			{ method: "PATCH", json: { status: "draft", version: 1 } },
			site,
		);
		expect(unpublished.status).toBe(200);

		// This isolate, and another one that knows only the Cache API.
		const elsewhere = new EdgeStore(caches.default, new MemoryCache(8 * 1024 * 1024, 2000));
		const still: string[] = [];
		for (const path of paths) {
			const key = cacheTarget(new URL(path, site.SITE_URL), site.SITE_URL)?.key ?? "";
			const copy = await elsewhere.get(key, Date.now());
			if (copy && new TextDecoder().decode(copy.body).includes(TITLE)) still.push(path);
		}
		expect(still).toEqual([]);
		for (const path of [...REAL, ...paths.slice(0, 200), ...paths.slice(-50)]) {
			const res = await read(path);
			expect(res.cache, path).toBe("MISS");
			expect(res.body, path).not.toContain(TITLE);
		}
	}, 300_000);
});
