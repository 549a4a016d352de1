import { describe, expect, it } from "vitest";
import { matchesEtag } from "../../src/cache/edge";
import { type Entry, etagFor, MemoryCache } from "../../src/cache/store";

const T0 = 1_000_000;
/** What the cache charges for an entry beyond its body (headers, key, fixed overhead), with short keys. */
const OVERHEAD = 64 + 1 + 256;

function entry(bodyBytes: number, label = "x"): Entry {
	return {
		status: 200,
		headers: [["content-type", "text/plain"]],
		body: new Uint8Array(bodyBytes).fill(label.charCodeAt(0)).buffer,
		etag: `"${label}"`,
		tags: ["site", `article:${label}`],
		storedAt: T0,
		lifetime: { fresh: 300, swr: 3600 },
	};
}

describe("MemoryCache get and set", () => {
	it("returns what was set", () => {
		const cache = new MemoryCache(100_000, 2000);
		const e = entry(100, "a");
		cache.set("a", e, T0);
		expect(cache.get("a", T0)).toBe(e);
		expect(cache.get("a", T0 + 1000)).toBe(e);
		expect(cache.size).toBe(1);
	});

	it("misses an unknown key", () => {
		const cache = new MemoryCache(100_000, 2000);
		cache.set("a", entry(100), T0);
		expect(cache.get("b", T0)).toBeUndefined();
	});

	it("forgets a copy after maxAgeMs and frees its bytes", () => {
		const cache = new MemoryCache(100_000, 2000);
		cache.set("a", entry(100), T0);
		expect(cache.get("a", T0 + 2000)).toBeDefined();
		expect(cache.get("a", T0 + 2001)).toBeUndefined();
		expect(cache.size).toBe(0);
		expect(cache.usedBytes).toBe(0);
		// Gone for good, even if asked again with an earlier clock.
		expect(cache.get("a", T0)).toBeUndefined();
	});

	it("measures age from when it was set, not from the last read", () => {
		const cache = new MemoryCache(100_000, 2000);
		cache.set("a", entry(100), T0);
		expect(cache.get("a", T0 + 1500)).toBeDefined();
		expect(cache.get("a", T0 + 2500)).toBeUndefined();
	});

	it("restarts the age when a key is set again", () => {
		const cache = new MemoryCache(100_000, 2000);
		cache.set("a", entry(100, "a"), T0);
		const newer = entry(100, "b");
		cache.set("a", newer, T0 + 1500);
		expect(cache.get("a", T0 + 3000)).toBe(newer);
	});
});

describe("MemoryCache bytes", () => {
	it("counts body, headers and key", () => {
		const cache = new MemoryCache(100_000, 2000);
		cache.set("a", entry(1000), T0);
		expect(cache.usedBytes).toBe(1000 + OVERHEAD);
		cache.set("b", entry(500), T0);
		expect(cache.usedBytes).toBe(1500 + 2 * OVERHEAD);
	});

	it("does not count an overwritten key twice", () => {
		const cache = new MemoryCache(100_000, 2000);
		cache.set("a", entry(1000), T0);
		cache.set("a", entry(1000), T0);
		cache.set("a", entry(400), T0);
		expect(cache.size).toBe(1);
		expect(cache.usedBytes).toBe(400 + OVERHEAD);
	});

	it("delete frees the bytes, and deleting twice or an unknown key is harmless", () => {
		const cache = new MemoryCache(100_000, 2000);
		cache.set("a", entry(1000), T0);
		cache.set("b", entry(500), T0);
		cache.delete("a");
		expect(cache.get("a", T0)).toBeUndefined();
		expect(cache.usedBytes).toBe(500 + OVERHEAD);
		cache.delete("a");
		cache.delete("zzz");
		expect(cache.usedBytes).toBe(500 + OVERHEAD);
		expect(cache.size).toBe(1);
	});

	it("clear frees everything", () => {
		const cache = new MemoryCache(100_000, 2000);
		for (const key of ["a", "b", "c"]) cache.set(key, entry(1000), T0);
		cache.clear();
		expect(cache.size).toBe(0);
		expect(cache.usedBytes).toBe(0);
		expect(cache.get("a", T0)).toBeUndefined();
		cache.set("a", entry(1000), T0);
		expect(cache.usedBytes).toBe(1000 + OVERHEAD);
	});

	it("does not keep an entry larger than an eighth of the budget", () => {
		const cache = new MemoryCache(80_000, 2000);
		cache.set("s", entry(1000), T0);
		cache.set("h", entry(10_000), T0);
		expect(cache.get("h", T0)).toBeUndefined();
		// Nor does it push anything out.
		expect(cache.get("s", T0)).toBeDefined();
		expect(cache.usedBytes).toBe(1000 + OVERHEAD);
	});

	it("keeps an entry of exactly an eighth of the budget", () => {
		const cache = new MemoryCache(8 * (1000 + OVERHEAD), 2000);
		cache.set("a", entry(1000), T0);
		expect(cache.get("a", T0)).toBeDefined();
	});

	it("replacing a copy with one too large drops the old copy", () => {
		const cache = new MemoryCache(80_000, 2000);
		cache.set("a", entry(1000), T0);
		cache.set("a", entry(20_000), T0);
		expect(cache.get("a", T0)).toBeUndefined();
		expect(cache.usedBytes).toBe(0);
	});

	it("never holds more than its budget", () => {
		const max = 20_000;
		const cache = new MemoryCache(max, 60_000);
		for (let i = 0; i < 200; i++) {
			cache.set(`k${i % 37}`, entry(100 + ((i * 397) % 2000)), T0 + i);
			expect(cache.usedBytes).toBeLessThanOrEqual(max);
			expect(cache.usedBytes).toBeGreaterThan(0);
		}
	});
});

