import { describe, expect, it } from "vitest";
import { EdgeStore, type Entry, MEMORY_BYTES, MEMORY_MAX_AGE_MS, MemoryCache } from "../../src/cache/store";

// The freshness bound: after a purge, no isolate of the data centre serves the old copy for more
// than 1 s. The isolate that purges drops its copies at once; every other one trusts its memory
// copy only MEMORY_MAX_AGE_MS past its last look at the tags' marks in the Cache API.

function entry(storedAt: number, tags: string[]): Entry {
	return {
		status: 200,
		headers: [["content-type", "text/plain"]],
		body: new TextEncoder().encode("old text").buffer as ArrayBuffer,
		etag: '"old"',
		tags,
		storedAt,
		lifetime: { fresh: 300, swr: 3600 },
	};
}

let counter = 0;

/** Two isolates as production makes them (isolateStore), over a Cache API of their own. */
async function twoIsolates() {
	counter += 1;
	const cache = await caches.open(`freshness-${counter}-${Date.now()}`);
	const isolate = () => new EdgeStore(cache, new MemoryCache(MEMORY_BYTES, MEMORY_MAX_AGE_MS));
	return { purging: isolate(), serving: isolate() };
}

describe("the freshness bound", () => {
	it("is at most 1 s", () => {
		expect(MEMORY_MAX_AGE_MS).toBeLessThanOrEqual(1000);
	});

	it("holds for a purge by tag made in another isolate, however often the old copy is read", async () => {
		const { purging, serving } = await twoIsolates();
		const site = "https://fresh.samarium.test";
		const key = `${site}/articles/x`;
		const t0 = Date.now() - 60_000;
		await purging.put(key, entry(t0, ["site", "article:x"]), t0);
		// The serving isolate holds it in memory, having just checked the marks.
		expect(await serving.get(key, t0 + 10)).not.toBeNull();

		const purgedAt = t0 + 20;
		await purging.purge(site, [], ["article:x"], purgedAt);
		expect(await purging.get(key, purgedAt)).toBeNull();

		// Read every 50 ms: the old copy may be served until its memory copy is due for a re-check,
		// never for more than the bound after the purge.
		let lastServed = 0;
		for (let now = purgedAt; now <= purgedAt + 3000; now += 50) {
			if (await serving.get(key, now)) lastServed = now;
		}
		expect(lastServed - purgedAt).toBeLessThanOrEqual(1000);
		expect(lastServed - purgedAt).toBeLessThanOrEqual(MEMORY_MAX_AGE_MS);
	});

	it("holds for a purge of the key (a deletion from the Cache API)", async () => {
		const { purging, serving } = await twoIsolates();
		const site = "https://fresh-key.samarium.test";
		const key = `${site}/about`;
		const t0 = Date.now() - 60_000;
		await purging.put(key, entry(t0, ["site", "page:about"]), t0);
		expect(await serving.get(key, t0 + 10)).not.toBeNull();
		const purgedAt = t0 + 20;
		await purging.purge(site, [key], [], purgedAt);
		expect(await serving.get(key, purgedAt + 1001)).toBeNull();
	});
});
