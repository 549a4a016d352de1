import { desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_BODY_LIMIT } from "../../src/admin/guard/body-limit";
import { normalizeEmail } from "../../src/db/queries/editors";
import * as schema from "../../src/db/schema";
import { fetchWorker, insertPage, insertTaxa, isolatedSite, resetDb, testDb } from "../helpers";
import {
	escapeHtml,
	expectErrorJson,
	expectNoLeak,
	expectStoredUnchanged,
	type Snapshot,
	type StoredTable,
	snapshotTables,
} from "../hostile-helpers";
import { bearerToken, createEditor, expectPrivate, sessionCookie, TEST_ORIGIN } from "./helpers";

// Hostile input against every admin screen, form and /api/admin endpoint, through the whole
// Worker. Every case checks the answer (its exact status, JSON `{ error }` under /api and an admin
// HTML page elsewhere, private, no stack or SQL text, no markup of the sender's making) and that
// nothing stored changed, but for the tables an accepted case names. Hostile text that is valid
// input (a title with a script in it) is stored as sent and shown escaped, to readers and editors.

type Who = "admin" | "editor" | "bearer" | "editorBearer" | "none";

type Fixture = {
	/** Its own SITE_URL, so that the purges these cases cause touch no other file's cached copies. */
	site: Env & { SITE_URL: string };
	creds: Record<Exclude<Who, "none">, Record<string, string>>;
	/** Published, at version 2, with revisions 1 and 2: no case may change it. */
	article: number;
	/** In the trash. */
	trashed: number;
	/** A draft at version 1 that the accepted "version as a string" case edits. */
	spare: number;
	/** An editor whose name accepted cases change. */
	other: number;
};

let f: Fixture;

type Body = { form: Record<string, string> } | { json: unknown } | { raw: BodyInit; type: string | null };

type Req = {
	method?: string;
	path: string;
	as: Who;
	body?: Body;
	/** Extra headers; null removes one the request would otherwise carry (e.g. Origin). */
	headers?: Record<string, string | null>;
};

/**
 * The request a browser (session cookie, with the same-origin Origin it sends on every POST) or
 * an API client would send.
 */
function send(req: Req): Promise<Response> {
	const headers = new Headers(req.as === "none" ? {} : f.creds[req.as]);
	let body: BodyInit | undefined;
	if (req.body && "form" in req.body) body = new URLSearchParams(req.body.form);
	else if (req.body && "json" in req.body) {
		headers.set("content-type", "application/json");
		body = JSON.stringify(req.body.json);
	} else if (req.body) {
		body = req.body.raw;
		if (req.body.type !== null) headers.set("content-type", req.body.type);
	}
	const method = req.method ?? (body === undefined ? "GET" : "POST");
	if ((req.as === "admin" || req.as === "editor") && method !== "GET" && method !== "HEAD") {
		headers.set("origin", TEST_ORIGIN);
	}
	for (const [name, value] of Object.entries(req.headers ?? {})) {
		if (value === null) headers.delete(name);
		else headers.set(name, value);
	}
	return fetchWorker(req.path, { method, headers, body, redirect: "manual" }, f.site);
}

type Outcome = {
	status: number;
	/** The only tables this request may change (accepted input, or a failed sign-in that is counted and logged). */
	mayChange?: readonly StoredTable[];
	/** For a JSON 400: exactly the fields named as wrong. */
	fields?: readonly string[];
	check?: (res: Response, text: string) => unknown;
};

type Case = { name: string; req: () => Req; expect: Outcome };

const isApi = (path: string) => path.startsWith("/api/");

/** No tag of the sender's making (or any script) may reach an admin page. */
const MARKUP = /<script|<img|<iframe|<svg/i;

function expectAnswer(req: Req, res: Response, text: string, outcome: Outcome, label: string) {
	expect(res.status, `${label}: ${text.slice(0, 400)}`).toBe(outcome.status);
	expect(res.status).toBeLessThan(500);
	expectPrivate(res);
	expect(res.headers.get("x-cache")).toBe("BYPASS");
	expectNoLeak(text, label);
	if (res.status >= 300 && res.status < 400) {
		// Only ever a path on this site: never another host, never protocol-relative.
		expect(res.headers.get("location") ?? "").toMatch(/^\/(?![/\\])/);
		return;
	}
	if (req.method === "HEAD") {
		expect(text).toBe("");
		return;
	}
	if (isApi(req.path)) {
		expect(res.headers.get("content-type")).toMatch(/^application\/json/);
		if (res.status >= 400) {
			const error = expectErrorJson(text, label);
			if (outcome.fields) expect(Object.keys(error.fields ?? {}).sort(), label).toEqual([...outcome.fields].sort());
		}
		return;
	}
	expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
	expect(text.startsWith("<!DOCTYPE html>"), label).toBe(true);
	expect(MARKUP.exec(text)?.[0] ?? null, `${label}: markup in the page`).toBeNull();
}

/**
 * What was stored after the previous case, when nothing can have changed it since: cases run one
 * after another, and only they write (a check may not, so one that ran drops it).
 */
let lastSnapshot: Snapshot | null = null;

async function run(c: Case) {
	const req = c.req();
	const before = lastSnapshot ?? (await snapshotTables());
	lastSnapshot = null;
	const res = await send(req);
	const text = await res.text();
	expectAnswer(req, res, text, c.expect, c.name);
	const after = await expectStoredUnchanged(before, c.expect.mayChange ?? [], c.name);
	if (c.expect.check) await c.expect.check(res, text);
	else lastSnapshot = after;
}

// ---- fixture ------------------------------------------------------------------------------------

async function createThroughApi(json: Record<string, unknown>): Promise<number> {
	const res = await send({ path: "/api/admin/articles", as: "bearer", body: { json } });
	expect(res.status).toBe(201);
	return ((await res.json()) as { id: number }).id;
}

beforeAll(async () => {
	await resetDb();
	await insertTaxa();
	await insertPage("about", "About Samarium", "About us.");
	await insertPage("services", "Services", "What we do.");
	const admin = await createEditor({ role: "admin", name: "Ada Admin" });
	const editor = await createEditor({ role: "editor", name: "Ed Editor" });
	const other = await createEditor({ role: "editor", name: "Olive Other" });
	f = {
		site: isolatedSite(),
		creds: {
			admin: { cookie: await sessionCookie(admin) },
			editor: { cookie: await sessionCookie(editor) },
			bearer: { authorization: await bearerToken(admin, "hostile admin token") },
			editorBearer: { authorization: await bearerToken(editor, "hostile editor token") },
		},
		article: 0,
		trashed: 0,
		spare: 0,
		other: other.id,
	};
	const base = { summary: "Known summary.", bodyMarkdown: "Known body.", topic: "energy", region: "china" };
	f.article = await createThroughApi({ ...base, title: "Known article", slug: "known", status: "published" });
	const edit = await send({
		method: "PATCH",
		path: `/api/admin/articles/${f.article}`,
		as: "bearer",
		body: { json: { version: 1, summary: "Known summary, edited." } },
	});
	expect(edit.status).toBe(200);
	f.trashed = await createThroughApi({ ...base, title: "Binned article", slug: "binned", status: "draft" });
	expect((await send({ method: "DELETE", path: `/api/admin/articles/${f.trashed}`, as: "bearer" })).status).toBe(200);
	f.spare = await createThroughApi({ ...base, title: "Spare article", slug: "spare", status: "draft" });
});

async function articleBySlug(slug: string) {
	const [row] = await testDb().select().from(schema.articles).where(eq(schema.articles.slug, slug));
	return row;
}

/** An admin page as an admin sees it: 200, private, and free of any markup a case sent. */
async function adminPageText(path: string): Promise<string> {
	const res = await send({ path, as: "admin" });
	const text = await res.text();
	expect(res.status, path).toBe(200);
	expectPrivate(res);
	expect(MARKUP.exec(text)?.[0] ?? null, `${path}: markup in the page`).toBeNull();
	return text;
}

/**
 * A reader's page: 200, the value shown escaped, and no script but the page's own JSON-LD, which
 * must parse (a value that closed the element early would break it) and name an article's title.
 */
async function publicPageShows(path: string, value: string): Promise<string> {
	const res = await fetchWorker(path, undefined, f.site);
	const html = await res.text();
	expect(res.status, path).toBe(200);
	expectNoLeak(html, path);
	const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
	const rest = ld ? html.replace(ld[0], "") : html;
	const data = ld ? (JSON.parse(ld[1] ?? "") as { "@type": string; headline?: string }) : null;
	if (data?.["@type"] === "NewsArticle") expect(data.headline).toBe(value);
	expect(MARKUP.exec(rest)?.[0] ?? null, `${path}: markup in the page`).toBeNull();
	expect(rest).toContain(escapeHtml(value));
	// Where escaping changes the text, the text itself must not be there as markup.
	if (escapeHtml(value) !== value) expect(rest).not.toContain(value);
	return html;
}

// ---- odd ids and slugs in paths -----------------------------------------------------------------

/**
 * `count` items of `list` from `start` on, wrapping round. Where a table crosses many routes with
 * many inputs, each route gets a share of the inputs, rotating, so that every input still meets
 * routes of every kind (reads, forms, JSON) while the suite stays quick.
 */
function pick<T>(list: readonly T[], start: number, count: number): T[] {
	return Array.from({ length: Math.min(count, list.length) }, (_, k) => list[(start + k) % list.length] as T);
}

const ODD_IDS = ["-1", "0", "1e3", "0x10", "99999999999999999999", "%00", "%2F", "..%2F1", "%E2%80%AE1", "%E2%80%8F1"];

type PathRoute = { label: string; method: string; path: (odd: string) => string; as: Who; body?: Body };

