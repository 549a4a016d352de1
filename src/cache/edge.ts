import { readPrimary } from "../db/replicas";
import { RETRY_AFTER_SECONDS } from "../lib/errors";
import { pollUntil } from "../lib/poll";
import { normalizeOrigin } from "../lib/site";
import {
	bypassReason,
	type CacheTarget,
	cacheTarget,
	isMediaPath,
	lifetimeFor,
	PRIVATE_CACHE_CONTROL,
	publicCacheControl,
} from "./policy";
import { type EdgeStore, type Entry, etagFor, isolateStore } from "./store";
import { formatTags, parseTags } from "./tags";

// The edge cache in front of the app: every public GET/HEAD is answered from the in-isolate
// memory, then the data centre's Cache API, and only then by rendering, once per key however
// many readers ask at the same moment.

export type FetchHandler = (request: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;

type App = { fetch: FetchHandler };

type CacheState = "HIT" | "MISS" | "STALE" | "BYPASS";

/** A render, fully read: served to every reader who waited for it, stored when it may be. */
type Rendered = { entry: Entry; storable: boolean; timing: string | null };

/**
 * A render under way, as other requests see it: the store's purge count when it began, and its
 * outcome, once there is one, as plain data.
 */
type Flight = { purges: number; outcome?: { rendered: Rendered } | { error: unknown } };

/**
 * How long after a purge a render of what it purged reads the primary rather than a replica: D1's
 * replicas usually trail the primary by well under a second; this leaves room for a slow one.
 */
export const REPLICA_LAG_MS = 10_000;

/** How often a request waiting for another request's render looks at it, and for how long at most. */
const JOIN_POLL_MS = 5;
const JOIN_TIMEOUT_MS = 5000;

/** The Worker's fetch handler: `app` behind this isolate's edge cache. */
export function withEdgeCache(app: App): (request: Request, env: Env, ctx: ExecutionContext) => Promise<Response> {
	let cache: EdgeCache | undefined;
	return async (request, env, ctx) => {
		// Made on the first request, as the isolate's store is (see isolateStore).
		cache ??= new EdgeCache(app, isolateStore());
		try {
			return explicitCacheControl(await cache.fetch(request, env, ctx));
		} catch (err) {
			// The app answers its own errors; this is a fault in the cache itself.
			console.error("edge cache failed", request.method, request.url, err);
			return new Response("Something went wrong on our side.\n", {
				status: 500,
				headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
			});
		}
	};
}

/**
 * Every answer leaves with a Cache-Control of its own: Workers Cache, and any shared cache between
 * here and the reader, may store a 200 without one for hours (heuristic freshness). Whatever no
 * rule below gave one is not to be stored.
 */
function explicitCacheControl(res: Response): Response {
	if (res.headers.has("cache-control")) return res;
	return withHeaders(res, (headers) => headers.set("cache-control", "no-store"));
}

/**
 * `res` with `edit` applied to its headers. The app's own responses have mutable headers and are
 * edited in place: re-wrapping one would pipe its body through a second stream, which costs more
 * than the edit. One with immutable headers (a fetched response) is re-wrapped.
 */
function withHeaders(res: Response, edit: (headers: Headers) => void): Response {
	try {
		edit(res.headers);
		return res;
	} catch {
		const out = new Response(res.body, res);
		edit(out.headers);
		return out;
	}
}

/**
 * `app` behind `store`: answers from what the store holds, and renders a missing key once however
 * many readers ask for it at the same moment. The store is the isolate's, which purges clear; the
 * renders under way are this object's. `env` and `ctx` stay each request's own: a render's
 * background write belongs to the request that rendered, and a request that joins it only reads
 * its outcome.
 */
export class EdgeCache {
	private readonly app: App;
	private readonly store: EdgeStore;
	private readonly renders = new Map<string, Flight>();

	constructor(app: App, store: EdgeStore) {
		this.app = app;
		this.store = store;
	}

	async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
		const url = new URL(request.url);
		const site = normalizeOrigin(env.SITE_URL);
		const target = cacheTarget(url, site);
		if (!target) {
			const res = await this.app.fetch(request, env, ctx);
			// The benchmark's ceiling stays exactly as the app answers it.
			if (url.pathname === "/healthz") return res;
			// A picture keeps its own cache-control (immutable) and tag, for Workers Cache to store.
			if (isMediaPath(url.pathname)) return withHeaders(res, (headers) => headers.set("x-cache", "BYPASS"));
			return mark(res, "BYPASS", PRIVATE_CACHE_CONTROL);
		}

		const benchToken = env.BENCH_NO_CACHE_TOKEN;
		const benchBypass = benchToken !== "" && request.headers.get("x-bench-no-cache") === benchToken;
		if (benchBypass || bypassReason(request)) {
			const res = await this.app.fetch(request, env, ctx);
			return mark(res, "BYPASS", PRIVATE_CACHE_CONTROL);
		}
		return this.serve(request, target, env, ctx);
	}

	private async serve(request: Request, target: CacheTarget, env: Env, ctx: ExecutionContext): Promise<Response> {
		const started = performance.now();
		const now = Date.now();
		let stored: Entry | null = null;
		try {
			stored = await this.store.get(target.key, now);
		} catch (err) {
			console.error("cache read failed", target.key, err);
		}
		const lookup = performance.now() - started;

		if (stored) {
			const age = (now - stored.storedAt) / 1000;
			if (age < stored.lifetime.fresh) return respond(request, stored, "HIT", timing("HIT", lookup));
			if (age < stored.lifetime.fresh + stored.lifetime.swr) {
				ctx.waitUntil(
					this.renderOnce(target, env, ctx).then(
						() => undefined,
						(err) => console.error("background refresh failed", target.key, err),
					),
				);
				return respond(request, stored, "STALE", timing("STALE", lookup));
			}
		}

		// Another request may have finished rendering this key while this one was looking it up.
		const justRendered = !stored ? this.store.memory.get(target.key, Date.now()) : undefined;
		if (justRendered) return respond(request, justRendered, "HIT", timing("HIT", lookup));

		let rendered: Rendered;
		try {
			rendered = await this.renderOnce(target, env, ctx);
		} catch (err) {
			// The app answers its own errors; this is the cache failing to read what it rendered.
			console.error("render failed", target.key, err);
			if (stored) return respond(request, stored, "STALE", timing("STALE", lookup));
			return new Response("Temporarily unavailable. Please try again in a minute.\n", {
				status: 503,
				headers: {
					"content-type": "text/plain; charset=utf-8",
					"retry-after": String(RETRY_AFTER_SECONDS),
					"cache-control": "no-store",
					"x-cache": "MISS",
				},
			});
		}
		const timings = [timing("MISS", lookup), rendered.timing].filter(Boolean).join(", ");
		// The database (or anything else) failed: an old copy at any age beats an error page.
		if (rendered.entry.status >= 500 && stored) {
			return respond(request, stored, "STALE", [timing("STALE", lookup), rendered.timing].filter(Boolean).join(", "));
		}
		return respond(request, rendered.entry, "MISS", timings, rendered.storable);
	}

	/** One render per key at a time: concurrent misses all wait for the same one. */
	private async renderOnce(target: CacheTarget, env: Env, ctx: ExecutionContext): Promise<Rendered> {
		const running = this.renders.get(target.key);
		// One begun before a purge may show what the purge was for: a reader who came after the purge
		// gets a render of its own (the store keeps the older one from being stored: see purgedSince).
		if (!running || running.purges !== this.store.purges) return this.startRender(target, env, ctx);
		// Another request's render: watched on this request's own timer, never awaited (see pollUntil).
		await pollUntil(() => running.outcome !== undefined, JOIN_POLL_MS, JOIN_TIMEOUT_MS);
		const outcome = running.outcome;
		if (!outcome) {
			// That render never finished (its request cancelled): one new render takes its place.
			if (this.renders.get(target.key) === running) this.renders.delete(target.key);
			return this.renderOnce(target, env, ctx);
		}
		if ("error" in outcome) throw outcome.error;
		return outcome.rendered;
	}

	/**
	 * Renders the canonical request: the key's URL, GET, no headers. Whatever the reader sent beyond
	 * the key (Host, cookies, forwarded headers, other parameters) never reaches a stored copy.
	 */
	private async render(
		target: CacheTarget,
		env: Env,
		ctx: ExecutionContext,
		primary: boolean,
		began: number,
		started: number,
	): Promise<Rendered> {
		const request = new Request(target.key);
		const res = await this.app.fetch(primary ? readPrimary(request) : request, env, ctx);
		return readRender(res, target, began, started);
	}

	private startRender(target: CacheTarget, env: Env, ctx: ExecutionContext): Promise<Rendered> {
		const began = Date.now();
		const purges = this.store.purges;
		const render = (async () => {
			const started = performance.now();
			// A copy purged moments ago is refilled from the primary: a replica may not yet have the
			// write the purge was for. Known before the render for the key and the route's own tags;
			// the tags only the render names (Related Articles) are checked after it, and a render
			// from a replica that carries a recently purged one is done again from the primary.
			const lagSince = began - REPLICA_LAG_MS;
			let primary = await this.store.purgedAfter(target.key, target.tags, lagSince, began);
			let rendered = await this.render(target, env, ctx, primary, began, started);
			// (One that overlapped a purge is not stored anyway, and its reader came before the purge.)
			const stores = (r: Rendered) => r.storable && !this.store.purgedSince([target.key, ...r.entry.tags], began);
			if (
				!primary &&
				stores(rendered) &&
				(await this.store.purgedAfter(target.key, rendered.entry.tags, lagSince, Date.now()))
			) {
				primary = true;
				rendered = await this.render(target, env, ctx, primary, began, performance.now());
			}
			if (stores(rendered)) {
				ctx.waitUntil(
					this.store
						.put(target.key, rendered.entry, Date.now())
						.catch((err) => console.error("cache write failed", target.key, err)),
				);
			}
			return rendered;
		})();
		const flight: Flight = { purges };
		this.renders.set(target.key, flight);
		const settle = (outcome: NonNullable<Flight["outcome"]>) => {
			flight.outcome = outcome;
			if (this.renders.get(target.key) === flight) this.renders.delete(target.key);
		};
		render.then(
			(rendered) => settle({ rendered }),
			(error) => settle({ error }),
		);
		return render;
	}
}

