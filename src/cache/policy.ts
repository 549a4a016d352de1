import { encodePath, routerPath } from "../lib/paths";
import { normalizeSearchText } from "../lib/search";
import { NEWS_SITEMAP_PATH } from "../lib/sitemaps";
import { isSlug } from "../lib/slugs";
import { tag } from "./tags";

// Which requests the edge cache answers, under which key, and for how long. Everything here is
// pure so that the rules can be read, and tested, in one place.

/** What a cacheable request asks for; decides lifetimes and which query parameters matter. */
export type RouteKind = "article" | "list" | "search" | "page" | "taxa" | "feed" | "news" | "robots" | "icon" | "other";

export type CacheTarget = {
	kind: RouteKind;
	/**
	 * The canonical URL: the configured site origin, the path, and only the query parameters the
	 * route reads, in a fixed order. It is both the Cache API key and the request that renders
	 * the response, so nothing else a client sends (Host, cookies, other parameters) can reach it.
	 */
	key: string;
	/** Tags known from the address alone (a 404 carries these too). */
	tags: string[];
};

type Route = {
	kind: RouteKind;
	params: readonly string[];
	tags: string[];
	/** How the route reads a parameter, where that is not as sent: the key holds it as read (or not at all, for null). */
	read?: Record<string, (value: string) => string | null>;
};

/** Search reads its query normalised, and an empty filter as none (src/routes/search.tsx). */
const SEARCH_READ: Route["read"] = {
	q: (value) => normalizeSearchText(value) || null,
	topic: (value) => value || null,
	region: (value) => value || null,
};

const PAGE_SLUGS = new Set(["about", "services"]);
/** The site icons (src/routes/icons.ts): bytes that change only with a deploy. */
const ICON_PATHS = new Set(["/favicon.svg", "/favicon.ico", "/favicon-admin.svg"]);

/** Paths under which the cache keeps its own bookkeeping; never answered from or stored in the cache. */
export const INTERNAL_PREFIX = "/__cache/";

const slugOrNull = (s: string | null | undefined) => (s != null && isSlug(s) ? s : null);
const ifSlug = (s: string | null | undefined, name: (slug: string) => string) => {
	const slug = slugOrNull(s);
	return slug ? [name(slug)] : [];
};

function route(path: string, query: URLSearchParams): Route {
	if (path === "/") return { kind: "list", params: ["cursor"], tags: [tag.listHome] };
	if (path === "/feed.xml") return { kind: "feed", params: [], tags: [tag.feed] };
	if (path === "/sitemap.xml") return { kind: "feed", params: [], tags: [tag.sitemap] };
	if (path === "/corrections") return { kind: "list", params: ["cursor"], tags: [tag.corrections] };
	if (path === "/corrections.xml") return { kind: "feed", params: [], tags: [tag.corrections] };
	if (path === NEWS_SITEMAP_PATH) return { kind: "news", params: [], tags: [tag.newsSitemap] };
	if (path === "/topics") return { kind: "list", params: [], tags: [tag.topicsIndex] };
	if (path === "/regions") return { kind: "list", params: [], tags: [tag.regionsIndex] };
	if (path === "/search")
		return { kind: "search", params: ["q", "topic", "region", "cursor"], tags: [tag.search], read: SEARCH_READ };
	if (path === "/api/search") {
		return {
			kind: "search",
			params: ["q", "topic", "region", "cursor", "limit"],
			tags: [tag.search],
			read: SEARCH_READ,
		};
	}
	if (path === "/robots.txt") return { kind: "robots", params: [], tags: [] };
	if (ICON_PATHS.has(path)) return { kind: "icon", params: [], tags: [] };
	const [, first = "", second, third, ...rest] = path.split("/");
	if (second === undefined && PAGE_SLUGS.has(first)) return { kind: "page", params: [], tags: [tag.page(first)] };
	if (second !== undefined && third === undefined) {
		if (first === "articles") return { kind: "article", params: [], tags: ifSlug(second, tag.article) };
		if (first === "topics") return { kind: "list", params: ["cursor"], tags: ifSlug(second, tag.listTopic) };
		if (first === "regions") return { kind: "list", params: ["cursor"], tags: ifSlug(second, tag.listRegion) };
		if (first === "authors") return { kind: "list", params: ["cursor"], tags: ifSlug(second, tag.listAuthor) };
		// Every child, and the 404 of an address that is not one (yet): a purge of the sitemap
		// reaches them all, so a child that a new article brings into being is not a stale 404.
		if (first === "sitemaps") return { kind: "feed", params: [], tags: [tag.sitemap] };
	}
	if (first === "api" && rest.length === 0) {
		if (second === "articles" && third === undefined) {
			const filters = [...ifSlug(query.get("topic"), tag.listTopic), ...ifSlug(query.get("region"), tag.listRegion)];
			const params = ["topic", "region", "cursor", "limit"];
			return { kind: "list", params, tags: filters.length > 0 ? filters : [tag.listHome] };
		}
		if (second === "articles" && third !== undefined) {
			return { kind: "article", params: [], tags: ifSlug(third, tag.article) };
		}
		if (second === "pages" && third !== undefined) return { kind: "page", params: [], tags: ifSlug(third, tag.page) };
		if (second === "authors" && third !== undefined) {
			return { kind: "list", params: ["cursor", "limit"], tags: ifSlug(third, tag.listAuthor) };
		}
		if ((second === "topics" || second === "regions") && third === undefined) {
			return { kind: "taxa", params: [], tags: [tag.taxa] };
		}
	}
	return { kind: "other", params: [], tags: [] };
}