const FINE_FORM = { title: "Fine title", summary: "Fine.", bodyMarkdown: "Fine.", version: "2", intent: "save" };

const ID_ROUTES: PathRoute[] = [
	{ label: "/admin/articles/*", method: "GET", path: (id) => `/admin/articles/${id}`, as: "admin" },
	{ label: "/admin/articles/*/revisions", method: "GET", path: (id) => `/admin/articles/${id}/revisions`, as: "admin" },
	{
		label: "/admin/articles/:article/revisions/*",
		method: "GET",
		path: (rev) => `/admin/articles/${f.article}/revisions/${rev}`,
		as: "admin",
	},
	{ label: "/admin/editors/*", method: "GET", path: (id) => `/admin/editors/${id}`, as: "admin" },
	{
		label: "/admin/articles/*",
		method: "POST",
		path: (id) => `/admin/articles/${id}`,
		as: "admin",
		body: { form: FINE_FORM },
	},
	{
		label: "/admin/articles/*/trash",
		method: "POST",
		path: (id) => `/admin/articles/${id}/trash`,
		as: "admin",
		body: { form: { version: "2" } },
	},
	{
		label: "/admin/articles/*/restore",
		method: "POST",
		path: (id) => `/admin/articles/${id}/restore`,
		as: "admin",
		body: { form: { version: "2" } },
	},
	{
		label: "/admin/articles/*/delete",
		method: "POST",
		path: (id) => `/admin/articles/${id}/delete`,
		as: "admin",
		body: { form: {} },
	},
	{
		label: "/admin/articles/:article/revisions/*/restore",
		method: "POST",
		path: (rev) => `/admin/articles/${f.article}/revisions/${rev}/restore`,
		as: "admin",
		body: { form: { version: "2" } },
	},
	{
		label: "/admin/editors/*",
		method: "POST",
		path: (id) => `/admin/editors/${id}`,
		as: "admin",
		body: { form: { name: "X", role: "editor" } },
	},
	{
		label: "/admin/editors/*/delete",
		method: "POST",
		path: (id) => `/admin/editors/${id}/delete`,
		as: "admin",
		body: { form: {} },
	},
	{
		label: "/admin/tokens/*/revoke",
		method: "POST",
		path: (id) => `/admin/tokens/${id}/revoke`,
		as: "admin",
		body: { form: {} },
	},
	{ label: "/api/admin/articles/*", method: "GET", path: (id) => `/api/admin/articles/${id}`, as: "bearer" },
	{
		label: "/api/admin/articles/*/revisions",
		method: "GET",
		path: (id) => `/api/admin/articles/${id}/revisions`,
		as: "admin",
	},
	{
		label: "/api/admin/articles/:article/revisions/*",
		method: "GET",
		path: (rev) => `/api/admin/articles/${f.article}/revisions/${rev}`,
		as: "bearer",
	},
	{
		label: "/api/admin/articles/*",
		method: "PATCH",
		path: (id) => `/api/admin/articles/${id}`,
		as: "bearer",
		body: { json: { version: 2, title: "X" } },
	},
	{ label: "/api/admin/articles/*", method: "DELETE", path: (id) => `/api/admin/articles/${id}`, as: "admin" },
	{
		label: "/api/admin/articles/*/restore",
		method: "POST",
		path: (id) => `/api/admin/articles/${id}/restore`,
		as: "bearer",
	},
	{
		label: "/api/admin/articles/:article/revisions/*/restore",
		method: "POST",
		path: (rev) => `/api/admin/articles/${f.article}/revisions/${rev}/restore`,
		as: "admin",
	},
	{
		label: "/api/admin/editors/*",
		method: "PATCH",
		path: (id) => `/api/admin/editors/${id}`,
		as: "bearer",
		body: { json: { name: "X" } },
	},
	{ label: "/api/admin/editors/*", method: "DELETE", path: (id) => `/api/admin/editors/${id}`, as: "admin" },
	{ label: "/api/admin/tokens/*", method: "DELETE", path: (id) => `/api/admin/tokens/${id}`, as: "bearer" },
];

const ODD_SLUGS = [
	"%00",
	"ENERGY",
	"%E2%80%AEenergy",
	"%E2%80%8Fenergy",
	"a%2Fb",
	"..%2Fabout",
	"caf%C3%A9",
	"'%20OR%201=1--",
	"%3Cscript%3Ealert(1)%3C%2Fscript%3E",
	"x".repeat(2000),
];

const SLUG_ROUTES: PathRoute[] = [
	{ label: "/admin/topics/*", method: "GET", path: (s) => `/admin/topics/${s}`, as: "admin" },
	{
		label: "/admin/regions/*",
		method: "POST",
		path: (s) => `/admin/regions/${s}`,
		as: "admin",
		body: { form: { slug: "renamed", name: "R" } },
	},
	{
		label: "/admin/topics/*/delete",
		method: "POST",
		path: (s) => `/admin/topics/${s}/delete`,
		as: "admin",
		body: { form: {} },
	},
	{ label: "/admin/pages/*", method: "GET", path: (s) => `/admin/pages/${s}`, as: "editor" },
	{
		label: "/admin/pages/*",
		method: "POST",
		path: (s) => `/admin/pages/${s}`,
		as: "admin",
		body: { form: { title: "T", bodyMarkdown: "B" } },
	},
	{ label: "/api/admin/regions/*", method: "GET", path: (s) => `/api/admin/regions/${s}`, as: "bearer" },
	{
		label: "/api/admin/topics/*",
		method: "PATCH",
		path: (s) => `/api/admin/topics/${s}`,
		as: "admin",
		body: { json: { name: "Renamed" } },
	},
	{ label: "/api/admin/regions/*", method: "DELETE", path: (s) => `/api/admin/regions/${s}`, as: "bearer" },
	{ label: "/api/admin/pages/*", method: "GET", path: (s) => `/api/admin/pages/${s}`, as: "editorBearer" },
	{
		label: "/api/admin/pages/*",
		method: "PUT",
		path: (s) => `/api/admin/pages/${s}`,
		as: "bearer",
		body: { json: { title: "T", bodyMarkdown: "B" } },
	},
];

function pathCases(routes: PathRoute[], odd: string[], perRoute: number): Case[] {
	return routes.flatMap((route, r) =>
		pick(odd, r * perRoute, perRoute).map((segment) => ({
			name: `${route.method} ${route.label.replace("*", segment.length > 40 ? `${segment.slice(0, 12)}…` : segment)}`,
			req: () => ({ method: route.method, path: route.path(segment), as: route.as, body: route.body }),
			// Nothing has such an id or slug: a 404 in the route's format, whatever else was sent.
			expect: { status: 404 },
		})),
	);
}

describe("odd ids in paths are a 404 and change nothing", () => {
	it.each(pathCases(ID_ROUTES, ODD_IDS, 3))("$name", run);
});

describe("odd slugs in paths are a 404 and change nothing", () => {
	it.each(pathCases(SLUG_ROUTES, ODD_SLUGS, 3))("$name", run);
});

// A dot segment, plain or encoded, is resolved by URL parsing before any route sees it: the
// address is then its parent's, which a read is redirected from (trailing slash) and a write finds
// nothing at.
describe("dot segments in paths never reach a handler", () => {
	it.each<Case>([
		{
			name: "GET /admin/topics/.. is the admin's home, by redirect",
			req: () => ({ path: "/admin/topics/..", as: "admin" }),
			expect: { status: 301, check: (res) => expect(res.headers.get("location")).toBe("/admin") },
		},
		{
			name: "GET /api/admin/articles/%2e%2e is the API's root, by redirect",
			req: () => ({ path: "/api/admin/articles/%2e%2e", as: "bearer" }),
			expect: { status: 301, check: (res) => expect(res.headers.get("location")).toBe("/api/admin") },
		},
		{
			name: "POST /admin/regions/.. finds nothing",
			req: () => ({ path: "/admin/regions/..", as: "admin", body: { form: { slug: "renamed", name: "R" } } }),
			expect: { status: 404 },
		},
		{
			name: "DELETE /api/admin/topics/%2E%2E finds nothing",
			req: () => ({ method: "DELETE", path: "/api/admin/topics/%2E%2E", as: "bearer" }),
			expect: { status: 404 },
		},
		{
			name: "PUT /api/admin/pages/../pages/about is the About page itself",
			req: () => ({
				method: "PUT",
				path: "/api/admin/pages/../pages/about",
				as: "bearer",
				body: { json: { title: 5, bodyMarkdown: "B" } },
			}),
			expect: { status: 400, fields: ["title"] },
		},
	])("$name", run);
});

// ---- hostile text: stored as sent where it is valid, refused where it is not -------------------

// Script (in content, breaking out of an attribute, out of a textarea), SQL and LIKE
// metacharacters, and bidirectional controls: each is valid text for a title or a name.
const HOSTILE_TEXTS = [
	"<script>alert(1)</script>",
	'"><img src=x onerror=alert(1)>',
	"' OR 1=1--",
	'"; DROP TABLE articles;--',
	"100% _pure_ \\ gold",
	"\u202Etxt.exe \u200F",
	"</textarea><svg onload=alert(1)>",
];

const ARTICLE_WRITE = ["articles", "article_revisions", "audit_log"] as const;

/**
 * What each hostile text must do where it is valid input. The first cases (the article's own
 * fields, the search that must find them literally, and sign-in) are run for every text; the
 * rest are shared out (see EVERY_FIELD).
 */
