import { env } from "cloudflare:workers";
import { expect } from "vitest";
import * as schema from "../../src/db/schema";
import { hashPassword } from "../../src/lib/passwords";
import { hashToken, newToken } from "../../src/lib/tokens";
import { fetchApp, fetchWorker, testDb } from "../helpers";

// Admin test helpers: editors, sessions and API tokens made directly in D1 (the sign-in flow
// itself is tested in html/auth.test.ts), requests that carry them, what every admin response must
// look like, and a D1 binding that stages a race.

export const TEST_PASSWORD = "plum-harbour-velvet-42";
/** Far below production's 100,000: tests hash many passwords and need not be slow. */
const TEST_ITERATIONS = 1_000;

let editorCounter = 0;

export async function createEditor(
	input: { role?: schema.EditorRole; email?: string; name?: string; password?: string } = {},
): Promise<schema.Editor> {
	editorCounter += 1;
	const now = Date.now();
	const [row] = await testDb()
		.insert(schema.editors)
		.values({
			email: input.email ?? `editor${editorCounter}-${now}@samarium.test`,
			name: input.name ?? `Editor ${editorCounter}`,
			role: input.role ?? "editor",
			passwordHash: await hashPassword(input.password ?? TEST_PASSWORD, TEST_ITERATIONS),
			createdAt: now,
			updatedAt: now,
		})
		.returning();
	if (!row) throw new Error("insert failed");
	return row;
}

/** A signed-in admin ("Ada Admin") and editor: the people most admin tests act as. */
export async function signedInAdminAndEditor(editorName?: string): Promise<{
	adminEditor: schema.Editor;
	admin: { cookie: string };
	editorRow: schema.Editor;
	editor: { cookie: string };
}> {
	const adminEditor = await createEditor({ role: "admin", name: "Ada Admin" });
	const editorRow = await createEditor({ role: "editor", ...(editorName ? { name: editorName } : {}) });
	return {
		adminEditor,
		admin: { cookie: await sessionCookie(adminEditor) },
		editorRow,
		editor: { cookie: await sessionCookie(editorRow) },
	};
}

/** A live session for `editor`; returns the Cookie header value (https, as fetchApp uses). */
export async function sessionCookie(
	editor: schema.Editor,
	times: { createdAt?: number; lastSeenAt?: number; expiresAt?: number } = {},
): Promise<string> {
	const token = newToken();
	const now = Date.now();
	await testDb()
		.insert(schema.sessions)
		.values({
			tokenHash: await hashToken(token),
			editorId: editor.id,
			createdAt: times.createdAt ?? now,
			lastSeenAt: times.lastSeenAt ?? now,
			expiresAt: times.expiresAt ?? now + 7 * 86_400_000,
		});
	return `__Host-samarium_session=${token}`;
}

/** An API token acting as `editor`; returns the Authorization header value. */
export async function bearerToken(editor: schema.Editor, name = "test token"): Promise<string> {
	const token = newToken("smt_");
	await testDb()
		.insert(schema.apiTokens)
		.values({
			name,
			tokenHash: await hashToken(token),
			editorId: editor.id,
			createdBy: editor.id,
			createdAt: Date.now(),
		});
	return `Bearer ${token}`;
}

/** The origin fetchApp's requests have: what a same-origin form or fetch sends as `Origin`. */
export const TEST_ORIGIN = "https://localhost";

export type AdminAuthHeaders = { cookie: string } | { authorization: string };

type AdminInit = { method?: string; json?: unknown; form?: Record<string, string>; origin?: string | null };

/**
 * The request a browser (form) or a client (JSON) would send with these credentials. Cookie
 * requests that change state get the same-origin `Origin` header a browser would send; pass
 * `origin: null` to leave it out.
 */
function adminRequest(auth: AdminAuthHeaders, init: AdminInit): RequestInit {
	const method = init.method ?? (init.json !== undefined || init.form ? "POST" : "GET");
	const headers = new Headers(auth);
	let body: BodyInit | undefined;
	if (init.json !== undefined) {
		headers.set("content-type", "application/json");
		body = JSON.stringify(init.json);
	} else if (init.form) {
		body = new URLSearchParams(init.form);
	}
	const origin = init.origin === undefined ? TEST_ORIGIN : init.origin;
	if ("cookie" in auth && method !== "GET" && method !== "HEAD" && origin !== null) headers.set("origin", origin);
	return { method, headers, body, redirect: "manual" };
}

/** A request to the admin app with the given credentials (see adminRequest). */
export function adminFetch(
	path: string,
	auth: AdminAuthHeaders,
	init: AdminInit = {},
	bindings: Env = env,
): Promise<Response> {
	return fetchApp(path, adminRequest(auth, init), bindings);
}

/** Like adminFetch, but through the whole Worker (edge cache included). */
export function workerAdminFetch(
	path: string,
	auth: AdminAuthHeaders,
	init: AdminInit = {},
	bindings: Env = env,
): Promise<Response> {
	return fetchWorker(path, adminRequest(auth, init), bindings);
}

// ---- signing in through the form ---------------------------------------------------------------

export type LoginInput = { email: string; password: string; next?: string };

