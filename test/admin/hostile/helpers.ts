import { eq } from "drizzle-orm";
import { beforeAll, expect } from "vitest";
import * as schema from "../../../src/db/schema";
import { fetchWorker, insertPage, insertTaxa, isolatedSite, resetDb, testDb } from "../../helpers";
import {
	escapeHtml,
	expectErrorJson,
	expectNoLeak,
	expectStoredUnchanged,
	type Snapshot,
	type StoredTable,
} from "../../hostile-helpers";
import { bearerToken, createEditor, expectPrivate, sessionCookie, TEST_ORIGIN } from "../helpers";

// Shared by the hostile-input suites of the admin (this folder): the stored data every suite
// starts from, the requests a browser or an API client sends, and what every answer to hostile
// input must look like. Each case takes its own snapshot of what is stored before it sends
// anything, so the cases of a file pass in any order.

export type Who = "admin" | "editor" | "bearer" | "editorBearer" | "none";

export type Fixture = {
	/** Its own SITE_URL, so that the purges these cases cause touch no other file's cached copies. */
	site: Env & { SITE_URL: string };
	creds: Record<Exclude<Who, "none">, Record<string, string>>;
	/** Published, at version 2, with revisions 1 and 2: no case may change it. */
	article: number;
	/** In the trash, at version 2. */
	trashed: number;
	/** A draft at version 1 that the accepted "version as a string" case edits. */
	spare: number;
	/** An editor whose name accepted cases change. */
	other: number;
};

/** The fixture of the running file, filled in by the `beforeAll` that useFixture registers. */
export const f = {} as Fixture;

export type Body = { form: Record<string, string> } | { json: unknown } | { raw: BodyInit; type: string | null };

export type Req = {
	method?: string;
	path: string;
	as: Who;
	body?: Body;
	/** Extra headers; null removes one the request would otherwise carry (e.g. Origin). */
	headers?: Record<string, string | null>;
};

/** A request and what came back, its body read as text. */
export type Answer = { req: Req; res: Response; text: string; label: string };

/**
 * Sends the request a browser (session cookie, with the same-origin Origin it sends on every
 * POST) or an API client would send, through the whole Worker.
 */
export async function send(req: Req): Promise<Answer> {
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
	const res = await fetchWorker(req.path, { method, headers, body, redirect: "manual" }, f.site);
	const label = `${method} ${req.path.length > 80 ? `${req.path.slice(0, 80)}…` : req.path} as ${req.as}`;
	return { req: { ...req, method }, res, text: await res.text(), label };
}

/** The answer's body as JSON. */
export function jsonOf<T>(answer: Answer): T {
	return JSON.parse(answer.text) as T;
}

export const isApi = (path: string) => path.startsWith("/api/");

/** No tag of the sender's making (or any script) may reach an admin page. */
export const MARKUP = /<script|<img|<iframe|<svg/i;

/**
 * What every answer to hostile input must be: exactly `status` (never a 5xx), private, past the
 * cache, with no stack or SQL text, and in the route's format: a redirect only to a path on this
 * site; JSON under /api, with an error in the documented shape naming exactly `fields` when given;
 * an admin HTML page elsewhere, with no markup of the sender's making.
 */
export function expectAdminAnswer(answer: Answer, status: number, fields?: readonly string[]): void {
	const { req, res, text, label } = answer;
	expect(res.status, `status of ${label}: ${text.slice(0, 400)}`).toBe(status);
	expect(res.status, `${label}: a server error`).toBeLessThan(500);
	expectPrivate(res);
	expect(res.headers.get("x-cache"), `${label}: x-cache`).toBe("BYPASS");
	expectNoLeak(text, label);
	if (res.status >= 300 && res.status < 400) {
		// Only ever a path on this site: never another host, never protocol-relative.
		expect(res.headers.get("location") ?? "", `${label}: redirect off the site`).toMatch(/^\/(?![/\\])/);
		return;
	}
	if (req.method === "HEAD") {
		expect(text, `${label}: a body on HEAD`).toBe("");
		return;
	}
	if (isApi(req.path)) {
		expect(res.headers.get("content-type"), `${label}: content-type`).toMatch(/^application\/json/);
		if (res.status >= 400) {
			const error = expectErrorJson(text, label);
			if (fields) expect(Object.keys(error.fields ?? {}).sort(), `${label}: fields named`).toEqual([...fields].sort());
		}
		return;
	}
	expect(res.headers.get("content-type"), `${label}: content-type`).toBe("text/html; charset=UTF-8");
	expect(text.startsWith("<!DOCTYPE html>"), `${label}: an HTML page`).toBe(true);
	expect(MARKUP.exec(text)?.[0] ?? null, `${label}: markup in the page`).toBeNull();
}

/** Nothing stored differs from `before`. */
export async function expectNothingChanged(before: Snapshot, answer: Answer): Promise<void> {
	await expectStoredUnchanged(before, [], answer.label);
}

/**
 * Nothing stored differs from `before` but in `tables` (accepted input, or a failed sign-in that
 * is counted and logged).
 */
export async function expectOnlyChanged(
	before: Snapshot,
	tables: readonly StoredTable[],
	answer: Answer,
): Promise<void> {
	await expectStoredUnchanged(before, tables, answer.label);
}