function acceptedTextCases(text: string, i: number): { core: Case[]; more: Case[] } {
	const value = text.trim();
	const q = encodeURIComponent(text);
	const cases: Case[] = [
		{
			name: "article created as JSON: stored verbatim, escaped on the reader's page, the feed and the admin",
			req: () => ({
				path: "/api/admin/articles",
				as: "bearer",
				body: {
					json: {
						title: text,
						summary: text,
						bodyMarkdown: text,
						slug: `hostile-json-${i}`,
						topic: "energy",
						region: "china",
						status: "published",
					},
				},
			}),
			expect: {
				status: 201,
				mayChange: ARTICLE_WRITE,
				check: async (_res, body) => {
					const saved = JSON.parse(body) as { id: number; title: string; bodyHtml: string };
					expect(saved.title).toBe(value);
					const row = await articleBySlug(`hostile-json-${i}`);
					expect(row).toMatchObject({ title: value, summary: value, bodyMarkdown: text });
					expect(row?.bodyHtml).not.toMatch(MARKUP);
					await publicPageShows(`/articles/hostile-json-${i}`, value);
					const json = (await (await fetchWorker(`/api/articles/hostile-json-${i}`, undefined, f.site)).json()) as {
						title: string;
					};
					expect(json.title).toBe(value);
					const feed = await (await fetchWorker("/feed.xml", undefined, f.site)).text();
					expect(feed).not.toMatch(MARKUP);
					expect(await adminPageText(`/admin/articles/${saved.id}`)).toContain(escapeHtml(value));
				},
			},
		},
		{
			name: "article created through the form: stored verbatim, escaped on its edit page",
			req: () => ({
				path: "/admin/articles",
				as: "admin",
				body: {
					form: {
						title: text,
						summary: text,
						bodyMarkdown: text,
						slug: `hostile-form-${i}`,
						topic: "energy",
						region: "",
						publishedAt: "",
						intent: "publish",
					},
				},
			}),
			expect: {
				status: 303,
				mayChange: ARTICLE_WRITE,
				check: async (res) => {
					const row = await articleBySlug(`hostile-form-${i}`);
					expect(row).toMatchObject({ title: value, summary: value, status: "published" });
					const page = await adminPageText(res.headers.get("location") ?? "");
					expect(page).toContain(escapeHtml(value));
					await publicPageShows(`/articles/hostile-form-${i}`, value);
				},
			},
		},
		{
			name: "topic created as JSON: name stored verbatim, escaped on its reader page",
			req: () => ({
				path: "/api/admin/topics",
				as: "bearer",
				body: { json: { slug: `hostile-topic-${i}`, name: text } },
			}),
			expect: {
				status: 201,
				mayChange: ["topics", "audit_log"],
				check: async () => {
					const list = (await (await fetchWorker("/api/topics", undefined, f.site)).json()) as {
						slug: string;
						name: string;
					}[];
					expect(list.find((t) => t.slug === `hostile-topic-${i}`)?.name).toBe(value);
					await publicPageShows(`/topics/hostile-topic-${i}`, value);
					expect(await adminPageText("/admin/topics")).toContain(escapeHtml(value));
				},
			},
		},
		{
			name: "region created through the form: name stored verbatim, escaped in the admin",
			req: () => ({ path: "/admin/regions", as: "admin", body: { form: { slug: `hostile-region-${i}`, name: text } } }),
			expect: {
				status: 303,
				mayChange: ["regions", "audit_log"],
				check: async () => {
					const [row] = await testDb()
						.select()
						.from(schema.regions)
						.where(eq(schema.regions.slug, `hostile-region-${i}`));
					expect(row?.name).toBe(value);
					expect(await adminPageText(`/admin/regions/hostile-region-${i}`)).toContain(escapeHtml(value));
					await publicPageShows(`/regions/hostile-region-${i}`, value);
				},
			},
		},
		{
			name: "About page saved as JSON: escaped on the reader's page",
			req: () => ({
				method: "PUT",
				path: "/api/admin/pages/about",
				as: "bearer",
				body: { json: { title: text, bodyMarkdown: text } },
			}),
			expect: {
				status: 200,
				mayChange: ["pages", "audit_log"],
				check: async () => {
					await publicPageShows("/about", value);
					const json = (await (await fetchWorker("/api/pages/about", undefined, f.site)).json()) as { title: string };
					expect(json.title).toBe(value);
				},
			},
		},
		{
			name: "Services page saved through the form: escaped on the reader's page and in the editor",
			req: () => ({
				path: "/admin/pages/services",
				as: "editor",
				body: { form: { title: text, bodyMarkdown: text, updatedAt: "" } },
			}),
			expect: {
				status: 303,
				mayChange: ["pages", "audit_log"],
				check: async () => {
					await publicPageShows("/services", value);
					expect(await adminPageText("/admin/pages/services")).toContain(escapeHtml(value));
				},
			},
		},
		{
			name: "API token named with it: escaped in the token list",
			req: () => ({ path: "/api/admin/tokens", as: "bearer", body: { json: { name: text, editorId: f.other } } }),
			expect: {
				status: 201,
				mayChange: ["api_tokens", "audit_log"],
				check: async (_res, body) => {
					expect((JSON.parse(body) as { name: string }).name).toBe(value);
					expect(await adminPageText("/admin/tokens")).toContain(escapeHtml(value));
				},
			},
		},
		{
			name: "editor renamed as JSON: escaped in the editor list",
			req: () => ({
				method: "PATCH",
				path: `/api/admin/editors/${f.other}`,
				as: "bearer",
				body: { json: { name: text } },
			}),
			expect: {
				status: 200,
				mayChange: ["editors", "audit_log"],
				check: async () => {
					expect(await adminPageText("/admin/editors")).toContain(escapeHtml(value));
				},
			},
		},
		{
			name: "editor renamed through the form: escaped on the editor's page",
			req: () => ({
				path: `/admin/editors/${f.other}`,
				as: "admin",
				body: { form: { name: `${text} 2`, role: "editor" } },
			}),
			expect: {
				status: 303,
				mayChange: ["editors", "audit_log"],
				check: async () => {
					expect(await adminPageText(`/admin/editors/${f.other}`)).toContain(escapeHtml(`${value} 2`));
				},
			},
		},
		{
			name: "article search in the admin: the query is shown back escaped",
			req: () => ({ path: `/admin?q=${q}`, as: "editor" }),
			expect: { status: 200, check: (_res, html) => expect(html).toContain(`value="${escapeHtml(value)}"`) },
		},
		{
			name: "article search as JSON finds the titles that contain it literally, and only those",
			req: () => ({ path: `/api/admin/articles?q=${q}&limit=100`, as: "editor" }),
			expect: {
				status: 200,
				check: async (_res, body) => {
					const found = (JSON.parse(body) as { articles: { slug: string }[] }).articles.map((a) => a.slug).sort();
					const rows = await testDb().select().from(schema.articles);
					const expected = rows
						.filter((r) => r.deletedAt === null && r.title.toLowerCase().includes(value.toLowerCase()))
						.map((r) => r.slug)
						.sort();
					expect(found).toEqual(expected);
					expect(found).toEqual(expect.arrayContaining([`hostile-json-${i}`, `hostile-form-${i}`]));
				},
			},
		},
		{
			// A failed sign-in is counted (throttle) and logged (audit) by design; nothing else changes.
			name: "sign-in with it as the email: refused, the email shown back escaped",
			req: () => ({
				path: "/admin/login",
				as: "none",
				body: { form: { email: text, password: "not the password" } },
				headers: { origin: TEST_ORIGIN, "cf-connecting-ip": `198.51.100.${i + 1}` },
			}),
			expect: {
				status: 401,
				mayChange: ["audit_log", "login_throttle"],
				check: async (_res, html) => {
					expect(html).toContain(`value="${escapeHtml(text)}"`);
					const [last] = await testDb().select().from(schema.auditLog).orderBy(desc(schema.auditLog.id)).limit(1);
					expect(last).toMatchObject({ action: "login.fail", subject: `email:${normalizeEmail(text)}` });
				},
			},
		},
		{
			name: "audit log filtered by it as the subject: shown back escaped",
			req: () => ({ path: `/admin/audit?subject=${q}`, as: "admin" }),
			expect: { status: 200, check: (_res, html) => expect(html).toContain(`value="${escapeHtml(value)}"`) },
		},
		{
			name: "audit log as JSON filtered by it as the subject: exact matches only",
			req: () => ({ path: `/api/admin/audit?subject=${q}`, as: "bearer" }),
			expect: {
				status: 200,
				check: (_res, body) => {
					for (const entry of (JSON.parse(body) as { entries: { subject: string }[] }).entries) {
						expect(entry.subject).toBe(value);
					}
				},
			},
		},
		{
			name: "preview of a new article: escaped, nothing stored",
			req: () => ({
				path: "/admin/articles",
				as: "editor",
				body: { form: { title: text, summary: text, bodyMarkdown: text, slug: "", intent: "preview" } },
			}),
			expect: { status: 200, check: (_res, html) => expect(html).toContain(escapeHtml(value)) },
		},
	];
	const core = [
		"article created as JSON",
		"article created through the form",
		"article search as JSON",
		"sign-in with",
	];
	const isCore = (c: Case) => core.some((name) => c.name.startsWith(name));
	return { core: cases.filter(isCore), more: cases.filter((c) => !isCore(c)) };
}

const FINE_ARTICLE = { title: "Fine title", summary: "Fine.", bodyMarkdown: "Fine.", status: "draft" };
const FINE_ARTICLE_FORM = { title: "Fine title", summary: "Fine.", bodyMarkdown: "Fine.", topic: "", region: "" };

