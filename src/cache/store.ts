import { base64ToUrl, bytesToBase64, sha256 } from "../lib/encoding";
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
	/**
	 * When its render began (ms), before it read anything: a purge at or after this time may not be
	 * in it. Freshness is measured from here too, whichever layer it comes from.
	 */
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

	/** Keeps a copy, trusted for maxAgeMs from `readAt` (when it was rendered, or last checked against purges). */
	set(key: string, entry: Entry, readAt: number): void {
		this.delete(key);
		const bytes = entry.body.byteLength + 64 * entry.headers.length + key.length + 256;
		// One huge response must not push out everything else.
		if (bytes > this.maxBytes / 8) return;
		this.items.set(key, { entry, bytes, readAt });
		this.bytes += bytes;
		for (const [oldest, item] of this.items) {
			if (this.bytes <= this.maxBytes) break;
			this.items.delete(oldest);
			this.bytes -= item.bytes;
		}
	}

	/** Drops a copy; true when there was one. */
	delete(key: string): boolean {
		const item = this.items.get(key);
		if (!item) return false;
		this.items.delete(key);
		this.bytes -= item.bytes;
		return true;
	}

	clear(): void {
		this.items.clear();
		this.bytes = 0;
	}

	/** Drops every copy whose key starts with `prefix` (one site's) and that carries one of `tags`; returns their keys. */
	deleteTagged(prefix: string, tags: Iterable<string>): string[] {
		const wanted = new Set(tags);
		if (wanted.size === 0) return [];
		const dropped: string[] = [];
		for (const [key, item] of this.items) {
			if (key.startsWith(prefix) && item.entry.tags.some((t) => wanted.has(t))) dropped.push(key);
		}
		for (const key of dropped) this.delete(key);
		return dropped;
	}
}

/** Tag marks this isolate remembers at most (a made-up slug's 404 names a tag of its own). */
const MAX_MARKS = 10_000;
/** Kept well past RETAIN_SECONDS, so that no copy outlives the purge that made it unreachable. */
const MARK_RETAIN_SECONDS = 4 * RETAIN_SECONDS;

/**
 * The two layers (memory, then the data centre's Cache API), and purges by tag that do not depend
 * on knowing which keys carry the tag: a purge writes the tag's time (its "mark") to the Cache
 * API, and a copy counts as gone when it was rendered at or before the last mark of any tag it
 * carries. Requests can mint any number of keys under a tag (every cursor, every limit), and no
 * number of them can make a purge miss one. Purging everything is a mark on the `site` tag,
 * which every copy carries.
 */
