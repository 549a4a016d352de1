import { base64ToUrl, bytesToBase64, sha256 } from "../lib/encoding";
import { pollUntil } from "../lib/poll";
import { INTERNAL_PREFIX, type Lifetime, RETAIN_SECONDS } from "./policy";
import { tag as tags } from "./tags";

/** A rendered response as the cache keeps it. */
export type Entry = {
	status: number;
	/** The response headers as rendered (cache headers are added when it is served). */
	headers: [string, string][];
	body: ArrayBuffer;
	/** Strong validator: a hash of the body. */
	etag: string;
	tags: string[];
	/** When it was rendered (ms); freshness is measured from here, whichever layer it comes from. */
	storedAt: number;
	lifetime: Lifetime;
};

// Our bookkeeping travels with the copy in the Cache API as headers, and is removed before serving.
const STORED_AT = "x-samarium-stored-at";
const FRESH = "x-samarium-fresh";
const SWR = "x-samarium-swr";

/**
 * An in-isolate LRU in front of the Cache API: a hit costs no I/O at all. Copies are re-read
 * from the Cache API after `maxAgeMs`, which bounds how long an isolate that did not see a purge
 * can serve an old copy; purges in this isolate delete at once.
 */
export class MemoryCache {
	private readonly items = new Map<string, { entry: Entry; bytes: number; readAt: number }>();
	private bytes = 0;
	readonly maxBytes: number;
	readonly maxAgeMs: number;

	constructor(maxBytes: number, maxAgeMs: number) {
		this.maxBytes = maxBytes;
		this.maxAgeMs = maxAgeMs;
	}

	get size(): number {
		return this.items.size;
	}

	get usedBytes(): number {
		return this.bytes;
	}

	get(key: string, now: number): Entry | undefined {
		const item = this.items.get(key);
		if (!item) return undefined;
		this.items.delete(key);
		if (now - item.readAt > this.maxAgeMs) {
			this.bytes -= item.bytes;
			return undefined;
		}
		// Re-inserting moves the key to the end: Map order is the LRU order.
		this.items.set(key, item);
		return item.entry;
	}

	set(key: string, entry: Entry, now: number): void {
		this.delete(key);
		const bytes = entry.body.byteLength + 64 * entry.headers.length + key.length + 256;
		// One huge response must not push out everything else.
		if (bytes > this.maxBytes / 8) return;
		this.items.set(key, { entry, bytes, readAt: now });
		this.bytes += bytes;
		for (const [oldest, item] of this.items) {
			if (this.bytes <= this.maxBytes) break;
			this.items.delete(oldest);
			this.bytes -= item.bytes;
		}
	}

	delete(key: string): void {
		const item = this.items.get(key);
		if (!item) return;
		this.items.delete(key);
		this.bytes -= item.bytes;
	}

	clear(): void {
		this.items.clear();
		this.bytes = 0;
	}

	/** Drops every key that starts with `prefix` (one site's copies); returns how many. */
	deletePrefix(prefix: string): number {
		let dropped = 0;
		for (const key of [...this.items.keys()]) {
			if (!key.startsWith(prefix)) continue;
			this.delete(key);
			dropped += 1;
		}
		return dropped;
	}
}

/** At most this many keys are remembered per tag; older ones still expire by their lifetime. */
const MAX_KEYS_PER_TAG = 5000;

/** Rounds of write-then-check an index write makes before it gives up (see EdgeStore.writeIndex). */
const INDEX_WRITE_ROUNDS = 4;
/** How often a put waits for this isolate's write of the same index, and how long that write may take. */
const INDEX_POLL_MS = 5;
const INDEX_WRITE_MAX_MS = 5000;

/**
 * One tag's index as this isolate is adding to it: the keys not yet seen stored in it, and since
 * when a write of it has been under way (null: none). A write whose request was cancelled stops
 * counting as under way after INDEX_WRITE_MAX_MS, and the next put takes over.
 */