function refusedTextCases(text: string): Case[] {
	const q = encodeURIComponent(text);
	return [
		{
			name: "as an article's slug (JSON)",
			req: () => ({ path: "/api/admin/articles", as: "bearer", body: { json: { ...FINE_ARTICLE, slug: text } } }),
			expect: { status: 400, fields: ["slug"] },
		},
		{
			name: "as an article's slug (form)",
			req: () => ({
				path: "/admin/articles",
				as: "admin",
				body: { form: { ...FINE_ARTICLE_FORM, slug: text, intent: "draft" } },
			}),
			expect: { status: 400 },
		},
		{
			name: "as an article's topic",
			req: () => ({ path: "/api/admin/articles", as: "admin", body: { json: { ...FINE_ARTICLE, topic: text } } }),
			expect: { status: 400, fields: ["topic"] },
		},
		{
			name: "as an article's region (form)",
			req: () => ({
				path: `/admin/articles/${f.article}`,
				as: "admin",
				body: { form: { ...FINE_ARTICLE_FORM, region: text, version: "2", intent: "save" } },
			}),
			expect: { status: 400 },
		},
		{
			name: "as an article's status",
			req: () => ({ path: "/api/admin/articles", as: "bearer", body: { json: { ...FINE_ARTICLE, status: text } } }),
			expect: { status: 400, fields: ["status"] },
		},
		{
			name: "as a topic's slug (JSON)",
			req: () => ({ path: "/api/admin/topics", as: "bearer", body: { json: { slug: text, name: "Fine" } } }),
			expect: { status: 400, fields: ["slug"] },
		},
		{
			name: "as a region's new slug (form)",
			req: () => ({ path: "/admin/regions/china", as: "admin", body: { form: { slug: text, name: "China" } } }),
			expect: { status: 400 },
		},
		{
			name: "as an editor's role",
			req: () => ({
				method: "PATCH",
				path: `/api/admin/editors/${f.other}`,
				as: "admin",
				body: { json: { role: text } },
			}),
			expect: { status: 400, fields: ["role"] },
		},
		{
			name: "as a token's editor id",
			req: () => ({ path: "/api/admin/tokens", as: "bearer", body: { json: { name: "Fine", editorId: text } } }),
			expect: { status: 400, fields: ["editorId"] },
		},
		{
			name: "as a slug to purge",
			req: () => ({ path: "/api/admin/purge", as: "bearer", body: { json: { slugs: ["known", text] } } }),
			expect: { status: 400, fields: ["slugs"] },
		},
		{
			name: "as slugs to purge (form)",
			req: () => ({ path: "/admin/purge", as: "editor", body: { form: { slugs: text, intent: "slugs" } } }),
			expect: { status: 400 },
		},
		{
			name: "as the article list's status filter",
			req: () => ({ path: `/api/admin/articles?status=${q}`, as: "bearer" }),
			expect: { status: 400, fields: ["status"] },
		},
		{
			name: "as the admin list's topic filter",
			req: () => ({ path: `/admin?topic=${q}`, as: "editor" }),
			expect: { status: 400 },
		},
		{
			name: "as the audit log's action filter",
			req: () => ({ path: `/admin/audit?action=${q}`, as: "admin" }),
			expect: { status: 400 },
		},
		{
			name: "as a list cursor",
			req: () => ({ path: `/api/admin/articles?cursor=${q}`, as: "bearer" }),
			expect: { status: 400, fields: ["cursor"] },
		},
	];
}

/**
 * The texts every field gets (a script, and SQL); the others share the remaining fields out among
 * them, three each, so that every field meets several kinds of hostile text.
 */
const EVERY_FIELD = [0, 2];
const SHARED = [1, 3, 4, 5, 6];

describe.each(HOSTILE_TEXTS.map((text, i) => ({ text, i })))("hostile text $text", ({ text, i }) => {
	describe("accepted where it is valid", () => {
		const { core, more } = acceptedTextCases(text, i);
		it.each([...core, ...(EVERY_FIELD.includes(i) ? more : pick(more, SHARED.indexOf(i) * 3, 3))])("$name", run);
	});
	describe("refused where it is not, with nothing changed", () => {
		const refused = refusedTextCases(text);
		it.each(EVERY_FIELD.includes(i) ? refused : pick(refused, SHARED.indexOf(i) * 3, 3))("$name", run);
	});
});

// ---- oversized, malformed and mistyped bodies ----------------------------------------------------

type WriteRoute = { method: string; label: string; path: () => string; as: Who; valid?: () => unknown };

/** Every form post. The guard's body limit comes before any of them reads (or ignores) its body. */
const FORM_WRITES: WriteRoute[] = [
	{ method: "POST", label: "/admin/login", path: () => "/admin/login", as: "none" },
	{ method: "POST", label: "/admin/logout", path: () => "/admin/logout", as: "admin" },
	{ method: "POST", label: "/admin/articles", path: () => "/admin/articles", as: "admin" },
	{ method: "POST", label: "/admin/articles/:id", path: () => `/admin/articles/${f.article}`, as: "editor" },
	{ method: "POST", label: "/admin/articles/:id/trash", path: () => `/admin/articles/${f.article}/trash`, as: "admin" },
	{
		method: "POST",
		label: "/admin/articles/:id/restore",
		path: () => `/admin/articles/${f.trashed}/restore`,
		as: "admin",
	},
	{
		method: "POST",
		label: "/admin/articles/:id/delete",
		path: () => `/admin/articles/${f.trashed}/delete`,
		as: "admin",
	},
	{
		method: "POST",
		label: "/admin/articles/:id/revisions/:rev/restore",
		path: () => `/admin/articles/${f.article}/revisions/1/restore`,
		as: "admin",
	},
	{ method: "POST", label: "/admin/topics", path: () => "/admin/topics", as: "admin" },
	{ method: "POST", label: "/admin/regions/:slug", path: () => "/admin/regions/china", as: "admin" },
	{ method: "POST", label: "/admin/topics/:slug/delete", path: () => "/admin/topics/recycling/delete", as: "admin" },
	{ method: "POST", label: "/admin/pages/:slug", path: () => "/admin/pages/about", as: "editor" },
	{ method: "POST", label: "/admin/tokens", path: () => "/admin/tokens", as: "admin" },
	{ method: "POST", label: "/admin/tokens/:id/revoke", path: () => "/admin/tokens/1/revoke", as: "admin" },
	{ method: "POST", label: "/admin/editors/:id", path: () => `/admin/editors/${f.other}`, as: "admin" },
	{ method: "POST", label: "/admin/editors/:id/delete", path: () => `/admin/editors/${f.other}/delete`, as: "admin" },
	{ method: "POST", label: "/admin/purge", path: () => "/admin/purge", as: "admin" },
];

/** The JSON endpoints that read a body, each with one that would be accepted. */
const JSON_READS: WriteRoute[] = [
	{
		method: "POST",
		label: "/api/admin/articles",
		path: () => "/api/admin/articles",
		as: "bearer",
		valid: () => ({ ...FINE_ARTICLE, slug: "would-be-created" }),
	},
	{
		method: "PATCH",
		label: "/api/admin/articles/:id",
		path: () => `/api/admin/articles/${f.article}`,
		as: "admin",
		valid: () => ({ version: 2, title: "Would be saved" }),
	},
	{
		method: "DELETE",
		label: "/api/admin/articles/:id",
		path: () => `/api/admin/articles/${f.article}`,
		as: "bearer",
		valid: () => ({ version: 2 }),
	},
	{
		method: "POST",
		label: "/api/admin/articles/:id/restore",
		path: () => `/api/admin/articles/${f.trashed}/restore`,
		as: "admin",
		valid: () => ({ version: 2 }),
	},
	{
		method: "POST",
		label: "/api/admin/articles/:id/revisions/:rev/restore",
		path: () => `/api/admin/articles/${f.article}/revisions/1/restore`,
		as: "bearer",
		valid: () => ({ version: 2 }),
	},
	{
		method: "POST",
		label: "/api/admin/purge",
		path: () => "/api/admin/purge",
		as: "admin",
		valid: () => ({ slugs: ["known"] }),
	},
	{
		method: "POST",
		label: "/api/admin/topics",
		path: () => "/api/admin/topics",
		as: "bearer",
		valid: () => ({ slug: "would-be-added", name: "Would be added" }),
	},
	{
		method: "PATCH",
		label: "/api/admin/topics/:slug",
		path: () => "/api/admin/topics/energy",
		as: "admin",
		valid: () => ({ name: "Would be renamed" }),
	},
	{
		method: "PUT",
		label: "/api/admin/pages/:slug",
		path: () => "/api/admin/pages/about",
		as: "bearer",
		valid: () => ({ title: "Would be saved", bodyMarkdown: "Would be saved." }),
	},
	{
		method: "POST",
		label: "/api/admin/tokens",
		path: () => "/api/admin/tokens",
		as: "admin",
		valid: () => ({ name: "Would be issued", editorId: f.other }),
	},
	{
		method: "PATCH",
		label: "/api/admin/editors/:id",
		path: () => `/api/admin/editors/${f.other}`,
		as: "bearer",
		valid: () => ({ name: "Would be renamed" }),
	},
];

/** JSON endpoints that take no body (a DELETE of a thing named in the path): only the size limit applies. */
const JSON_BODILESS: WriteRoute[] = [
	{ method: "DELETE", label: "/api/admin/regions/:slug", path: () => "/api/admin/regions/global", as: "bearer" },
	{ method: "DELETE", label: "/api/admin/tokens/:id", path: () => "/api/admin/tokens/1", as: "admin" },
	{ method: "DELETE", label: "/api/admin/editors/:id", path: () => `/api/admin/editors/${f.other}`, as: "admin" },
];

const OVERSIZED = `title=${"a".repeat(ADMIN_BODY_LIMIT)}`;

function writeReq(route: WriteRoute, body: Body): Req {
	const path = route.path();
	// The sign-in form is posted without a session, with the Origin a browser sends.
	return {
		method: route.method,
		path,
		as: route.as,
		body,
		headers: route.as === "none" ? { origin: TEST_ORIGIN } : {},
	};
}

