import { getPath } from "hono/utils/url";
import { isSlug } from "../lib/slugs";
import { tag } from "./tags";

// Which requests the edge cache answers, under which key, and for how long. Everything here is
// pure so that the rules can be read, and tested, in one place.

/** What a cacheable request asks for; decides lifetimes and which query parameters matter. */
export type RouteKind = "article" | "list" | "page" | "taxa" | "feed" | "robots" | "icon" | "other";

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

type Route = { kind: RouteKind; params: readonly string[]; tags: string[] };

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
	if (path === "/robots.txt") return { kind: "robots", params: [], tags: [] };
	if (ICON_PATHS.has(path)) return { kind: "icon", params: [], tags: [] };
	const [, first = "", second, third, ...rest] = path.split("/");
	if (second === undefined && PAGE_SLUGS.has(first)) return { kind: "page", params: [], tags: [tag.page(first)] };
	if (second !== undefined && third === undefined) {
		if (first === "articles") return { kind: "article", params: [], tags: ifSlug(second, tag.article) };
		if (first === "topics") return { kind: "list", params: ["cursor"], tags: ifSlug(second, tag.listTopic) };
		if (first === "regions") return { kind: "list", params: ["cursor"], tags: ifSlug(second, tag.listRegion) };
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
		if ((second === "topics" || second === "regions") && third === undefined) {
			return { kind: "taxa", params: [], tags: [tag.taxa] };
		}
	}
	return { kind: "other", params: [], tags: [] };
}

/**
 * The path as the router sees it: Hono decodes percent-escapes before matching, so `/%61bout`
 * is the About page and `/%61dmin` the admin. Keys and rules must use the same form, re-encoded
 * only as far as a URL requires.
 */
export function routedPath(url: URL): string {
	if (!url.pathname.includes("%")) return url.pathname;
	return new URL(getPath({ url: url.href } as Request), "http://path.invalid").pathname;
}

/** The cache target of a public GET/HEAD, or null when the address must never be cached. */
export function cacheTarget(url: URL, siteOrigin: string): CacheTarget | null {
	const path = routedPath(url);
	if (isPrivatePath(path) || path.startsWith(INTERNAL_PREFIX) || path === "/healthz") return null;
	// `/topics/energy/?cursor=x` redirects to `/topics/energy?cursor=x`: it keeps the parameters of
	// the page it redirects to, and is otherwise an address of no route of its own.
	const slashed = path !== "/" && path.endsWith("/");
	const matched = route(slashed ? path.replace(/\/+$/, "") || "/" : path, url.searchParams);
	const { kind, tags } = slashed ? { kind: "other" as const, tags: [] } : matched;
	// Only the parameters the route reads, first value each (as the handlers read them), in a
	// fixed order: `?utm_source=x&cursor=a` and `?cursor=a` share one key.
	const kept = new URLSearchParams();
	for (const name of matched.params) {
		const value = url.searchParams.get(name);
		if (value !== null) kept.set(name, value);
	}
	const search = kept.size > 0 ? `?${kept}` : "";
	return { kind, key: `${siteOrigin}${path}${search}`, tags: [tag.site, ...tags] };
}

/** The editors' side: never cached, never marked public. */
export function isPrivatePath(path: string): boolean {
	return path === "/admin" || path.startsWith("/admin/") || path === "/api/admin" || path.startsWith("/api/admin/");
}

/** The session cookie's names (issued by the admin over https with the __Host- prefix, plain over http). */
export const SESSION_COOKIES = ["__Host-samarium_session", "samarium_session"] as const;

/** Why a request to a cacheable address must be answered fresh and not stored, or null. */
export function bypassReason(request: Request): string | null {
	if (request.method !== "GET" && request.method !== "HEAD") return "method";
	if (request.headers.has("authorization")) return "authorization";
	const cookie = request.headers.get("cookie");
	if (cookie && hasSessionCookie(cookie)) return "session";
	return null;
}

function hasSessionCookie(header: string): boolean {
	return header.split(";").some((part) => {
		const name = part.split("=", 1)[0]?.trim();
		return SESSION_COOKIES.some((c) => c === name);
	});
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
	page: { fresh: 300, swr: 3600 },
	taxa: { fresh: 300, swr: 3600 },
	feed: { fresh: 300, swr: 3600 },
	robots: { fresh: 3600, swr: 86_400 },
	// No content change touches an icon; one changed by a deploy shows within a day (at once after a purge of all).
	icon: { fresh: 86_400, swr: 7 * 86_400 },
	other: { fresh: 60, swr: 600 },
};

/** Brief, so that scans of made-up slugs do not reach D1 yet a new article shows up quickly. */
const NOT_FOUND: Lifetime = { fresh: 30, swr: 30 };

/** How long a response may be stored, or null when it must not be (errors, cookies, partial content). */
export function lifetimeFor(kind: RouteKind, response: Response): Lifetime | null {
	if (response.headers.has("set-cookie")) return null;
	if (response.status === 200 || response.status === 301) return LIFETIMES[kind];
	if (response.status === 404) return NOT_FOUND;
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