export class EdgeStore {
	/** Per site and tag: the last purge of it known here, and when that was read from the Cache API. */
	private readonly marks = new Map<string, { at: number; readAt: number }>();
	/** When this isolate last purged each key and tag (kept a minute or more): what was stored or begun before is gone. */
	private readonly purgedAt = new Map<string, number>();
	private purgesBegun = 0;
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
		const last = await this.lastPurge(new URL(key).origin, entry.tags, now);
		// Checked after the last await: a purge that ran here while this read was under way counts
		// too, and putting the copy back into memory would serve it for another maxAgeMs.
		if (entry.storedAt <= last.at || this.purgedSince([key, ...entry.tags], entry.storedAt)) return null;
		// Trusted in memory only as long as the oldest mark it was checked against.
		this.memory.set(key, entry, last.readAt);
		return entry;
	}

	/**
	 * How many purges this isolate has begun, counted before their first I/O: work begun under an
	 * earlier count may show what a purge since was for. A count, not a time, because workerd's
	 * clock stands still between I/O (and tests move it).
	 */
	get purges(): number {
		return this.purgesBegun;
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

	/**
	 * Whether a copy carrying `tags` under `key` was purged at or after `since`, anywhere in this
	 * data centre: by this isolate (its log of keys and tags), or by another (the tags' marks in the
	 * Cache API, re-read at most every `maxAgeMs`). The edge cache asks before and after a render:
	 * one that refills a copy purged moments ago reads the primary, since a replica may lag it.
	 */
	async purgedAfter(key: string, tags: string[], since: number, now: number): Promise<boolean> {
		if (this.purgedSince([key, ...tags], since)) return true;
		if (tags.length === 0) return false;
		return (await this.lastPurge(new URL(key).origin, tags, now)).at >= since;
	}

	private notePurged(names: Iterable<string>, now: number): void {
		for (const name of names) this.purgedAt.set(name, now);
		// Renders and writes racing a purge take milliseconds; a minute of history is plenty.
		for (const [name, at] of this.purgedAt) if (now - at > 60_000) this.purgedAt.delete(name);
	}

	/**
	 * The last purge of any of `tags` on the site, with the time of the oldest mark read that went
	 * into it. Each mark is re-read from the Cache API at most every `maxAgeMs`, which bounds how
	 * long a purge in another isolate of this data centre goes unseen. Each request reads for
	 * itself: a lookup shared between requests is a promise of one request's I/O, and workerd fails
	 * a request that awaits another's.
	 */
	private async lastPurge(siteOrigin: string, tags: string[], now: number): Promise<{ at: number; readAt: number }> {
		const known = await Promise.all(
			tags.map(async (t) => {
				const id = markId(siteOrigin, t);
				const memo = this.marks.get(id);
				if (memo && now - memo.readAt <= this.memory.maxAgeMs) return memo;
				const at = Math.max(await this.readMark(siteOrigin, t), this.marks.get(id)?.at ?? 0);
				return this.remember(id, { at, readAt: now });
			}),
		);
		let at = 0;
		let readAt = now;
		for (const mark of known) {
			at = Math.max(at, mark.at);
			readAt = Math.min(readAt, mark.readAt);
		}
		return { at, readAt };
	}

	private remember(id: string, mark: { at: number; readAt: number }): { at: number; readAt: number } {
		this.marks.delete(id);
		this.marks.set(id, mark);
		if (this.marks.size > MAX_MARKS) {
			for (const oldest of this.marks.keys()) {
				this.marks.delete(oldest);
				if (this.marks.size <= MAX_MARKS) break;
			}
		}
		return mark;
	}

	private async readMark(siteOrigin: string, t: string): Promise<number> {
		try {
			const res = await this.cache.match(markKey(siteOrigin, t));
			return res ? Number(await res.text()) || 0 : 0;
		} catch {
			// A failed lookup counts as "no purge" until the next; the copy's lifetime still bounds it.
			return 0;
		}
	}

	/** Stores a copy in both layers; one a purge reached while it was being written does not stay. */
	async put(key: string, entry: Entry, now: number): Promise<void> {
		this.memory.set(key, entry, now);
		await this.cache.put(key, toResponse(entry));
		if (this.purgedSince([key, ...entry.tags], entry.storedAt)) {
			// A purge ran meanwhile and may have deleted the key before this copy landed.
			this.memory.delete(key);
			await this.cache.delete(key);
		}
	}

	/**
	 * Deletes the keys and marks the tags purged as of `now`: every copy of the site carrying one of
	 * them, in whatever isolate of this data centre stored it, is gone. Returns how many copies
	 * were deleted outright (the keys found in either layer, and this isolate's memory copies under
	 * the tags); copies elsewhere under the tags are not counted, only made unreachable.
	 */
	async purge(siteOrigin: string, keys: string[], purgeTags: string[], now = Date.now()): Promise<number> {
		// Noted before any I/O: a render of one of these begun before now is not stored (see purgedSince).
		this.notePurged([...keys, ...purgeTags], now);
		this.purgesBegun += 1;
		for (const t of purgeTags) {
			const id = markId(siteOrigin, t);
			this.remember(id, { at: Math.max(now, this.marks.get(id)?.at ?? 0), readAt: now });
		}
		const cleared = new Set(this.memory.deleteTagged(`${siteOrigin}/`, purgeTags));
		for (const key of keys) if (this.memory.delete(key)) cleared.add(key);
		const [, found] = await Promise.all([
			Promise.all(purgeTags.map((t) => this.writeMark(siteOrigin, t, now))),
			Promise.all(keys.map((key) => this.cache.delete(key))),
		]);
		keys.forEach((key, i) => {
			if (found[i]) cleared.add(key);
		});
		return cleared.size;
	}

	/** Purges every copy of the site at once (every copy carries the `site` tag). */
	purgeAll(siteOrigin: string, now = Date.now()): Promise<number> {
		return this.purge(siteOrigin, [], [tags.site], now);
	}

	/**
	 * Writes a tag's mark. Two isolates purging one tag within the same few milliseconds can leave
	 * the earlier time; copies whose render began in between then live out their lifetime.
	 */
	private async writeMark(siteOrigin: string, t: string, at: number): Promise<void> {
		await this.cache.put(
			markKey(siteOrigin, t),
			new Response(String(at), { headers: { "cache-control": `public, max-age=${MARK_RETAIN_SECONDS}` } }),
		);
	}
}

/** A few MiB is plenty for a news site's hot pages; an isolate has 128 MB in all. */
export const MEMORY_BYTES = 8 * 1024 * 1024;
/** How long an isolate trusts its memory copy before asking the Cache API again (docs/cache.md). */
export const MEMORY_MAX_AGE_MS = 1000;

let isolate: EdgeStore | undefined;

/**
 * This isolate's store: the one its edge cache serves from and its purges clear. One per isolate,
 * since the memory layer and the log of recent purges are only worth anything when shared.
 */
export function isolateStore(): EdgeStore {
	// Made on first use, in a request: nothing touches the Cache API while the module loads.
	isolate ??= new EdgeStore(caches.default, new MemoryCache(MEMORY_BYTES, MEMORY_MAX_AGE_MS));
	return isolate;
}

function markId(siteOrigin: string, t: string): string {
	return `${siteOrigin} ${t}`;
}

export function markKey(siteOrigin: string, t: string): string {
	return `${siteOrigin}${INTERNAL_PREFIX}marks/${encodeURIComponent(t)}`;
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