/**
 * A rendered response as the cache keeps it, stored as of `began` (when the render began, not when
 * it ended: a purge during the render may have come after its reads); `started` times the render.
 */
async function readRender(res: Response, target: CacheTarget, began: number, started: number): Promise<Rendered> {
	const body = await res.arrayBuffer();
	const lifetime = lifetimeFor(target.kind, res);
	const headers = new Headers(res.headers);
	const appTiming = headers.get("server-timing");
	headers.delete("server-timing");
	headers.delete("cache-tag");
	headers.delete("cache-control");
	const entry: Entry = {
		status: res.status,
		headers: [...headers],
		body,
		etag: await etagFor(body),
		tags: [...new Set([...target.tags, ...parseTags(res.headers.get("cache-tag"))])],
		storedAt: began,
		lifetime: lifetime ?? { fresh: 0, swr: 0 },
	};
	const renderTiming = `render;dur=${(performance.now() - started).toFixed(1)}`;
	return { entry, storable: lifetime !== null, timing: [appTiming, renderTiming].filter(Boolean).join(", ") };
}

function timing(state: CacheState, ms: number): string {
	return `cache;desc="${state}";dur=${ms.toFixed(1)}`;
}

// The headers a stored copy is served with, but for the per-request ones: built once per copy,
// since a HIT should cost little more than copying them.
const servedHeaders = new WeakMap<Entry, [string, string][]>();

