import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../../src/db/schema";
import { bearerToken, createEditor, sessionCookie, TEST_ORIGIN } from "../admin/helpers";
import { fetchApp, fetchWorker, freshTaxa, insertArticle, insertPage, isolatedSite, testDb } from "../helpers";
import { escapeHtml, expectNoLeak, expectStoredUnchanged, type Snapshot, snapshotTables } from "../hostile-helpers";

// Header, method, query and path tricks aimed at the edge cache, through the whole Worker. Each
// trick is sent first to a cold cache (a site of its own), so that whatever it could make the
// Worker store is what the next reader gets; that plain anonymous request must then get exactly
// what a fresh render for an anonymous reader is, byte for byte, with no cookie and with every
// absolute URL on SITE_URL. A second table sends each trick to a warm cache, which it must
// neither overwrite nor purge.

const EVIL = "evil.example";
const DRAFT_TITLE = "Unreleased draft about magnet tariffs";
const PREVIEW_TEXT = "Preview-only sentence that readers must never see";

type Target = {
	name: string;
	path: string;
	kind: "html" | "json" | "xml";
	/** The canonical address the page names (HTML pages only). */
	canonical?: string;
	/** Reads `?cursor=` (so a bad one is a 400 under a key of its own). */
	paginated?: boolean;
};

const TARGETS: Target[] = [
	{ name: "article page", path: "/articles/magnets", kind: "html", canonical: "/articles/magnets" },
	{ name: "home", path: "/", kind: "html", canonical: "/", paginated: true },
	{ name: "topic page", path: "/topics/energy", kind: "html", canonical: "/topics/energy", paginated: true },
	{ name: "article JSON", path: "/api/articles/magnets", kind: "json" },
	{ name: "feed", path: "/feed.xml", kind: "xml" },
];

let session: string;
let bearer: string;

let tablesBefore: Snapshot;

beforeAll(async () => {
	const taxa = await freshTaxa();
	const inEnergy = { topicId: taxa.topic.energy, regionId: taxa.region.china };
	await insertArticle({ slug: "magnets", title: "Magnets & motors", summary: "Prices <rise>.", ...inEnergy });
	await insertArticle({ slug: "recycled-magnets", title: "Recycled magnets", ...inEnergy });
	await insertArticle({ slug: "secret-draft", title: DRAFT_TITLE, status: "draft", publishedAt: null, ...inEnergy });
	await insertArticle({ slug: "scheduled", title: DRAFT_TITLE, publishedAt: Date.now() + 86_400_000, ...inEnergy });
	await insertPage("about", "About", "About us.");
	const editor = await createEditor({ role: "admin" });
	session = await sessionCookie(editor);
	bearer = await bearerToken(editor);
	tablesBefore = await snapshotTables();
});

// Reading changes nothing stored, whoever asks and however: checked once for all the tricks
// (a session's last activity and a token's last use are left out of snapshots; see hostile-helpers).
afterAll(async () => {
	await expectStoredUnchanged(tablesBefore, [], "the tricks");
});

/** Sends `init` to `path` of `site` through the Worker; a path may be a whole URL (another Host). */
function send(site: Env, path: string, init: RequestInit = {}): Promise<Response> {
	return fetchWorker(path, { redirect: "manual", ...init }, site);
}

/** What an anonymous reader should get: the app's own render of the canonical address, no cache involved. */
async function freshRender(site: Env & { SITE_URL: string }, path: string): Promise<Uint8Array> {
	const res = await fetchApp(`${site.SITE_URL}${path}`, undefined, site);
	expect(res.status).toBe(200);
	return new Uint8Array(await res.arrayBuffer());
}

/** Everything an anonymous reader's copy must be, whatever was sent before it: `expected`, byte for byte. */
async function expectReaderCopy(site: Env & { SITE_URL: string }, target: Target, res: Response, expected: Uint8Array) {
	const bytes = new Uint8Array(await res.arrayBuffer());
	expect(res.status).toBe(200);
	expect(res.headers.get("set-cookie")).toBeNull();
	expect(res.headers.get("cache-control")).toMatch(/^public, max-age=0, s-maxage=\d+/);
	expect(bytes).toEqual(expected);
	const body = new TextDecoder().decode(bytes);
	expect(body).not.toContain(EVIL);
	expect(body).not.toContain(DRAFT_TITLE);
	expect(body).not.toContain(PREVIEW_TEXT);
	if (target.canonical) {
		const url = `${site.SITE_URL}${target.canonical}`;
		expect(body).toContain(`<link rel="canonical" href="${url}"/>`);
		expect(body).toContain(`<meta property="og:url" content="${url}"/>`);
	}
	if (target.kind === "json")
		expect((JSON.parse(body) as { url: string }).url).toBe(`${site.SITE_URL}/articles/magnets`);
	if (target.kind === "xml") expect(body).toContain(`<link>${site.SITE_URL}/articles/magnets</link>`);
	return body;
}