// Every post and every JSON write, its body's length declared or (alternately) streamed without one.
const oversizedCases: Case[] = [...FORM_WRITES, ...JSON_READS, ...JSON_BODILESS].map((route, r): Case => {
	const type = isApi(route.label) ? "application/json" : "application/x-www-form-urlencoded";
	return r % 2 === 0
		? {
				name: `${route.method} ${route.label} with a declared length over 1 MiB`,
				req: () => writeReq(route, { raw: OVERSIZED, type }),
				expect: { status: 413 },
			}
		: {
				name: `${route.method} ${route.label} streamed over 1 MiB without a length`,
				req: () => writeReq(route, { raw: new Blob([OVERSIZED]).stream(), type }),
				expect: { status: 413 },
			};
});

describe("bodies over 1 MiB are a 413, declared or streamed, and change nothing", () => {
	it.each(oversizedCases)("$name", run);
});

const MALFORMED_JSON: [string, string][] = [
	["truncated", '{"title": "x"'],
	["an array", '[{"title": "x"}]'],
	["null", "null"],
	["a string", '"title"'],
	["a number", "123"],
	["a __proto__ key", '{"__proto__": {"role": "admin"}, "name": "x"}'],
	["a constructor.prototype key", '{"constructor": {"prototype": {"role": "admin"}}}'],
	["nested 5000 deep", `${"[".repeat(5000)}${"]".repeat(5000)}`],
];

// Each endpoint gets two of the bodies, rotating, with a session cookie or a bearer token by
// turns, so that every body meets several endpoints and is tried both ways.
const malformedCases: Case[] = JSON_READS.flatMap((route, r) =>
	pick(MALFORMED_JSON, r * 2, 2).map(([what, raw], k) => {
		const as: Who = (r + k) % 2 === 0 ? "bearer" : "admin";
		return {
			name: `${route.method} ${route.label} with ${what} (${as === "bearer" ? "token" : "session"})`,
			req: () => ({ ...writeReq(route, { raw, type: "application/json" }), as }),
			expect: { status: 400 },
		};
	}),
);

describe("malformed JSON is a 400 and changes nothing", () => {
	it.each(malformedCases)("$name", run);
});

const WRONG_JSON_TYPES: [string, string | null][] = [
	["text/plain", "text/plain;charset=UTF-8"],
	["multipart/form-data", "multipart/form-data; boundary=x"],
	["a form's type", "application/x-www-form-urlencoded"],
	["no content type", null],
	["application/jsonp", "application/jsonp"],
];

const wrongJsonTypeCases: Case[] = JSON_READS.flatMap((route, r) =>
	pick(WRONG_JSON_TYPES, r * 2, 2).map(([what, type]) => ({
		name: `${route.method} ${route.label}: a body it would accept, sent as ${what}`,
		// Bytes rather than a string: a string body would bring its own text/plain type.
		req: () => writeReq(route, { raw: new TextEncoder().encode(JSON.stringify(route.valid?.())), type }),
		expect: { status: 415 },
	})),
);

describe("JSON endpoints refuse other content types with 415", () => {
	it.each(wrongJsonTypeCases)("$name", run);
});

/**
 * Form posts that read fields, with what a body they cannot read as a form amounts to (no fields
 * at all): a refusal, or (the article editor) a preview that saves nothing.
 */
const FORM_READS: { route: WriteRoute; fields: Record<string, string>; empty: number }[] = [
	{ route: FORM_WRITES[0] as WriteRoute, fields: { email: "a@b.test", password: "x" }, empty: 400 },
	{ route: FORM_WRITES[2] as WriteRoute, fields: { ...FINE_ARTICLE_FORM, intent: "draft" }, empty: 200 },
	{ route: FORM_WRITES[3] as WriteRoute, fields: { ...FINE_ARTICLE_FORM, version: "2", intent: "save" }, empty: 200 },
	{ route: FORM_WRITES[8] as WriteRoute, fields: { slug: "typed", name: "Typed" }, empty: 400 },
	{ route: FORM_WRITES[9] as WriteRoute, fields: { slug: "china", name: "Typed" }, empty: 400 },
	{ route: FORM_WRITES[11] as WriteRoute, fields: { title: "Typed", bodyMarkdown: "Typed." }, empty: 400 },
	{ route: FORM_WRITES[12] as WriteRoute, fields: { name: "Typed", editorId: "1" }, empty: 400 },
	{ route: FORM_WRITES[14] as WriteRoute, fields: { name: "Typed", role: "editor" }, empty: 400 },
	{ route: FORM_WRITES[16] as WriteRoute, fields: { slugs: "known" }, empty: 400 },
];

const wrongFormTypeCases: Case[] = FORM_READS.flatMap(({ route, fields, empty }, r) => {
	const text = new URLSearchParams(fields).toString();
	const cases: [string, Body][] = [
		["JSON", { raw: JSON.stringify(fields), type: "application/json" }],
		["text/plain", { raw: text, type: "text/plain" }],
		["no content type", { raw: new TextEncoder().encode(text), type: null }],
	];
	return pick(cases, r, 2).map(([what, body]) => ({
		name: `${route.method} ${route.label}: its fields sent as ${what} are not read as a form`,
		req: () => writeReq(route, body),
		expect: { status: empty },
	}));
});

// Posts that read a form, including those that need no field: a multipart body that does not
// parse is the sender's mistake, whatever the form.
const unparsableFormCases: Case[] = [0, 2, 4, 5, 7, 8, 16]
	.map((i) => FORM_WRITES[i] as WriteRoute)
	.map((route) => ({
		name: `${route.method} ${route.label}: multipart without a boundary is a 400`,
		req: () =>
			writeReq(route, { raw: "--x\r\nContent-Disposition: form-data; name=a\r\n\r\nb", type: "multipart/form-data" }),
		expect: { status: 400 },
	}));

describe("form posts do not read other content types as forms", () => {
	it.each([...wrongFormTypeCases, ...unparsableFormCases])("$name", run);

	it.each<Case>([
		{
			name: "a real multipart form is read like any other",
			req: () => {
				const form = new FormData();
				form.set("slug", "multipart-topic");
				form.set("name", "Multipart topic");
				return { path: "/admin/topics", as: "admin", body: { raw: form, type: null } };
			},
			expect: {
				status: 303,
				mayChange: ["topics", "audit_log"],
				check: async () => {
					const [row] = await testDb().select().from(schema.topics).where(eq(schema.topics.slug, "multipart-topic"));
					expect(row?.name).toBe("Multipart topic");
				},
			},
		},
		{
			name: "a file where a text field belongs counts as the field left out",
			req: () => {
				const form = new FormData();
				form.set("slug", "file-topic");
				form.set("name", new File(["<script>alert(1)</script>"], "name.html", { type: "text/html" }));
				return { path: "/admin/topics", as: "admin", body: { raw: form, type: null } };
			},
			expect: { status: 400 },
		},
	])("$name", run);
});

// ---- dates, versions, cursors --------------------------------------------------------------------

const BAD_DATE_TEXT = [
	"2026-02-30T10:00Z",
	"yesterday",
	"-1",
	"2026-13-01T00:00Z",
	"1999-12-31T23:59:59Z",
	"2101-01-01T00:00Z",
	"2026-01-01T24:00Z",
	"+275760-09-13T00:00:00Z",
	"2026-01-01T00:00:00+25:00",
	"2026-01-01",
	"2026-01-01T00:00:00.1234567890Z",
	"\u0662\u0660\u0662\u0666-01-01T00:00Z",
];
const BAD_DATE_VALUES: unknown[] = [...BAD_DATE_TEXT, -1, 0, 1e20, true, ["2026-01-01T00:00Z"], { $gt: "" }];

const dateCases: Case[] = [
	...BAD_DATE_VALUES.map(
		(publishedAt): Case => ({
			name: `publishedAt ${JSON.stringify(publishedAt)} on a new article (JSON)`,
			req: () => ({
				path: "/api/admin/articles",
				as: "bearer",
				body: { json: { ...FINE_ARTICLE, slug: "dated", status: "published", publishedAt } },
			}),
			expect: { status: 400, fields: ["publishedAt"] },
		}),
	),
	...BAD_DATE_VALUES.filter((_, k) => k % 3 === 0).map(
		(publishedAt): Case => ({
			name: `publishedAt ${JSON.stringify(publishedAt)} on an edit (JSON)`,
			req: () => ({
				method: "PATCH",
				path: `/api/admin/articles/${f.article}`,
				as: "admin",
				body: { json: { version: 2, publishedAt } },
			}),
			expect: { status: 400, fields: ["publishedAt"] },
		}),
	),
	...BAD_DATE_TEXT.filter((_, k) => k % 2 === 1).map(
		(publishedAt): Case => ({
			name: `publishedAt ${JSON.stringify(publishedAt)} on a new article (form)`,
			req: () => ({
				path: "/admin/articles",
				as: "editor",
				body: { form: { ...FINE_ARTICLE_FORM, slug: "dated", publishedAt, intent: "publish" } },
			}),
			expect: { status: 400 },
		}),
	),
	...[
		["an empty publishedAt", ""],
		["a null publishedAt", null],
	].map(
		([what, publishedAt], i): Case => ({
			name: `${what} publishes now`,
			req: () => ({
				path: "/api/admin/articles",
				as: "bearer",
				body: { json: { ...FINE_ARTICLE, slug: `published-now-${i}`, status: "published", publishedAt } },
			}),
			expect: {
				status: 201,
				mayChange: ARTICLE_WRITE,
				check: async () => {
					const row = await articleBySlug(`published-now-${i}`);
					expect(Math.abs((row?.publishedAt ?? 0) - Date.now())).toBeLessThan(60_000);
				},
			},
		}),
	),
];