/** A sign-in form post as a browser sends it: same-origin Origin unless told otherwise. */
export function postLogin(
	input: LoginInput,
	options: { origin?: string | null; ip?: string; cookie?: string; base?: string; bindings?: Env } = {},
): Promise<Response> {
	const base = options.base ?? TEST_ORIGIN;
	const headers = new Headers({ "content-type": "application/x-www-form-urlencoded" });
	const origin = options.origin === undefined ? base : options.origin;
	if (origin !== null) headers.set("origin", origin);
	if (options.ip) headers.set("cf-connecting-ip", options.ip);
	if (options.cookie) headers.set("cookie", options.cookie);
	const body = new URLSearchParams({ email: input.email, password: input.password });
	if (input.next !== undefined) body.set("next", input.next);
	return fetchApp(`${base}/admin/login`, { method: "POST", headers, body, redirect: "manual" }, options.bindings);
}

/**
 * Plain http, as local development serves it: a site whose SITE_URL is http, asked over http. (An
 * https site refuses the admin over http; the tests' default, TEST_ORIGIN, is https.)
 */
export const HTTP_BASE = "http://localhost";
export const httpSite = (): Env => ({ ...env, SITE_URL: "http://samarium.test" });

/** The Set-Cookie header of the cookie called `name` (a sign-in sets the session's and the device's). */
export function setCookieOf(res: Response, name: string): string | undefined {
	return res.headers.getSetCookie().find((header) => header.startsWith(`${name}=`));
}

/** The session cookie's Set-Cookie header, under either of its names. */
export function sessionSetCookie(res: Response): string {
	return setCookieOf(res, "__Host-samarium_session") ?? setCookieOf(res, "samarium_session") ?? "";
}

/** "name=value" of the session cookie a response sets, for sending back. */
export function cookiePair(res: Response): string {
	return sessionSetCookie(res).split(";")[0] ?? "";
}

/** "name=value" of the device cookie a sign-in sets (src/admin/html/device.ts), for sending back. */
export function devicePair(res: Response): string {
	const header = setCookieOf(res, "__Host-samarium_device") ?? setCookieOf(res, "samarium_device") ?? "";
	return header.split(";")[0] ?? "";
}

// ---- what admin responses must look like -------------------------------------------------------

/** Never cached, never indexed: on every admin response. */
export function expectPrivate(res: Response) {
	expect(res.headers.get("cache-control")).toBe("private, no-store");
	expect(res.headers.get("x-robots-tag")).toBe("noindex");
}

export function expectHtml(res: Response, status: number) {
	expect(res.status).toBe(status);
	expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
	expectPrivate(res);
}

export async function expectJsonError(res: Response, status: number, fields?: string[]) {
	expect(res.status).toBe(status);
	expect(res.headers.get("content-type")).toMatch(/^application\/json/);
	expectPrivate(res);
	const body = (await res.json()) as { error: { code: string; message: string; fields?: Record<string, string> } };
	expect(body.error.message).toBeTruthy();
	if (fields) expect(Object.keys(body.error.fields ?? {}).sort()).toEqual([...fields].sort());
	return body.error;
}

/** Where a form's 303 goes: the path, and the message for that page (signed) in the query. */
export function redirectTarget(res: Response): { path: string; location: string } {
	expect(res.status).toBe(303);
	expectPrivate(res);
	const location = res.headers.get("location") ?? "";
	return { path: location.split("?")[0] ?? "", location };
}

/** The message the layout shows at the top of an admin page (what a change did), or null. */
export function flashOf(html: string): { kind: string; text: string } | null {
	const match =
		/<main id="main"[^>]*><div class="flash flash-(ok|error)" role="(?:status|alert)"><p>([^<]*)<\/p><\/div>/.exec(
			html,
		);
	return match ? { kind: match[1] ?? "", text: match[2] ?? "" } : null;
}

// ---- races --------------------------------------------------------------------------------------

/**
 * A D1 binding on which another editor's write lands just before the batch that contains a
 * statement matching `marker` (seen when it is prepared): the race the batch's guards are for.
 */
export function racingD1(marker: RegExp, concurrentWrite: () => Promise<unknown>): D1Database {
	let armed = false;
	let fired = false;
	// The app reaches D1 through a session of the binding: its sessions race the same way.
	const racing = <T extends object>(db: T): T =>
		new Proxy(db, {
			get(target, prop) {
				const value = Reflect.get(target, prop, target);
				if (typeof value !== "function") return value;
				if (prop === "prepare") {
					return (sql: string) => {
						if (marker.test(sql)) armed = true;
						return value.call(target, sql);
					};
				}
				if (prop === "batch") {
					return async (statements: D1PreparedStatement[]) => {
						if (armed && !fired) {
							fired = true;
							await concurrentWrite();
						}
						return value.call(target, statements);
					};
				}
				if (prop === "withSession") return (from?: string) => racing(value.call(target, from));
				return value.bind(target);
			},
		});
	return racing(env.DB);
}

/** `count` audit entries by `editor`, one a second from 2026-01-01, alternating topic and page updates. */
export async function seedAuditLog(editor: schema.Editor, count: number): Promise<void> {
	const db = testDb();
	for (let i = 0; i < count; i++) {
		await db.insert(schema.auditLog).values({
			at: Date.UTC(2026, 0, 1) + i * 1000,
			editorId: editor.id,
			editorEmail: editor.email,
			action: i % 2 === 0 ? "topic.update" : "page.update",
			subject: i % 2 === 0 ? "topic:energy" : "page:about",
			detail: JSON.stringify({ n: i }),
		});
	}
}