type Indexing = { pending: Set<string>; writingSince: number | null };

/** Kept well past RETAIN_SECONDS, so that no copy outlives the purge that made it unreachable. */
const EPOCH_RETAIN_SECONDS = 4 * RETAIN_SECONDS;

/**
 * The two layers (memory, then the data centre's Cache API) plus a tag index kept in the Cache
 * API itself, so that a purge by tag can find the keys to delete locally, whichever isolate of
 * this data centre stored them.
 */
export class EdgeStore {
	private readonly indexing = new Map<string, Indexing>();
	/** Per tag index, one set per purge of it under way: the keys put meanwhile, which that purge deletes too. */
	private readonly purging = new Map<string, Set<Set<string>>>();
	/** Per site: when everything was last purged, as this isolate last read it from the Cache API. */
	private readonly epochs = new Map<string, { at: number; readAt: number }>();
	/** When this isolate last purged each key and tag (kept a minute or more): what was stored or begun before is gone. */
	private readonly purgedAt = new Map<string, number>();
	private readonly cache: Cache;
	readonly memory: MemoryCache;

	constructor(cache: Cache, memory: MemoryCache) {
		this.cache = cache;
		this.memory = memory;
	}

	async get(key: string, now: number): Promise<Entry | null> {
		const hot = this.memory.get(key, now);
		if (hot) return hot;
		const res = await this.cache.match(key);
		if (!res) return null;
		const entry = await fromResponse(res);
		if (!entry) return null;
		const epoch = await this.epoch(new URL(key).origin, now);
		// Checked after the last await: a purge that ran while this read was under way deleted the
		// copy it found, and putting that back into memory would serve it for another maxAgeMs.
		if (entry.storedAt <= epoch || this.purgedSince([key, ...entry.tags], entry.storedAt)) return null;
		this.memory.set(key, entry, now);
		return entry;
	}

	/**
	 * Whether one of `names` (a key, its tags) was purged at or after `since`, in this isolate: a
	 * copy stored, or a render begun, by then shows what the purge was for. Equal times count as
	 * purged (workerd's clock stands still between I/O), so a doubt costs a MISS, never a stale page.
	 */
	purgedSince(names: Iterable<string>, since: number): boolean {
		if (this.purgedAt.size === 0) return false;
		for (const name of names) if ((this.purgedAt.get(name) ?? -1) >= since) return true;
		return false;
	}

	private notePurged(names: Iterable<string>, now: number): void {
		for (const name of names) this.purgedAt.set(name, now);
		// Renders and writes racing a purge take milliseconds; a minute of history is plenty.
		for (const [name, at] of this.purgedAt) if (now - at > 60_000) this.purgedAt.delete(name);
	}

	/**
	 * Purges every copy of the site at once. The Cache API cannot list or clear its keys, so the
	 * time of the purge is stored instead and any copy stored before it is treated as absent.
	 * Other isolates notice within the memory layer's `maxAgeMs`, as they do any purge. Returns
	 * how many copies this isolate's memory dropped.
	 */
	async purgeAll(siteOrigin: string, now: number): Promise<number> {
		// Every copy carries the site tag: noted, no render begun before this is stored.
		this.notePurged([tags.site], now);
		const dropped = this.memory.deletePrefix(`${siteOrigin}/`);
		this.epochs.set(siteOrigin, { at: now, readAt: now });
		await this.cache.put(
			epochKey(siteOrigin),
			new Response(String(now), { headers: { "cache-control": `public, max-age=${EPOCH_RETAIN_SECONDS}` } }),
		);
		return dropped;
	}