/**
 * The cache target of a public GET/HEAD, or null when the address must never be cached (or
 * cannot be written as a key that renders the same page).
 *
 * What is private is decided on the path the router routes on (`/%61dmin` is the admin). The key
 * is that path written back with encodePath, never the decoded path parsed as a URL (where
 * `/\evil.example/` would take on a host), so that `/%61bout` and `/about` share a key and the
 * render of the key routes exactly as the request did.
 */
export function cacheTarget(url: URL, siteOrigin: string): CacheTarget | null {
	const path = url.pathname.includes("%") ? routerPath(url.href) : url.pathname;
	if (isPrivatePath(path) || isMediaPath(path) || path.startsWith(INTERNAL_PREFIX) || path === "/healthz") return null;
	const keyPath = encodePath(path);
	// Checked rather than trusted: a key that routed anywhere else would store one page under
	// another's address. (The same path as the request's routes the same, by definition.)
	if (keyPath !== url.pathname && routerPath(`${siteOrigin}${keyPath}`) !== path) return null;
	// `/topics/energy/?cursor=x` redirects to `/topics/energy?cursor=x`: it keeps the parameters of
	// the page it redirects to, and is otherwise an address of no route of its own.
	const slashed = path !== "/" && path.endsWith("/");
	const matched = route(slashed ? path.replace(/\/+$/, "") || "/" : path, url.searchParams);
	const { kind, tags } = slashed ? { kind: "other" as const, tags: [] } : matched;
	// Only the parameters the route reads, first value each (as the handlers read them), in a
	// fixed order: `?utm_source=x&cursor=a` and `?cursor=a` share one key.
	const kept = new URLSearchParams();
	for (const name of matched.params) {
		const sent = url.searchParams.get(name);
		const read = matched.read?.[name];
		const value = sent !== null && read ? read(sent) : sent;
		if (value !== null) kept.set(name, value);
	}
	const search = kept.size > 0 ? `?${kept}` : "";
	return { kind, key: `${siteOrigin}${keyPath}${search}`, tags: [tag.site, ...tags] };
}

/**
 * The picture library's files: immutable, answered straight from R2 with their own long
 * cache-control, which Workers Cache (in front of the Worker) honours, ranges included. The
 * Worker's own cache stays out of it: it would store range and HEAD answers as the whole file's,
 * and hold megabytes per picture in an isolate's memory (docs/cache.md#pictures).
 */
export function isMediaPath(path: string): boolean {
	return path.startsWith("/media/");
}

/** The editors' side: never cached, never marked public. */
export function isPrivatePath(path: string): boolean {
	return path === "/admin" || path.startsWith("/admin/") || path === "/api/admin" || path.startsWith("/api/admin/");
}

/**
 * Why a request to a cacheable address must be answered fresh and not stored, or null. Public
 * pages read no identity, so credentials change nothing: an `Authorization` header or a session
 * cookie is served the cached copy like any other request (skipping the cache for them would let
 * anyone send every request to D1, and past the cached 404s that keep slug scans off it).
 */
export function bypassReason(request: Request): string | null {
	if (request.method !== "GET" && request.method !== "HEAD") return "method";
	return null;
}

export type Lifetime = {
	/** Seconds a stored copy is served as fresh (HIT); also the `s-maxage` readers' caches get. */
	fresh: number;
	/** Seconds after that in which a stale copy is served while one background render refreshes it. */
	swr: number;
};

// Exact purges keep every copy current after an edit, so lifetimes only bound how long a copy
// that a purge could not reach (another data centre without a global purge configured) lives.
const LIFETIMES: Record<RouteKind, Lifetime> = {
	article: { fresh: 300, swr: 3600 },
	list: { fresh: 60, swr: 600 },
	// Any query is a key of its own, and few are asked twice for long: purges keep them exact,
	// and a short life keeps the unreached (and the long tail) from piling up.
	search: { fresh: 60, swr: 60 },
	page: { fresh: 300, swr: 3600 },
	taxa: { fresh: 300, swr: 3600 },
	feed: { fresh: 300, swr: 3600 },
	// Purged on every publish like the feed, but its 48-hour window also slides with the clock (an
	// article drops out unannounced), and crawlers poll it often: shared caches, which no purge
	// reaches, keep it a minute; browsers and crawlers revalidate by etag each time (max-age=0).
	news: { fresh: 60, swr: 60 },
	robots: { fresh: 3600, swr: 86_400 },
	// No content change touches an icon; one changed by a deploy shows within a day (at once after a purge of all).
	icon: { fresh: 86_400, swr: 7 * 86_400 },
	other: { fresh: 60, swr: 600 },
};

/**
 * 404s and 400s: brief, so that scans of made-up slugs, cursors and filters do not reach D1, yet
 * a new article (or topic) shows up quickly even where no purge reached.
 */
const REFUSED: Lifetime = { fresh: 30, swr: 30 };

/** How long a response may be stored, or null when it must not be (5xx, cookies, partial content). */
export function lifetimeFor(kind: RouteKind, response: Response): Lifetime | null {
	if (response.headers.has("set-cookie")) return null;
	if (response.status === 200 || response.status === 301) return LIFETIMES[kind];
	// The render is of the key alone, so a 400 is what every request for that key gets.
	if (response.status === 404 || response.status === 400) return REFUSED;
	return null;
}

/** How long the Cache API keeps a copy: long past freshness, so that it can stand in when D1 fails. */
export const RETAIN_SECONDS = 7 * 86_400;

export function publicCacheControl(lifetime: Lifetime): string {
	// Browsers revalidate every time (a cheap 304 by etag), so an edit is never stuck in a
	// reader's own cache; shared caches may keep it for `fresh` seconds.
	return `public, max-age=0, s-maxage=${lifetime.fresh}, stale-while-revalidate=${lifetime.swr}`;
}

export const PRIVATE_CACHE_CONTROL = "private, no-store";