function storedHeaders(entry: Entry): [string, string][] {
	let list = servedHeaders.get(entry);
	if (!list) {
		const headers = new Headers(entry.headers);
		headers.set("cache-control", publicCacheControl(entry.lifetime));
		headers.set("cache-tag", formatTags(entry.tags));
		headers.set("etag", entry.etag);
		list = [...headers];
		servedHeaders.set(entry, list);
	}
	return list;
}

function respond(request: Request, entry: Entry, cache: CacheState, serverTiming: string, storable = true): Response {
	const body = request.method === "HEAD" ? null : entry.body;
	if (!storable) {
		const headers = new Headers(entry.headers);
		headers.set("x-cache", cache);
		headers.set("server-timing", serverTiming);
		headers.set("cache-control", "no-store");
		return new Response(body, { status: entry.status, headers });
	}
	const headers = new Headers(storedHeaders(entry));
	headers.set("x-cache", cache);
	headers.set("server-timing", serverTiming);
	headers.set("age", String(Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000))));
	if (entry.status === 200 && matchesEtag(request.headers.get("if-none-match"), entry.etag)) {
		headers.delete("content-type");
		headers.delete("content-length");
		return new Response(null, { status: 304, headers });
	}
	return new Response(body, { status: entry.status, headers });
}

/** If-None-Match uses the weak comparison: `W/"x"` matches `"x"`; `*` matches anything. */
export function matchesEtag(header: string | null, etag: string): boolean {
	if (!header) return false;
	return header.split(",").some((candidate) => {
		const value = candidate.trim();
		return value === "*" || value.replace(/^W\//, "") === etag;
	});
}

function mark(res: Response, cache: CacheState, cacheControl: string): Response {
	return withHeaders(res, (headers) => {
		headers.set("x-cache", cache);
		headers.set("cache-control", cacheControl);
		// Tags describe stored copies; a response that is never stored has none.
		headers.delete("cache-tag");
	});
}