	/**
	 * When everything was last purged (0 if never), re-read at most every `maxAgeMs`. Each request
	 * reads it for itself: a lookup shared between requests is a promise of one request's I/O, and
	 * workerd fails a request that awaits another's (see writeIndex). Purges only move it forward.
	 */
	private async epoch(siteOrigin: string, now: number): Promise<number> {
		const known = this.epochs.get(siteOrigin);
		if (known && now - known.readAt <= this.memory.maxAgeMs) return known.at;
		let at = 0;
		try {
			const res = await this.cache.match(epochKey(siteOrigin));
			at = res ? Number(await res.text()) || 0 : 0;
		} catch {
			// A failed lookup counts as "never" until the next.
		}
		at = Math.max(at, this.epochs.get(siteOrigin)?.at ?? 0);
		this.epochs.set(siteOrigin, { at, readAt: now });
		return at;
	}

	/** Stores a copy in both layers and records its tags. */
	async put(siteOrigin: string, key: string, entry: Entry, now: number): Promise<void> {
		this.memory.set(key, entry, now);
		const indexes = entry.tags.filter((t) => t !== tags.site).map((t) => indexKey(siteOrigin, t));
		// Noted before any I/O: a purge from here on finds the key, even before its index is written.
		for (const index of indexes) {
			const indexing = this.indexing.get(index) ?? { pending: new Set<string>(), writingSince: null };
			indexing.pending.add(key);
			this.indexing.set(index, indexing);
			for (const seen of this.purging.get(index) ?? []) seen.add(key);
		}
		await this.cache.put(key, toResponse(entry));
		if (this.purgedSince([key, ...entry.tags], entry.storedAt)) {
			// A purge ran meanwhile and may have deleted the key before this copy landed.
			this.memory.delete(key);
			await this.cache.delete(key);
			for (const index of indexes) this.indexing.get(index)?.pending.delete(key);
			return;
		}
		await Promise.all(indexes.map((index) => this.writeIndex(index, key)));
	}

	/** Deletes the keys and every key stored under one of the tags; returns the keys deleted. */
	async purge(siteOrigin: string, keys: string[], purgeTags: string[]): Promise<string[]> {
		// Noted before any I/O: a render of one of these begun before now is not stored (see purgedSince).
		this.notePurged([...keys, ...purgeTags], Date.now());
		const indexes = purgeTags.filter((t) => t !== tags.site).map((t) => indexKey(siteOrigin, t));
		// Keys still on their way into an index are purged too, and their writes stop (see writeIndex).
		const pending = indexes.flatMap((index) => {
			const indexing = this.indexing.get(index);
			this.indexing.delete(index);
			return indexing ? [...indexing.pending] : [];
		});
		// So are keys put while the index is read and deleted: the delete could wipe their entry out.
		const seen = new Set<string>();
		for (const index of indexes) this.purging.set(index, (this.purging.get(index) ?? new Set()).add(seen));
		let indexed: string[][];
		try {
			indexed = await Promise.all(
				indexes.map(async (index) => {
					const found = await this.readIndex(index);
					await this.cache.delete(index);
					return found;
				}),
			);
		} finally {
			for (const index of indexes) {
				const purges = this.purging.get(index);
				purges?.delete(seen);
				if (purges?.size === 0) this.purging.delete(index);
			}
		}
		const all = new Set([...keys, ...pending, ...indexed.flat(), ...seen]);
		this.notePurged(all, Date.now());
		await Promise.all(
			[...all].map((key) => {
				this.memory.delete(key);
				return this.cache.delete(key);
			}),
		);
		return [...all];
	}

	private async readIndex(index: string): Promise<string[]> {
		const res = await this.cache.match(index);
		if (!res) return [];
		return (await res.text()).split("\n").filter((k) => k.length > 0);
	}

