import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { planPurge } from "../../src/cache/plan";
import { applyPurge } from "../../src/cache/purge";
import { EdgeStore, type Entry, MemoryCache, markKey } from "../../src/cache/store";
import { articles } from "../../src/db/schema";
import { fetchWorker, freshTaxa, insertArticle, isolatedSite, type TestTaxa, testDb } from "../helpers";

// What `npm run test:load` found (scripts/load.ts): under concurrent readers, requests of the same
// isolate shared promises (the tag index's write lock, since replaced by tag marks, and the wait
// for a render another request had started), which workerd does not allow; and a purge could race
// a read or a write of the copy it deleted. Requests here go through `exports.default.fetch`, each a request of its own, as in
// production, where the other cache tests call the handler within one test request.

let taxa: TestTaxa;

beforeEach(async () => {
	taxa = await freshTaxa();
});

const site = env.SITE_URL;
const fetchSelf = (path: string) => exports.default.fetch(new Request(`${site}${path}`));

/** Another isolate of the same data centre: the same Cache API, nothing in memory. */
const anotherIsolate = () => new EdgeStore(caches.default, new MemoryCache(8 * 1024 * 1024, 2000));

describe("concurrent requests", () => {
	it("leave no copy a purge by tag cannot reach, in this isolate or another", async () => {
		const stamp = Date.now();
		const slugs: string[] = [];
		for (let i = 0; i < 30; i++) {
			const a = await insertArticle({
				slug: `concurrent-${stamp}-${i}`,
				topicId: taxa.topic.energy,
				regionId: taxa.region.china,
			});
			slugs.push(a.slug);
		}
		const paths = slugs.flatMap((slug) => [`/articles/${slug}`, `/api/articles/${slug}`]);
		const readAll = async () => {
			const responses = await Promise.all(paths.map(fetchSelf));
			await Promise.all(responses.map((r) => r.arrayBuffer()));
			expect(responses.map((r) => r.status)).toEqual(paths.map(() => 200));
			return responses.map((r) => r.headers.get("x-cache"));
		};
		expect(await readAll()).toEqual(paths.map(() => "MISS"));

		// At once, while the requests' background work (their writes to the Cache API) may still be under way.
		const ctx = createExecutionContext();
		await applyPurge({ keys: [], tags: ["topic:energy"] }, env, ctx);
		await waitOnExecutionContext(ctx);
		// Whatever those writes left in the Cache API, another isolate must not serve it.
		await new Promise((resolve) => setTimeout(resolve, 200));
		const elsewhere = anotherIsolate();
		const served = [];
		for (const path of paths) if (await elsewhere.get(`${site}${path}`, Date.now())) served.push(path);
		expect(served).toEqual([]);
		expect(await readAll()).toEqual(paths.map(() => "MISS"));
	}, 30_000);

	it("all get the page when many ask for a purged one at once, none an error", async () => {
		const a = await insertArticle({ slug: `pile-up-${Date.now()}`, title: "Before the edit" });
		const path = `/articles/${a.slug}`;
		await (await fetchSelf(path)).arrayBuffer();
		for (let round = 1; round <= 3; round++) {
			const title = `After edit ${round}`;
			await testDb().update(articles).set({ title, updatedAt: Date.now() }).where(eq(articles.id, a.id));
			const facts = { slug: a.slug, topic: null, region: null, live: true, publishedAt: a.publishedAt };
			const ctx = createExecutionContext();
			await applyPurge(planPurge(site, { kind: "article", before: facts, after: facts }), env, ctx);
			await waitOnExecutionContext(ctx);

			const responses = await Promise.all(Array.from({ length: 20 }, () => fetchSelf(path)));
			const bodies = await Promise.all(responses.map((r) => r.text()));
			expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
			for (const body of bodies) expect(body).toContain(title);
		}
	}, 30_000);
});

/** A Cache whose reads and writes of one key can be held back, to order them against a purge. */
class GatedCache {
	readonly stored = new Map<string, Response>();
	private readonly gates = new Map<string, Promise<void>>();

	hold(op: "match" | "put", key: string): () => void {
		let release = () => {};
		this.gates.set(`${op} ${key}`, new Promise<void>((resolve) => (release = resolve)));
		return release;
	}

	private async pass(op: "match" | "put", key: string): Promise<void> {
		const gate = this.gates.get(`${op} ${key}`);
		this.gates.delete(`${op} ${key}`);
		await gate;
	}

	async match(key: string): Promise<Response | undefined> {
		// What was there when the read began, delivered when the gate opens.
		const found = this.stored.get(key)?.clone();
		await this.pass("match", key);
		return found;
	}

	async put(key: string, res: Response): Promise<void> {
		const copy = new Response(await res.arrayBuffer(), res);
		await this.pass("put", key);
		this.stored.set(key, copy);
	}

	async delete(key: string): Promise<boolean> {
		return this.stored.delete(key);
	}
}

const SITE = "https://gated.samarium.test";
const KEY = `${SITE}/articles/gated`;

function entry(text: string, storedAt: number): Entry {
	return {
		status: 200,
		headers: [["content-type", "text/plain; charset=utf-8"]],
		body: new TextEncoder().encode(text).buffer as ArrayBuffer,
		etag: `"${text}"`,
		tags: ["site", "article:gated"],
		storedAt,
		lifetime: { fresh: 300, swr: 3600 },
	};
}