type Trick = {
	name: string;
	/** The address the trick asks for, from the target's path (default: the path itself). */
	url?: (path: string) => string;
	init?: () => RequestInit;
	/**
	 * What the Worker must do with it: "bypass" (answered fresh, private, never stored), "shared"
	 * (the target's own cache key: stored, and the reader then gets that copy), or "own" (an
	 * address with a key of its own, which the reader's key never sees).
	 */
	cache: "bypass" | "shared" | "own";
	/** The trick's own status (default 200). */
	status?: number | ((target: Target) => number);
	/** Targets it does not apply to (an address it cannot be built from). */
	skip?: (target: Target) => boolean;
	/** For tricks whose cache behaviour depends on the target. */
	cacheFor?: (target: Target) => Trick["cache"];
	/**
	 * Sent to every target, because what it aims at differs by route (absolute URLs, parameters a
	 * route reads, its path, its status line); the others, which the cache handles before any route
	 * is involved, go to the article page only.
	 */
	everywhere?: true;
};

const headers = (h: Record<string, string>) => () => ({ headers: h });

const TRICKS: Trick[] = [
	{
		name: "a forged Host",
		everywhere: true,
		url: (p) => `http://${EVIL}${p}`,
		init: headers({ host: EVIL }),
		cache: "shared",
	},
	{ name: "X-Forwarded-Host", everywhere: true, init: headers({ "x-forwarded-host": EVIL }), cache: "shared" },
	{
		name: "X-Forwarded-Proto and -Host",
		everywhere: true,
		init: headers({ "x-forwarded-proto": "http", "x-forwarded-host": EVIL, "x-forwarded-port": "8080" }),
		cache: "shared",
	},
	{
		name: "Forwarded",
		everywhere: true,
		init: headers({ forwarded: `for=1.2.3.4;host=${EVIL};proto=http` }),
		cache: "shared",
	},
	{ name: "X-Original-URL", init: headers({ "x-original-url": "/admin/articles" }), cache: "shared" },
	{ name: "X-Rewrite-URL", init: headers({ "x-rewrite-url": "/api/admin/articles" }), cache: "shared" },
	{ name: "X-HTTP-Method-Override: PURGE", init: headers({ "x-http-method-override": "PURGE" }), cache: "shared" },
	{
		name: "X-Forwarded-For and CF-Connecting-IP",
		init: headers({ "x-forwarded-for": "10.0.0.1", "cf-connecting-ip": "10.0.0.2" }),
		cache: "shared",
	},
	{
		name: "a foreign Origin and Referer",
		init: headers({ origin: `https://${EVIL}`, referer: `https://${EVIL}/x` }),
		cache: "shared",
	},
	{ name: "ordinary cookies", init: headers({ cookie: "theme=dark; _ga=GA1.2.3.4" }), cache: "shared" },
	{
		name: "a cookie named like the session in capitals",
		init: headers({ cookie: "SAMARIUM_SESSION=x" }),
		cache: "shared",
	},
	{ name: "an 8 KB cookie", init: headers({ cookie: `big=${"x".repeat(8000)}` }), cache: "shared" },
	// Public pages read no identity: credentials, real or forged, get the copy everyone gets (and
	// cannot send a request past the cache to D1).
	{ name: "a forged session cookie", init: headers({ cookie: "samarium_session=forged" }), cache: "shared" },
	{
		name: "a signed-in editor's session",
		everywhere: true,
		init: () => ({ headers: { cookie: `theme=dark; ${session}` } }),
		cache: "shared",
	},
	{
		// sessionCookie gives the https name (the tests' requests are https); this is the plain http one.
		name: "a signed-in editor's session under the plain http name",
		init: () => ({ headers: { cookie: session.replace(/^__Host-/, "") } }),
		cache: "shared",
	},
	{ name: "an empty session cookie", init: headers({ cookie: "a=1;samarium_session=" }), cache: "shared" },
	{ name: "a bogus bearer token", init: headers({ authorization: "Bearer nope" }), cache: "shared" },
	{
		name: "a valid bearer token",
		everywhere: true,
		init: () => ({ headers: { authorization: bearer } }),
		cache: "shared",
	},
	{ name: "Basic credentials", init: headers({ authorization: "Basic YTpi" }), cache: "shared" },
	{ name: "Accept: application/json", init: headers({ accept: "application/json" }), cache: "shared" },
	{ name: "Accept: text/html, */*;q=0", init: headers({ accept: "text/html, */*;q=0" }), cache: "shared" },
	{ name: "Accept-Encoding: gzip, br", init: headers({ "accept-encoding": "gzip, br, zstd" }), cache: "shared" },
	{
		name: "Accept-Encoding refusing everything",
		init: headers({ "accept-encoding": "identity;q=0, *;q=0" }),
		cache: "shared",
	},
	{
		name: "an 8 KB Accept-Language",
		init: headers({ "accept-language": `fr-CA,${"x".repeat(8000)}` }),
		cache: "shared",
	},
	{ name: "Range", init: headers({ range: "bytes=0-10" }), cache: "shared" },
	{ name: "a junk If-None-Match", init: headers({ "if-none-match": 'junk, W/"x"' }), cache: "shared" },
	{ name: "If-None-Match: *", everywhere: true, init: headers({ "if-none-match": "*" }), cache: "shared", status: 304 },
	{ name: "a junk If-Modified-Since", init: headers({ "if-modified-since": "yesterday" }), cache: "shared" },
	{
		name: "a future If-Modified-Since",
		init: headers({ "if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT" }),
		cache: "shared",
	},
	{
		name: "Cache-Control: no-cache and Pragma",
		init: headers({ "cache-control": "no-cache", pragma: "no-cache" }),
		cache: "shared",
	},
	{ name: "a guessed benchmark bypass", init: headers({ "x-bench-no-cache": "guess" }), cache: "shared" },
	{
		name: "a crawler's User-Agent",
		init: headers({ "user-agent": `Googlebot/2.1 ${"x".repeat(2000)}` }),
		cache: "shared",
	},
	{ name: "HEAD", everywhere: true, init: () => ({ method: "HEAD" }), cache: "shared" },
	{ name: "OPTIONS", init: () => ({ method: "OPTIONS" }), cache: "bypass", status: 405 },
	{ name: "PURGE", init: () => ({ method: "PURGE" }), cache: "bypass", status: 405 },
	{ name: "POST", init: () => ({ method: "POST", body: "x=1" }), cache: "bypass", status: 405 },
	{ name: "DELETE", init: () => ({ method: "DELETE" }), cache: "bypass", status: 405 },
	{ name: "TRACE", init: () => ({ method: "TRACE" }), cache: "bypass", status: 405 },
	{
		name: "PATCH with X-HTTP-Method-Override: GET",
		init: () => ({ method: "PATCH", headers: { "x-http-method-override": "GET" } }),
		cache: "bypass",
		status: 405,
	},
	{
		name: "utm_* parameters",
		everywhere: true,
		url: (p) => `${p}?utm_source=x&utm_medium=y&utm_campaign=%3Cscript%3E`,
		cache: "shared",
	},
	{ name: "fbclid and gclid", url: (p) => `${p}?fbclid=1&gclid=2`, cache: "shared" },
	{
		name: "an unknown parameter with markup",
		everywhere: true,
		url: (p) => `${p}?x=%22%3E%3Cscript%3Ealert(1)%3C/script%3E`,
		cache: "shared",
	},
	{ name: "?slug= another article", url: (p) => `${p}?slug=secret-draft`, cache: "shared" },
	{ name: "repeated parameters", url: (p) => `${p}?a=1&a=2&utm_source=1&utm_source=2`, cache: "shared" },
	{ name: "%00 in the query", url: (p) => `${p}?%00=%00`, cache: "shared" },
	{ name: "an 8 KB query", url: (p) => `${p}?q=${"x".repeat(8000)}`, cache: "shared" },
	{ name: "an empty query", url: (p) => `${p}?`, cache: "shared" },
	{
		name: "a cursor that is not one",
		everywhere: true,
		url: (p) => `${p}?cursor=garbage`,
		// Lists read it (a 400 under a key of its own, stored briefly); other addresses ignore it.
		cache: "shared",
		cacheFor: (t) => (t.paginated ? "own" : "shared"),
		status: (t) => (t.paginated ? 400 : 200),
	},
	{ name: "a ;path parameter", everywhere: true, url: (p) => `${p};jsessionid=abc`, cache: "own", status: 404 },
	{
		name: "a trailing slash",
		everywhere: true,
		url: (p) => `${p}/`,
		cache: "own",
		status: 301,
	},
	{
		name: "an upper-case slug",
		everywhere: true,
		url: (p) => p.replace(/[^/]+$/, (last) => last.toUpperCase()),
		cache: "own",
		status: 404,
		skip: (t) => t.path === "/",
	},
	{
		name: "a double slash in front",
		everywhere: true,
		url: (p) => `/${p}`,
		cache: "own",
		status: (t) => (t.path === "/" ? 301 : 404),
	},
	{
		name: "a double slash inside",
		url: (p) => p.replace(/\/([^/]+)$/, "//$1"),
		cache: "own",
		status: 404,
		skip: (t) => t.path === "/",
	},
	{
		name: "a percent-encoded letter",
		everywhere: true,
		url: (p) =>
			p.replace(/\/(\w)([^/]*)$/, (_, first: string, rest: string) => `/%${first.charCodeAt(0).toString(16)}${rest}`),
		// The router decodes it: the same page, so the same key.
		cache: "shared",
		skip: (t) => t.path === "/",
	},
	{
		name: "%00 after the path",
		everywhere: true,
		url: (p) => `${p}%00`,
		// The router reads a NUL at the end of the path: another address (a 404), never the page
		// under a second name, and never a key that loses the NUL and renders the page itself.
		cache: "own",
		status: 404,
		skip: (t) => t.path === "/",
	},
	{
		name: "a tab inside the slug",
		everywhere: true,
		url: (p) => p.replace(/\/(\w)([^/]*)$/, "/$1%09$2"),
		// Likewise: the router reads the tab, which no route has.
		cache: "own",
		status: 404,
		skip: (t) => t.path === "/",
	},
	{ name: "%2F after the path", url: (p) => `${p}%2F`, cache: "own", status: 404, skip: (t) => t.path === "/" },
	{
		name: "an RTL override in the path",
		url: (p) => `${p}%E2%80%AE`,
		cache: "own",
		status: 404,
		skip: (t) => t.path === "/",
	},
];