describe("MemoryCache eviction", () => {
	// Each entry costs 1000 + OVERHEAD bytes; the budget holds exactly eight (an entry may use an eighth).
	const each = 1000 + OVERHEAD;
	const eight = ["a", "b", "c", "d", "e", "f", "g", "h"];

	function full(): MemoryCache {
		const cache = new MemoryCache(8 * each, 60_000);
		for (const key of eight) cache.set(key, entry(1000), T0);
		expect(cache.size).toBe(8);
		expect(cache.usedBytes).toBe(8 * each);
		return cache;
	}

	it("evicts the oldest entry first when full", () => {
		const cache = full();
		cache.set("i", entry(1000), T0);
		expect(cache.size).toBe(8);
		expect(cache.usedBytes).toBe(8 * each);
		expect(cache.get("a", T0)).toBeUndefined();
		for (const key of [...eight.slice(1), "i"]) expect(cache.get(key, T0)).toBeDefined();
	});

	it("evicts the least recently used, not the least recently set", () => {
		const cache = full();
		// Reading a and b makes c the least recently used, then d.
		expect(cache.get("a", T0 + 1)).toBeDefined();
		expect(cache.get("b", T0 + 2)).toBeDefined();
		cache.set("i", entry(1000), T0 + 3);
		expect(cache.get("c", T0 + 4)).toBeUndefined();
		cache.set("j", entry(1000), T0 + 5);
		expect(cache.get("d", T0 + 6)).toBeUndefined();
		for (const key of ["a", "b", "e", "f", "g", "h", "i", "j"]) expect(cache.get(key, T0 + 7)).toBeDefined();
		expect(cache.usedBytes).toBe(8 * each);
	});

	it("counts setting a key again as a use", () => {
		const cache = full();
		cache.set("a", entry(1000), T0 + 1);
		cache.set("i", entry(1000), T0 + 2);
		expect(cache.get("b", T0 + 3)).toBeUndefined();
		expect(cache.get("a", T0 + 3)).toBeDefined();
	});

	it("does not count a miss as a use", () => {
		const cache = full();
		expect(cache.get("zz", T0 + 1)).toBeUndefined();
		cache.set("i", entry(1000), T0 + 2);
		expect(cache.get("a", T0 + 3)).toBeUndefined();
	});

	it("evicts as many as it takes to fit a larger entry", () => {
		const cache = new MemoryCache(16 * each, 60_000);
		for (let i = 0; i < 16; i++) cache.set(`${i.toString(16)}`, entry(1000), T0);
		expect(cache.usedBytes).toBe(16 * each);
		// The cost of exactly two entries: the two least recently used go, no more.
		cache.set("z", entry(2 * each - OVERHEAD), T0);
		expect(cache.get("z", T0)).toBeDefined();
		expect(cache.get("0", T0)).toBeUndefined();
		expect(cache.get("1", T0)).toBeUndefined();
		expect(cache.get("2", T0)).toBeDefined();
		expect(cache.size).toBe(15);
		expect(cache.usedBytes).toBe(16 * each);
	});
});

describe("etagFor", () => {
	const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

	it("is a quoted strong validator", async () => {
		const etag = await etagFor(bytes("hello"));
		expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
		expect(etag.startsWith("W/")).toBe(false);
	});

	it("is the same for the same body and differs for another", async () => {
		expect(await etagFor(bytes("hello"))).toBe(await etagFor(bytes("hello")));
		expect(await etagFor(bytes("hello"))).not.toBe(await etagFor(bytes("hello!")));
		expect(await etagFor(bytes("a"))).not.toBe(await etagFor(bytes("b")));
	});

	it("handles an empty body", async () => {
		const etag = await etagFor(new ArrayBuffer(0));
		expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
		expect(etag).not.toBe(await etagFor(bytes(" ")));
	});
});

describe("matchesEtag", () => {
	const etag = '"abc"';

	it("matches the same validator, weak or strong", () => {
		expect(matchesEtag('"abc"', etag)).toBe(true);
		expect(matchesEtag('W/"abc"', etag)).toBe(true);
	});

	it("matches * whatever the validator", () => {
		expect(matchesEtag("*", etag)).toBe(true);
		expect(matchesEtag(" * ", etag)).toBe(true);
	});

	it("finds it in a list, with or without spaces", () => {
		expect(matchesEtag('"x", "abc"', etag)).toBe(true);
		expect(matchesEtag('"x","abc","y"', etag)).toBe(true);
		expect(matchesEtag('  W/"x" ,  W/"abc"  ', etag)).toBe(true);
	});

	it("does not match another validator", () => {
		expect(matchesEtag('"abd"', etag)).toBe(false);
		expect(matchesEtag("abc", etag)).toBe(false);
		expect(matchesEtag('"x", "y"', etag)).toBe(false);
		expect(matchesEtag('"abc', etag)).toBe(false);
		expect(matchesEtag('w/"abc"', etag)).toBe(false);
		expect(matchesEtag('"ABC"', etag)).toBe(false);
	});

	it("does not match without a header", () => {
		expect(matchesEtag(null, etag)).toBe(false);
		expect(matchesEtag("", etag)).toBe(false);
	});
});