function gatedStore(): { cache: GatedCache; store: EdgeStore } {
	const cache = new GatedCache();
	return { cache, store: new EdgeStore(cache as unknown as Cache, new MemoryCache(1024 * 1024, 2000)) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("a purge racing the cache's own reads and writes", () => {
	it("keeps a read that found the old copy before the purge from putting it back in memory", async () => {
		const { cache, store } = gatedStore();
		const now = Date.now();
		await store.put(KEY, entry("old", now - 10_000), now - 10_000);
		// The memory copy has aged out: the next read goes to the Cache API.
		const later = now + 5000;
		const release = cache.hold("match", KEY);
		const reading = store.get(KEY, later);
		await tick();
		await store.purge(SITE, [KEY], ["article:gated"]);
		release();
		expect(await reading).toBeNull();
		expect(store.memory.get(KEY, later)).toBeUndefined();
		expect(await store.get(KEY, later)).toBeNull();
	});

	it("deletes again a copy whose write lands after a purge of its key", async () => {
		const { cache, store } = gatedStore();
		const now = Date.now();
		const release = cache.hold("put", KEY);
		const writing = store.put(KEY, entry("old", now - 1000), now);
		await tick();
		await store.purge(SITE, [KEY], ["article:gated"]);
		release();
		await writing;
		expect(cache.stored.has(KEY)).toBe(false);
		expect(await store.get(KEY, now + 5000)).toBeNull();
	});

	it("keeps a copy made before a purge out of both layers, however late its write comes", async () => {
		const { cache, store } = gatedStore();
		const before = Date.now() - 1000;
		await store.purge(SITE, [KEY], ["article:gated"]);
		await store.put(KEY, entry("old", before), before);
		expect(store.memory.get(KEY, before)).toBeUndefined();
		expect(cache.stored.has(KEY)).toBe(false);
	});

	it("leaves no copy rendered before the purge reachable, even one put while the purge writes its mark", async () => {
		const { cache, store } = gatedStore();
		const now = Date.now();
		await store.put(KEY, entry("old", now - 1000), now - 1000);
		const other = `${SITE}/articles/gated-other`;
		const release = cache.hold("put", markKey(SITE, "article:gated"));
		const purging = store.purge(SITE, [], ["article:gated"], now);
		await tick();
		// Rendered before the purge, put while its mark is still on the way to the Cache API.
		await store.put(other, entry("old", now - 1), now);
		const newer = `${SITE}/articles/gated-newer`;
		await store.put(newer, entry("new", now + 1), now + 1);
		release();
		await purging;
		const elsewhere = new EdgeStore(cache as unknown as Cache, new MemoryCache(1024 * 1024, 2000));
		expect(await elsewhere.get(KEY, now + 10)).toBeNull();
		expect(await elsewhere.get(other, now + 10)).toBeNull();
		expect(await store.get(other, now + 10)).toBeNull();
		// A copy rendered after the purge is not one it was for.
		expect((await elsewhere.get(newer, now + 10))?.etag).toBe('"new"');
	});
});

/** D1 on which `meanwhile` runs once, after the first read has its rows and before the app gets them. */
function afterFirstRead(inner: D1Database, meanwhile: () => Promise<unknown>): D1Database {
	let fired = false;
	const then = async <T>(result: Promise<T>): Promise<T> => {
		const value = await result;
		if (!fired) {
			fired = true;
			await meanwhile();
		}
		return value;
	};
	const wrap = (statement: D1PreparedStatement): D1PreparedStatement =>
		new Proxy(statement, {
			get(target, prop) {
				const value = Reflect.get(target, prop, target);
				if (typeof value !== "function") return value;
				if (prop === "bind") return (...args: unknown[]) => wrap(value.apply(target, args));
				if (["all", "first", "raw", "run"].includes(String(prop))) {
					return (...args: unknown[]) => then(value.apply(target, args));
				}
				return value.bind(target);
			},
		});
	// The app reads through a session of the binding: the session's reads are watched the same way.
	const wrapDb = <T extends object>(db: T): T =>
		new Proxy(db, {
			get(target, prop) {
				const value = Reflect.get(target, prop, target);
				if (typeof value !== "function") return value;
				if (prop === "prepare") return (sql: string) => wrap(value.call(target, sql));
				if (prop === "batch") return (statements: D1PreparedStatement[]) => then(value.call(target, statements));
				if (prop === "withSession") return (from?: string) => wrapDb(value.call(target, from));
				return value.bind(target);
			},
		});
	return wrapDb(inner);
}

describe("a purge during a render", () => {
	it("keeps the render, which read the article before the purge, out of the cache", async () => {
		const site = isolatedSite();
		const slug = `begun-before-${Date.now()}`;
		const article = await insertArticle({
			slug,
			title: "The title before",
			topicId: taxa.topic.energy,
			regionId: taxa.region.china,
		});
		const DB = afterFirstRead(env.DB, async () => {
			await testDb().update(articles).set({ title: "The title after" }).where(eq(articles.id, article.id));
			const ctx = createExecutionContext();
			await applyPurge({ keys: [], tags: [`article:${slug}`] }, site, ctx);
			await waitOnExecutionContext(ctx);
		});

		const during = await fetchWorker(`/articles/${slug}`, undefined, { ...site, DB });
		expect(during.headers.get("x-cache")).toBe("MISS");
		expect(await during.text()).toContain("The title before");

		const next = await fetchWorker(`/articles/${slug}`, undefined, site);
		expect(next.headers.get("x-cache")).toBe("MISS");
		expect(await next.text()).toContain("The title after");
	});
});