function statusOf(trick: Trick, target: Target): number {
	return typeof trick.status === "function" ? trick.status(target) : (trick.status ?? 200);
}

/** What the trick's own answer must be: no 5xx, no cookie, nothing forged or unpublished, the cache state docs/cache.md gives it. */
async function expectTrickAnswer(res: Response, trick: Trick, target: Target, xCache: string) {
	const body = await res.text();
	expect(res.status, body.slice(0, 300)).toBe(statusOf(trick, target));
	expect(res.headers.get("set-cookie")).toBeNull();
	expect(body).not.toContain(EVIL);
	expect(body).not.toContain(DRAFT_TITLE);
	expect(body).not.toMatch(/<script>alert/);
	expectNoLeak(body, trick.name);
	expect(res.headers.get("x-cache")).toBe(xCache);
	if (xCache === "BYPASS") {
		expect(res.headers.get("cache-control")).toBe("private, no-store");
		expect(res.headers.get("cache-tag")).toBeNull();
	}
	const location = res.headers.get("location");
	if (location !== null) {
		expect(location).toMatch(/^\/(?![/\\])/);
		// As a browser follows it, from the address asked for: still this site.
		expect(new URL(location, `https://samarium.test${target.path}`).origin).toBe("https://samarium.test");
	}
}