	/**
	 * Gets `key` into a tag's index entry: one write of an entry at a time in this isolate, each
	 * merging every pending key with what is stored and re-reading until a read shows them all, so a
	 * burst of copies under one tag costs a few writes, not one each. A put waits for the write under
	 * way by looking on its own timer (see pollUntil), never by awaiting that request's promise: a
	 * lock chained across requests lost index writes that way, and a later purge missed the copy.
	 * Two isolates writing one tag at the same moment can still lose a key: that copy then lives
	 * out its lifetime.
	 */
	private async writeIndex(index: string, key: string): Promise<void> {
		const writing = (i: Indexing) => i.writingSince !== null && Date.now() - i.writingSince < INDEX_WRITE_MAX_MS;
		await pollUntil(
			() => {
				const i = this.indexing.get(index);
				return !i?.pending.has(key) || !writing(i);
			},
			INDEX_POLL_MS,
			INDEX_WRITE_MAX_MS,
		);
		const indexing = this.indexing.get(index);
		// Purged meanwhile (its keys were deleted with it), or written by the write waited for.
		if (!indexing?.pending.has(key) || writing(indexing)) return;
		const since = Date.now();
		indexing.writingSince = since;
		try {
			for (let round = 0; round < INDEX_WRITE_ROUNDS; round++) {
				const stored = await this.readIndex(index);
				if (this.indexing.get(index) !== indexing) return;
				const present = new Set(stored);
				for (const k of indexing.pending) if (present.has(k)) indexing.pending.delete(k);
				if (indexing.pending.size === 0) return;
				const kept = [...stored, ...indexing.pending].slice(-MAX_KEYS_PER_TAG);
				await this.cache.put(
					index,
					new Response(kept.join("\n"), { headers: { "cache-control": `public, max-age=${RETAIN_SECONDS}` } }),
				);
			}
			// Given up: those copies live out their lifetime, and the pending set stays bounded.
			console.error("cache index write did not settle", index);
			indexing.pending.clear();
		} finally {
			if (indexing.writingSince === since) indexing.writingSince = null;
			if (indexing.pending.size === 0 && this.indexing.get(index) === indexing) this.indexing.delete(index);
		}
	}
}

export function indexKey(siteOrigin: string, t: string): string {
	return `${siteOrigin}${INTERNAL_PREFIX}tags/${encodeURIComponent(t)}`;
}

function epochKey(siteOrigin: string): string {
	return `${siteOrigin}${INTERNAL_PREFIX}epoch`;
}

function toResponse(entry: Entry): Response {
	const headers = new Headers(entry.headers);
	headers.set("etag", entry.etag);
	headers.set("cache-tag", entry.tags.join(","));
	headers.set("cache-control", `public, max-age=${RETAIN_SECONDS}`);
	headers.set(STORED_AT, String(entry.storedAt));
	headers.set(FRESH, String(entry.lifetime.fresh));
	headers.set(SWR, String(entry.lifetime.swr));
	return new Response(entry.body, { status: entry.status, headers });
}

async function fromResponse(res: Response): Promise<Entry | null> {
	const storedAt = Number(res.headers.get(STORED_AT));
	const fresh = Number(res.headers.get(FRESH));
	const swr = Number(res.headers.get(SWR));
	const etag = res.headers.get("etag");
	// Anything we did not write ourselves is ignored rather than trusted.
	if (!Number.isFinite(storedAt) || storedAt <= 0 || !Number.isFinite(fresh) || !Number.isFinite(swr) || !etag) {
		return null;
	}
	const headers = new Headers(res.headers);
	for (const name of [STORED_AT, FRESH, SWR, "etag", "cache-tag", "cache-control", "age", "cf-cache-status"]) {
		headers.delete(name);
	}
	return {
		status: res.status,
		headers: [...headers],
		body: await res.arrayBuffer(),
		etag,
		tags: (res.headers.get("cache-tag") ?? "").split(",").filter((t) => t.length > 0),
		storedAt,
		lifetime: { fresh, swr },
	};
}

/** A strong etag from the body's SHA-256 (the first 16 bytes, base64url). */
export async function etagFor(body: ArrayBuffer): Promise<string> {
	const digest = await sha256(body);
	return `"${base64ToUrl(bytesToBase64(digest.subarray(0, 16)))}"`;
}