/** What an accepted article write may change. */
export const ARTICLE_WRITE = ["articles", "article_revisions", "audit_log"] as const;

// ---- fixture ------------------------------------------------------------------------------------

async function createThroughApi(json: Record<string, unknown>): Promise<number> {
	const { res, text } = await send({ path: "/api/admin/articles", as: "bearer", body: { json } });
	expect(res.status, text).toBe(201);
	return (JSON.parse(text) as { id: number }).id;
}

/**
 * Registers the file's `beforeAll`: an empty database with the test taxa, the About and Services
 * pages, an admin, an editor and another editor, a session and a token for the first two, and the
 * articles of the fixture (see Fixture).
 */
export function useFixture(): void {
	beforeAll(async () => {
		await resetDb();
		await insertTaxa();
		await insertPage("about", "About Samarium", "About us.");
		await insertPage("services", "Services", "What we do.");
		const admin = await createEditor({ role: "admin", name: "Ada Admin" });
		const editor = await createEditor({ role: "editor", name: "Ed Editor" });
		const other = await createEditor({ role: "editor", name: "Olive Other" });
		Object.assign(f, {
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
		} satisfies Fixture);
		const base = { summary: "Known summary.", bodyMarkdown: "Known body.", topic: "energy", region: "china" };
		f.article = await createThroughApi({ ...base, title: "Known article", slug: "known", status: "published" });
		const edit = await send({
			method: "PATCH",
			path: `/api/admin/articles/${f.article}`,
			as: "bearer",
			body: { json: { version: 1, summary: "Known summary, edited." } },
		});
		expect(edit.res.status, edit.text).toBe(200);
		f.trashed = await createThroughApi({ ...base, title: "Binned article", slug: "binned", status: "draft" });
		const trash = await send({ method: "DELETE", path: `/api/admin/articles/${f.trashed}`, as: "bearer" });
		expect(trash.res.status, trash.text).toBe(200);
		f.spare = await createThroughApi({ ...base, title: "Spare article", slug: "spare", status: "draft" });
	});
}

// ---- reading back what was stored and shown -------------------------------------------------------

export async function articleBySlug(slug: string) {
	const [row] = await testDb().select().from(schema.articles).where(eq(schema.articles.slug, slug));
	return row;
}

/** An admin page as an admin sees it: 200, private, and free of any markup a case sent. */
export async function adminPageText(path: string): Promise<string> {
	const { res, text } = await send({ path, as: "admin" });
	expect(res.status, path).toBe(200);
	expectPrivate(res);
	expect(MARKUP.exec(text)?.[0] ?? null, `${path}: markup in the page`).toBeNull();
	return text;
}

/**
 * A reader's page: 200, the value shown escaped, and no script but the page's own JSON-LD, which
 * must parse (a value that closed the element early would break it) and name an article's title.
 */
export async function publicPageShows(path: string, value: string): Promise<string> {
	const res = await fetchWorker(path, undefined, f.site);
	const html = await res.text();
	expect(res.status, path).toBe(200);
	expectNoLeak(html, path);
	const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
	const rest = ld ? html.replace(ld[0], "") : html;
	const data = ld ? (JSON.parse(ld[1] ?? "") as { "@type": string; headline?: string }) : null;
	if (data?.["@type"] === "NewsArticle") expect(data.headline, `${path}: JSON-LD headline`).toBe(value);
	expect(MARKUP.exec(rest)?.[0] ?? null, `${path}: markup in the page`).toBeNull();
	expect(rest, `${path}: the value, escaped`).toContain(escapeHtml(value));
	// Where escaping changes the text, the text itself must not be there as markup.
	if (escapeHtml(value) !== value) expect(rest, `${path}: the value unescaped`).not.toContain(value);
	return html;
}

// ---- inputs shared by several suites -----------------------------------------------------------------

/**
 * `count` items of `list` from `start` on, wrapping round. Where a table crosses many routes with
 * many inputs, each route gets a share of the inputs, rotating, so that every input still meets
 * routes of every kind (reads, forms, JSON) while the suite stays quick.
 */
export function pick<T>(list: readonly T[], start: number, count: number): T[] {
	return Array.from({ length: Math.min(count, list.length) }, (_, k) => list[(start + k) % list.length] as T);
}

export const FINE_ARTICLE = { title: "Fine title", summary: "Fine.", bodyMarkdown: "Fine.", status: "draft" };
export const FINE_ARTICLE_FORM = {
	title: "Fine title",
	summary: "Fine.",
	bodyMarkdown: "Fine.",
	topic: "",
	region: "",
};

export type WriteRoute = { method: string; label: string; path: () => string; as: Who; valid?: () => unknown };

/** The JSON endpoints that read a body, each with one that would be accepted. */
export const JSON_READS: WriteRoute[] = [
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

/** A request to `route` with `body`; the sign-in form is posted without a session, with the Origin a browser sends. */
export function writeReq(route: WriteRoute, body: Body): Req {
	return {
		method: route.method,
		path: route.path(),
		as: route.as,
		body,
		headers: route.as === "none" ? { origin: TEST_ORIGIN } : {},
	};
}

/**
 * A hostile request that must change nothing: its name, the request, and the answer's exact
 * status (and, for a JSON 400, exactly the fields named as wrong).
 */
export type HostileCase = { name: string; req: () => Req; status: number; fields?: readonly string[] };