const coldCases = TARGETS.flatMap((target) =>
	TRICKS.filter((trick) => !trick.skip?.(target) && (trick.everywhere || target === TARGETS[0])).map((trick) => ({
		name: `${target.name} ← ${trick.name}`,
		target,
		trick,
	})),
);

describe("tricks against a cold cache leave the next reader exactly the anonymous page", () => {
	it.each(coldCases)("$name", async ({ target, trick }) => {
		const site = isolatedSite();
		const cache = trick.cacheFor?.(target) ?? trick.cache;
		const url = trick.url ? trick.url(target.path) : target.path;
		// A cold cache: rendered now, whatever the key, unless it must bypass the cache.
		await expectTrickAnswer(
			await send(site, url, trick.init?.()),
			trick,
			target,
			cache === "bypass" ? "BYPASS" : "MISS",
		);

		const reader = await send(site, target.path);
		// The trick's copy is the reader's only when it shares the reader's key and may be stored.
		expect(reader.headers.get("x-cache")).toBe(cache === "shared" ? "HIT" : "MISS");
		await expectReaderCopy(site, target, reader, await freshRender(site, target.path));
	});
});

const warmTargets = TARGETS.filter((t) => t.name === "article page");

const warmCases = warmTargets.flatMap((target) =>
	TRICKS.filter((trick) => !trick.skip?.(target)).map((trick) => ({
		name: `${target.name} ← ${trick.name}`,
		target,
		trick,
	})),
);