describe("bad dates are a 400 naming publishedAt", () => {
	it.each(dateCases)("$name", run);
});

const BAD_VERSIONS: [string, unknown][] = [
	["missing", undefined],
	["null", null],
	["a word", "abc"],
	["negative", -1],
	["zero", 0],
	["a fraction", 1.5],
	["a fraction as text", "1.5"],
	["huge", 1e20],
	["a boolean", true],
	["an array", [2]],
	["an object", {}],
	["hexadecimal", "0x2"],
	["padded", " 2"],
	["with a trailing space", "2 "],
	["1e0", "1e0"],
];

/** A whole edit of the known article, valid but for what a case changes. */
function editForm(version: string) {
	return {
		title: "Changed",
		summary: "Changed.",
		bodyMarkdown: "Changed.",
		slug: "known",
		topic: "energy",
		region: "china",
		publishedAt: "2025-01-01T00:00",
		version,
		intent: "save",
	};
}

/** A JSON write based on a version that is not the stored one: 409, with what is stored (version 2). */
const STALE: Outcome = {
	status: 409,
	check: (_res, body) => expect((JSON.parse(body) as { current: { version: number } }).current.version).toBe(2),
};

const versionCases: Case[] = [
	...BAD_VERSIONS.map(
		([what, version]): Case => ({
			name: `an edit with a version ${what} (JSON)`,
			req: () => ({
				method: "PATCH",
				path: `/api/admin/articles/${f.article}`,
				as: "bearer",
				body: { json: { title: "Changed", version } },
			}),
			expect: { status: 400, fields: ["version"] },
		}),
	),
	...BAD_VERSIONS.filter(([, v]) => typeof v === "string" || v === undefined).map(
		([what, version]): Case => ({
			name: `an edit with a version ${what} (form)`,
			req: () => ({
				path: `/admin/articles/${f.article}`,
				as: "editor",
				body: { form: editForm(typeof version === "string" ? version : "") },
			}),
			expect: { status: 400 },
		}),
	),
	{
		name: "an edit based on an older version (JSON) is a 409 with what is stored",
		req: () => ({
			method: "PATCH",
			path: `/api/admin/articles/${f.article}`,
			as: "bearer",
			body: { json: { title: "Changed", version: 1 } },
		}),
		expect: STALE,
	},
	{
		name: "an edit based on a version still to come (JSON) is a 409",
		req: () => ({
			method: "PATCH",
			path: `/api/admin/articles/${f.article}`,
			as: "admin",
			body: { json: { title: "Changed", version: 99 } },
		}),
		expect: STALE,
	},
	{
		name: "an edit based on an older version (form) is the conflict page",
		req: () => ({ path: `/admin/articles/${f.article}`, as: "admin", body: { form: editForm("1") } }),
		expect: { status: 409 },
	},
	{
		name: "an edit based on a version still to come (form) is the conflict page",
		req: () => ({ path: `/admin/articles/${f.article}`, as: "admin", body: { form: editForm("99") } }),
		expect: { status: 409 },
	},
	...(
		[
			["?version=abc", undefined, 400, ["version"]],
			["?version=-1", undefined, 400, ["version"]],
			["?version=1.5", undefined, 400, ["version"]],
			["", { version: "x" }, 400, ["version"]],
			["", { version: -1 }, 400, ["version"]],
			["", { extra: 1 }, 400, ["extra"]],
			["?permanent=yes", undefined, 400, ["permanent"]],
			["?version=1", undefined, 409, undefined],
			["", { version: 1 }, 409, undefined],
			["?permanent=true", undefined, 409, undefined],
		] as [string, unknown, number, string[] | undefined][]
	).map(
		([query, json, status, fields]): Case => ({
			name: `trashing with ${query || JSON.stringify(json)}`,
			req: () => ({
				method: "DELETE",
				path: `/api/admin/articles/${f.article}${query}`,
				as: "admin",
				body: json === undefined ? undefined : { json },
			}),
			// A permanent delete of what is not in the trash is refused before any version is compared.
			expect: status === 409 && !query.includes("permanent") ? STALE : { status, fields },
		}),
	),
	...(
		[
			["", { version: "x" }, 400],
			["", { version: 0 }, 400],
			["?version=abc", undefined, 400],
			["", { version: 99 }, 409],
		] as [string, unknown, number][]
	).map(
		([query, json, status]): Case => ({
			name: `restoring from the trash with ${query || JSON.stringify(json)}`,
			req: () => ({
				path: `/api/admin/articles/${f.trashed}/restore${query}`,
				as: "bearer",
				body: json === undefined ? { raw: "", type: null } : { json },
			}),
			expect: { status, fields: status === 400 ? ["version"] : undefined },
		}),
	),
	{
		name: "restoring a revision with a version that is a word",
		req: () => ({
			path: `/api/admin/articles/${f.article}/revisions/1/restore`,
			as: "bearer",
			body: { json: { version: "abc" } },
		}),
		expect: { status: 400, fields: ["version"] },
	},
	{
		name: "restoring a revision based on an older version",
		req: () => ({
			path: `/api/admin/articles/${f.article}/revisions/1/restore`,
			as: "admin",
			body: { json: { version: 1 } },
		}),
		expect: STALE,
	},
	{
		name: "restoring a revision the article never had",
		req: () => ({
			path: `/api/admin/articles/${f.article}/revisions/3/restore`,
			as: "bearer",
			body: { json: { version: 2 } },
		}),
		expect: { status: 404 },
	},
	{
		name: "trashing through the form with a version that is a word",
		req: () => ({ path: `/admin/articles/${f.article}/trash`, as: "admin", body: { form: { version: "abc" } } }),
		expect: { status: 400 },
	},
	{
		name: "restoring through the form with a negative version",
		req: () => ({ path: `/admin/articles/${f.trashed}/restore`, as: "admin", body: { form: { version: "-1" } } }),
		expect: { status: 400 },
	},
	{
		name: "restoring a revision through the form with a fractional version",
		req: () => ({
			path: `/admin/articles/${f.article}/revisions/1/restore`,
			as: "admin",
			body: { form: { version: "1.5" } },
		}),
		expect: { status: 400 },
	},
	{
		name: "a version sent as a string of digits is read as that number",
		req: () => ({
			method: "PATCH",
			path: `/api/admin/articles/${f.spare}`,
			as: "bearer",
			body: { json: { version: "1", title: "Versioned by a string" } },
		}),
		expect: {
			status: 200,
			mayChange: ARTICLE_WRITE,
			check: async () =>
				expect(await articleBySlug("spare")).toMatchObject({ title: "Versioned by a string", version: 2 }),
		},
	},
];

describe("bad versions are a 400, stale ones a 409, and neither changes anything", () => {
	it.each(versionCases)("$name", run);
});