describe("tricks against a warm cache neither overwrite nor purge the stored copy", () => {
	it.each(warmCases)("$name", async ({ target, trick }) => {
		const site = isolatedSite();
		const first = await send(site, target.path);
		expect(first.headers.get("x-cache")).toBe("MISS");
		const stored = new Uint8Array(await first.arrayBuffer());
		const etag = first.headers.get("etag");

		const res = await send(site, trick.url ? trick.url(target.path) : target.path, trick.init?.());
		const cache = trick.cacheFor?.(target) ?? trick.cache;
		await expectTrickAnswer(res, trick, target, cache === "bypass" ? "BYPASS" : cache === "shared" ? "HIT" : "MISS");

		const reader = await send(site, target.path);
		expect(reader.headers.get("x-cache")).toBe("HIT");
		expect(reader.headers.get("etag")).toBe(etag);
		await expectReaderCopy(site, target, reader, stored);
	});
});

describe("what an editor can see never reaches the public cache", () => {
	it.each([
		["/articles/secret-draft", "a draft"],
		["/articles/scheduled", "a scheduled article"],
		["/api/articles/secret-draft", "a draft as JSON"],
	])("%s (%s): 404 signed in or not, and the cached 404 names nothing", async (path) => {
		const site = isolatedSite();
		// Credentials change nothing on a public address: the anonymous 404, rendered once and stored.
		const signedIn = await send(site, path, { headers: { cookie: session } });
		expect(signedIn.status).toBe(404);
		expect(signedIn.headers.get("x-cache")).toBe("MISS");
		expect(await signedIn.text()).not.toContain(DRAFT_TITLE);
		const withToken = await send(site, path, { headers: { authorization: bearer } });
		expect(withToken.status).toBe(404);
		expect(withToken.headers.get("x-cache")).toBe("HIT");
		expect(await withToken.text()).not.toContain(DRAFT_TITLE);
		const anonymous = await send(site, path);
		expect(anonymous.status).toBe(404);
		expect(anonymous.headers.get("x-cache")).toBe("HIT");
		expect(await anonymous.text()).not.toContain(DRAFT_TITLE);
	});

	it("an editor's preview (of a draft, or of an edit not saved) is private and leaves the reader's copies alone", async () => {
		const site = isolatedSite();
		const readerPaths = [
			"/articles/magnets",
			"/articles/secret-draft",
			"/",
			"/topics/energy",
			"/feed.xml",
			"/api/articles?topic=energy",
		];
		const stored = new Map<string, string>();
		for (const path of readerPaths) stored.set(path, await (await send(site, path)).text());

		const rows = await testDb().select().from(schema.articles);
		const draftRow = rows.find((r) => r.slug === "secret-draft");
		const magnets = rows.find((r) => r.slug === "magnets");
		const before = await snapshotTables();

		const editPage = await send(site, `/admin/articles/${draftRow?.id}`, { headers: { cookie: session } });
		expect(editPage.status).toBe(200);
		expect(editPage.headers.get("x-cache")).toBe("BYPASS");
		expect(editPage.headers.get("cache-control")).toBe("private, no-store");
		expect(await editPage.text()).toContain(escapeHtml(DRAFT_TITLE));

		const preview = await send(site, `/admin/articles/${magnets?.id}`, {
			method: "POST",
			headers: { cookie: session, origin: TEST_ORIGIN },
			body: new URLSearchParams({
				title: "Magnets & motors",
				summary: "Prices <rise>.",
				bodyMarkdown: PREVIEW_TEXT,
				slug: "magnets",
				topic: "energy",
				region: "china",
				version: String(magnets?.version),
				intent: "preview",
			}),
		});
		expect(preview.status).toBe(200);
		expect(preview.headers.get("x-cache")).toBe("BYPASS");
		expect(await preview.text()).toContain(PREVIEW_TEXT);
		await expectStoredUnchanged(before, [], "preview");

		for (const path of readerPaths) {
			const res = await send(site, path);
			expect(res.headers.get("x-cache"), path).toBe("HIT");
			const body = await res.text();
			expect(body, path).toBe(stored.get(path));
			expect(body).not.toContain(DRAFT_TITLE);
			expect(body).not.toContain(PREVIEW_TEXT);
		}
		// And a cold cache renders none of it either.
		const cold = isolatedSite();
		for (const path of readerPaths) {
			const body = await (await send(cold, path)).text();
			expect(body).not.toContain(DRAFT_TITLE);
			expect(body).not.toContain(PREVIEW_TEXT);
		}
	});
});