function b64url(text: string): string {
	return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const BAD_CURSORS = [
	"garbage",
	"v1.1.1",
	b64url("v1.-1.1"),
	b64url("v1.1.0"),
	b64url("v1.9999999999999999.1"),
	b64url("v2.1.1"),
	"%00",
	"A".repeat(5000),
	"%25",
	"_",
	"%5C",
	"'%20OR%201=1--",
];

// Cursors (and audit positions) go to the JSON list and the HTML screen by turns.
const listCases: Case[] = [
	...BAD_CURSORS.map(
		(cursor, k): Case =>
			k % 2 === 0
				? {
						name: `/api/admin/articles?cursor=${cursor.slice(0, 40)}`,
						req: () => ({ path: `/api/admin/articles?cursor=${cursor}`, as: "bearer" }),
						expect: { status: 400, fields: ["cursor"] },
					}
				: {
						name: `/admin?cursor=${cursor.slice(0, 40)}`,
						req: () => ({ path: `/admin?cursor=${cursor}`, as: "editor" }),
						expect: { status: 400 },
					},
	),
	...["0", "101", "1e3", "0x10", "-1", "1.5", "", "%00", "%205", "99999"].map(
		(limit): Case => ({
			name: `/api/admin/articles?limit=${limit}`,
			req: () => ({ path: `/api/admin/articles?limit=${limit}`, as: "admin" }),
			expect: { status: 400, fields: ["limit"] },
		}),
	),
	{
		name: "/api/admin/articles?topic= a topic that does not exist",
		req: () => ({ path: "/api/admin/articles?topic=nope", as: "bearer" }),
		expect: { status: 400, fields: ["topic"] },
	},
	{
		name: "/api/admin/articles?region= a slug in capitals",
		req: () => ({ path: "/api/admin/articles?region=CHINA", as: "bearer" }),
		expect: { status: 400, fields: ["region"] },
	},
	{
		name: "/api/admin/articles?q= over 200 characters",
		req: () => ({ path: `/api/admin/articles?q=${"q".repeat(201)}`, as: "bearer" }),
		expect: { status: 400, fields: ["q"] },
	},
	{
		name: "/admin?q= over 200 characters",
		req: () => ({ path: `/admin?q=${"q".repeat(201)}`, as: "editor" }),
		expect: { status: 400 },
	},
	{
		name: "/admin?status= in capitals",
		req: () => ({ path: "/admin?status=DRAFT", as: "editor" }),
		expect: { status: 400 },
	},
	{
		name: "/admin with repeated parameters reads the first of each",
		req: () => ({ path: "/admin?status=draft&status=%00&q=Spare&q=%27", as: "editor" }),
		expect: { status: 200 },
	},
	...["-1", "abc", "1e3", "99999999999999999999", "0", "%00", "1%200"].map(
		(before, k): Case =>
			k % 2 === 0
				? {
						name: `/api/admin/audit?before=${before}`,
						req: () => ({ path: `/api/admin/audit?before=${before}`, as: "bearer" }),
						expect: { status: 400, fields: ["before"] },
					}
				: {
						name: `/admin/audit?before=${before}`,
						req: () => ({ path: `/admin/audit?before=${before}`, as: "admin" }),
						expect: { status: 400 },
					},
	),
	{
		name: "/api/admin/audit?subject= over 200 characters",
		req: () => ({ path: `/api/admin/audit?subject=${"s".repeat(201)}`, as: "bearer" }),
		expect: { status: 400, fields: ["subject"] },
	},
	{
		name: "/api/admin/audit?action=%25 (a LIKE wildcard)",
		req: () => ({ path: "/api/admin/audit?action=%25", as: "bearer" }),
		expect: { status: 400, fields: ["action"] },
	},
];

describe("bad cursors and list parameters are a 400", () => {
	it.each(listCases)("$name", run);

	it("an underscore in the audit log's action filter matches only itself, not any character", async () => {
		await run({
			name: "a topic to find",
			req: () => ({ path: "/api/admin/topics", as: "bearer", body: { json: { slug: "wildcard-bait", name: "Bait" } } }),
			expect: { status: 201, mayChange: ["topics", "audit_log"] },
		});
		for (const [action, matches] of [
			["topic", 1],
			["topic.create", 1],
			["t_pic", 0],
			["topi_", 0],
		] as const) {
			await run({
				name: `action=${action}`,
				req: () => ({ path: `/api/admin/audit?action=${action}&subject=topic:wildcard-bait`, as: "bearer" }),
				expect: {
					status: 200,
					check: (_res, body) => expect((JSON.parse(body) as { entries: unknown[] }).entries).toHaveLength(matches),
				},
			});
		}
	});
});

// ---- sign-in, credentials, Origin, methods ----------------------------------------------------------

const NEXT_TRICKS = [
	"//evil.example",
	"/\\evil.example",
	"https://evil.example/admin",
	"/admin/../../evil.example",
	"javascript:alert(1)",
	"/admin%0d%0aSet-Cookie:%20x=1",
	"/%2F%2Fevil.example",
	"/admin/login",
	"/admin/%2e%2e/%2e%2e/evil.example",
	"%E2%80%AE/admin",
	"/admin\t/evil",
	"/admin@evil.example",
];

// Signed in (the redirect) and signed out (the form's hidden field) by turns.
const nextCases: Case[] = NEXT_TRICKS.map(
	(next, k): Case =>
		k % 2 === 0
			? {
					name: `signed in, /admin/login?next=${next} goes to the admin's home`,
					req: () => ({ path: `/admin/login?next=${encodeURIComponent(next)}`, as: "admin" }),
					expect: { status: 302, check: (res) => expect(res.headers.get("location")).toBe("/admin") },
				}
			: {
					name: `signed out, /admin/login?next=${next} carries only the admin's home`,
					req: () => ({ path: `/admin/login?next=${encodeURIComponent(next)}`, as: "none" }),
					expect: { status: 200, check: (_res, html) => expect(html).toContain('name="next" value="/admin"') },
				},
);

const authCases: Case[] = [
	...(
		[
			["from another site", "https://evil.example"],
			["with Origin null", "null"],
			["from a look-alike host", "https://localhost.evil.example"],
			["from another port", "https://localhost:8080"],
			["from the same host over plain http", "http://localhost"],
			["with Origin in capitals", "HTTPS://LOCALHOST"],
			["without an Origin", null],
		] as [string, string | null][]
	).map(
		([what, origin]): Case => ({
			name: `a form post with the session cookie ${what} is a 403`,
			req: () => ({
				path: "/admin/topics",
				as: "admin",
				body: { form: { slug: "forged", name: "Forged" } },
				headers: { origin },
			}),
			expect: { status: 403 },
		}),
	),
	{
		name: "a JSON change with the session cookie from another site is a 403",
		req: () => ({
			method: "PATCH",
			path: "/api/admin/topics/energy",
			as: "admin",
			body: { json: { name: "Forged" } },
			headers: { origin: "http://evil.example" },
		}),
		expect: { status: 403 },
	},
	{
		name: "another site cannot sign an editor in",
		req: () => ({
			path: "/admin/login",
			as: "none",
			body: { form: { email: "a@b.test", password: "x" } },
			headers: { origin: "http://evil.example" },
		}),
		expect: { status: 403 },
	},
	{
		name: "another site cannot sign an editor out",
		req: () => ({ path: "/admin/logout", as: "admin", body: { form: {} }, headers: { origin: "http://evil.example" } }),
		expect: { status: 403 },
	},
	...[
		["a token that does not exist", "Bearer smt_not-a-real-token"],
		["an empty token", "Bearer "],
		["a token with a space in it", "Bearer smt_a smt_b"],
		["Basic credentials", "Basic YWRtaW46YWRtaW4="],
		["a token's hash instead of the token", `Bearer ${"a".repeat(64)}`],
	].map(
		([what, authorization]): Case => ({
			name: `${what} is a 401, even next to a valid session cookie`,
			req: () => ({
				path: "/api/admin/articles",
				as: "admin",
				body: { json: { ...FINE_ARTICLE, slug: "would-be-created" } },
				headers: { authorization: authorization ?? "" },
			}),
			expect: { status: 401 },
		}),
	),
	...(
		[
			["GET", "/admin/tokens", "editor", undefined],
			["GET", "/admin/editors", "editor", undefined],
			["GET", "/admin/audit", "editor", undefined],
			["POST", "/api/admin/topics", "editorBearer", { json: { slug: "by-editor", name: "By editor" } }],
			["DELETE", "/api/admin/editors/:other", "editor", undefined],
			["GET", "/api/admin/audit", "editorBearer", undefined],
			["POST", "/admin/articles/:trashed/delete", "editor", { form: {} }],
			["DELETE", "/api/admin/articles/:trashed?permanent=true", "editorBearer", undefined],
			["POST", "/api/admin/tokens", "editor", { json: { name: "Mine", editorId: 1 } }],
		] as [string, string, Who, Body | undefined][]
	).map(
		([method, template, as, body]): Case => ({
			name: `an editor (not an admin) is refused ${method} ${template} with 403`,
			req: () => ({
				method,
				path: template.replace(":other", String(f.other)).replace(":trashed", String(f.trashed)),
				as,
				body,
			}),
			expect: { status: 403 },
		}),
	),
	{
		name: "signed out, an admin screen redirects to sign-in with the address kept",
		req: () => ({ path: "/admin/tokens?x=%3Cscript%3E", as: "none" }),
		expect: {
			status: 302,
			check: (res) =>
				expect(res.headers.get("location")).toBe(
					`/admin/login?next=${encodeURIComponent("/admin/tokens?x=%3Cscript%3E")}`,
				),
		},
	},
	{
		name: "signed out, a form post redirects to the plain sign-in page",
		req: () => ({
			path: "/admin/topics",
			as: "none",
			body: { form: { slug: "anon", name: "Anon" } },
			headers: { origin: TEST_ORIGIN },
		}),
		expect: { status: 302, check: (res) => expect(res.headers.get("location")).toBe("/admin/login") },
	},
	{
		name: "signed out, the JSON API is a 401",
		req: () => ({ path: "/api/admin/purge", as: "none", body: { json: { all: true } } }),
		expect: { status: 401 },
	},
	{
		name: "a forged session cookie opens nothing and is cleared",
		req: () => ({ path: "/admin", as: "none", headers: { cookie: "__Host-samarium_session=forged; theme=dark" } }),
		expect: {
			status: 302,
			check: (res) => expect(res.headers.get("set-cookie") ?? "").toMatch(/^__Host-samarium_session=; Max-Age=0/),
		},
	},
	{
		name: "a huge cookie header opens nothing",
		req: () => ({
			path: "/api/admin/articles",
			as: "none",
			headers: { cookie: `__Host-samarium_session=${"x".repeat(8000)}` },
		}),
		expect: { status: 401 },
	},
	{
		name: "a forged Host and X-Forwarded-Host do not reach the admin's links",
		req: () => ({
			path: "https://evil.example/admin",
			as: "admin",
			headers: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", forwarded: "host=evil.example" },
		}),
		expect: { status: 200, check: (_res, html) => expect(html).not.toContain("evil.example") },
	},
	{
		name: "X-HTTP-Method-Override is not honoured: a POST restore stays a restore (409: not in the trash)",
		req: () => ({
			method: "POST",
			path: `/api/admin/articles/${f.article}/restore`,
			as: "bearer",
			headers: { "x-http-method-override": "DELETE" },
		}),
		expect: { status: 409 },
	},
	{
		name: "X-HTTP-Method-Override on a read changes nothing",
		req: () => ({
			path: `/api/admin/articles/${f.article}`,
			as: "bearer",
			headers: { "x-http-method-override": "DELETE" },
		}),
		expect: { status: 200 },
	},
	{
		name: "X-Original-URL and X-Rewrite-URL do not route a read somewhere else",
		req: () => ({
			path: "/api/admin/pages",
			as: "bearer",
			headers: { "x-original-url": "/api/admin/editors/1", "x-rewrite-url": "/api/admin/tokens" },
		}),
		expect: { status: 200, check: (_res, body) => expect(JSON.parse(body)).toHaveProperty("pages") },
	},
];

const methodCases: Case[] = [
	...(
		[
			["PUT", "/api/admin/articles", "bearer"],
			["OPTIONS", "/api/admin/articles", "bearer"],
			["PURGE", "/api/admin/articles", "admin"],
			["POST", "/api/admin/editors", "bearer"],
			["GET", "/api/admin/tokens/1", "bearer"],
			["DELETE", "/admin/articles/:article", "admin"],
			["PATCH", "/admin/topics", "admin"],
			["GET", "/admin/tokens/1/revoke", "admin"],
			["GET", "/admin/logout", "admin"],
			["PUT", "/admin/pages/about", "editor"],
		] as [string, string, Who][]
	).map(
		([method, template, as]): Case => ({
			name: `${method} ${template} is a 405 naming the methods it answers`,
			req: () => ({ method, path: template.replace(":article", String(f.article)), as }),
			expect: { status: 405, check: (res) => expect(res.headers.get("allow")).toBeTruthy() },
		}),
	),
	{
		name: "HEAD of an admin screen answers with no body",
		req: () => ({ method: "HEAD", path: "/admin", as: "editor" }),
		expect: { status: 200 },
	},
	{
		name: "HEAD of an admin list answers with no body",
		req: () => ({ method: "HEAD", path: "/api/admin/articles", as: "bearer" }),
		expect: { status: 200 },
	},
];

describe("sign-in redirects, credentials, Origin and methods", () => {
	it.each([...nextCases, ...authCases, ...methodCases])("$name", run);
});

// ---- JSON values of the wrong kind, duplicate keys, unknown fields, conflicts ---------------------

const jsonValueCases: Case[] = [
	...(
		[
			[{ title: 123 }, "title"],
			[{ title: null }, "title"],
			[{ summary: ["x"] }, "summary"],
			[{ bodyMarkdown: {} }, "bodyMarkdown"],
			[{ bodyMarkdown: "x".repeat(100_001) }, "bodyMarkdown"],
			[{ title: "t".repeat(201) }, "title"],
			[{ region: 5 }, "region"],
			[{ topic: ["energy"] }, "topic"],
			[{ status: null }, "status"],
			[{ slug: "admin" }, "slug"],
			[{ slug: "a".repeat(121) }, "slug"],
			[{ version: 1 }, "version"],
		] as [Record<string, unknown>, string][]
	).map(
		([fields, field]): Case => ({
			name: `a new article with ${JSON.stringify(fields).slice(0, 60)}`,
			req: () => ({
				path: "/api/admin/articles",
				as: "bearer",
				body: { json: { ...FINE_ARTICLE, slug: "typed", ...fields } },
			}),
			expect: { status: 400, fields: [field] },
		}),
	),
	...(
		[
			[{ version: 2, title: null }, "title"],
			[{ version: 2, slug: null }, "slug"],
			[{ version: 2, slug: "Known" }, "slug"],
			[{ version: 2, topic: "nope" }, "topic"],
		] as [Record<string, unknown>, string][]
	).map(
		([json, field]): Case => ({
			name: `an edit with ${JSON.stringify(json)}`,
			req: () => ({ method: "PATCH", path: `/api/admin/articles/${f.article}`, as: "admin", body: { json } }),
			expect: { status: 400, fields: [field] },
		}),
	),
	...(
		[
			[{ all: "true" }, "all"],
			[{ all: null }, "all"],
			[{ slugs: "known" }, "slugs"],
			[{ slugs: [1] }, "slugs"],
			[{ slugs: Array.from({ length: 101 }, () => "known") }, "slugs"],
			[{}, "slugs"],
			[{ slugs: [] }, "slugs"],
			[{ all: true, slugs: ["Not A Slug"] }, "slugs"],
		] as [Record<string, unknown>, string][]
	).map(
		([json, field]): Case => ({
			name: `a purge of ${JSON.stringify(json).slice(0, 60)}`,
			req: () => ({ path: "/api/admin/purge", as: "bearer", body: { json } }),
			expect: { status: 400, fields: [field] },
		}),
	),
	...(
		[
			[{ name: "T", editorId: "1e3" }, "editorId"],
			[{ name: "T", editorId: -1 }, "editorId"],
			[{ name: "T", editorId: 1.5 }, "editorId"],
			[{ name: "T", editorId: "99999999999999999999" }, "editorId"],
			[{ name: "T", editorId: 2 ** 53 }, "editorId"],
			[{ name: "T", editorId: 999_999 }, "editorId"],
			[{ name: "T" }, "editorId"],
			[{ name: "line\nbreak", editorId: 1 }, "name"],
			[{ name: "x".repeat(81), editorId: 1 }, "name"],
			[{ name: "   ", editorId: 1 }, "name"],
		] as [Record<string, unknown>, string][]
	).map(
		([json, field]): Case => ({
			name: `a token with ${JSON.stringify(json).slice(0, 60)}`,
			req: () => ({ path: "/api/admin/tokens", as: "admin", body: { json } }),
			expect: { status: 400, fields: [field] },
		}),
	),
	...(
		[
			[{ role: "ADMIN" }, "role"],
			[{ role: null }, "role"],
			[{ role: ["admin"] }, "role"],
			[{ name: "" }, "name"],
			[{ name: "nul\u0000byte" }, "name"],
			[{ name: 123 }, "name"],
		] as [Record<string, unknown>, string][]
	).map(
		([json, field]): Case => ({
			name: `an editor change of ${JSON.stringify(json)}`,
			req: () => ({ method: "PATCH", path: `/api/admin/editors/${f.other}`, as: "bearer", body: { json } }),
			expect: { status: 400, fields: [field] },
		}),
	),
	...(
		[
			[{ updatedAt: "yesterday" }, 400, ["updatedAt"]],
			[{ updatedAt: 1e20 }, 400, ["updatedAt"]],
			[{ updatedAt: true }, 400, ["updatedAt"]],
			[{ updatedAt: -1 }, 409, undefined],
			[{ updatedAt: "1970-01-01T00:00:00Z" }, 409, undefined],
			[{ bodyMarkdown: 5 }, 400, ["bodyMarkdown"]],
			[{ bodyMarkdown: "x".repeat(100_001) }, 400, ["bodyMarkdown"]],
			[{ title: "tab\tin title" }, 400, ["title"]],
		] as [Record<string, unknown>, number, string[] | undefined][]
	).map(
		([json, status, fields]): Case => ({
			name: `a page save with ${JSON.stringify(json).slice(0, 60)}`,
			req: () => ({
				method: "PUT",
				path: "/api/admin/pages/about",
				as: "admin",
				body: { json: { title: "T", bodyMarkdown: "B", ...json } },
			}),
			expect: { status, fields },
		}),
	),
	{
		name: "duplicate keys: the last one counts (a bad slug after a good one is refused)",
		req: () => ({
			path: "/api/admin/topics",
			as: "bearer",
			body: { raw: '{"slug": "dup-first", "slug": "Not A Slug", "name": "Dup"}', type: "application/json" },
		}),
		expect: { status: 400, fields: ["slug"] },
	},
	{
		name: "duplicate keys: the last one counts (a good slug after a bad one is stored)",
		req: () => ({
			path: "/api/admin/topics",
			as: "admin",
			body: {
				raw: '{"slug": "Not A Slug", "slug": "dup-last", "name": "Dup"}',
				type: "application/json; charset=utf-8",
			},
		}),
		expect: {
			status: 201,
			mayChange: ["topics", "audit_log"],
			check: async () => {
				const slugs = (await testDb().select().from(schema.topics)).map((t) => t.slug);
				expect(slugs).toContain("dup-last");
				expect(slugs).not.toContain("Not A Slug");
			},
		},
	},
	...JSON_READS.map(
		(route): Case => ({
			name: `${route.method} ${route.label} with an unknown field`,
			req: () => writeReq(route, { json: { ...(route.valid?.() as object), extra: 1 } }),
			expect: { status: 400, fields: ["extra"] },
		}),
	),
];

const conflictCases: Case[] = [
	{
		name: "a topic with a slug that is taken",
		req: () => ({ path: "/api/admin/topics", as: "bearer", body: { json: { slug: "energy", name: "Again" } } }),
		expect: { status: 409, fields: ["slug"] },
	},
	{
		name: "a region renamed to a slug that is taken",
		req: () => ({ method: "PATCH", path: "/api/admin/regions/global", as: "admin", body: { json: { slug: "china" } } }),
		expect: { status: 409, fields: ["slug"] },
	},
	{
		name: "deleting a topic articles use",
		req: () => ({ method: "DELETE", path: "/api/admin/topics/energy", as: "bearer" }),
		expect: { status: 409 },
	},
	{
		name: "deleting a topic articles use, through the form",
		req: () => ({ path: "/admin/topics/energy/delete", as: "admin", body: { form: {} } }),
		expect: { status: 409 },
	},
	{
		name: "trashing what is in the trash",
		req: () => ({ method: "DELETE", path: `/api/admin/articles/${f.trashed}`, as: "bearer" }),
		expect: { status: 409 },
	},
	{
		name: "restoring what is not in the trash",
		req: () => ({ path: `/api/admin/articles/${f.article}/restore`, as: "bearer", body: { json: {} } }),
		expect: { status: 409 },
	},
	{
		name: "deleting for good what is not in the trash, through the form",
		req: () => ({ path: `/admin/articles/${f.article}/delete`, as: "admin", body: { form: {} } }),
		expect: { status: 409 },
	},
	{
		name: "an article created with a slug another article has",
		req: () => ({ path: "/api/admin/articles", as: "admin", body: { json: { ...FINE_ARTICLE, slug: "known" } } }),
		expect: { status: 409, fields: ["slug"] },
	},
	{
		name: "a page saved over a newer one, through the form",
		req: () => ({
			path: "/admin/pages/about",
			as: "editor",
			body: { form: { title: "T", bodyMarkdown: "B", updatedAt: "1" } },
		}),
		expect: { status: 409 },
	},
];

describe("values of the wrong kind, duplicate keys, unknown fields and conflicts", () => {
	it.each([...jsonValueCases, ...conflictCases])("$name", run);
});
