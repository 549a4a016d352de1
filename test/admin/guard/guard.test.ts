import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ADMIN_BODY_LIMIT } from "../../../src/admin/guard/body-limit";
import { adminGuard } from "../../../src/admin/guard/index";
import { requireRole } from "../../../src/admin/guard/roles";
import * as schema from "../../../src/db/schema";
import { handleError, handleNotFound } from "../../../src/errors";
import { database } from "../../../src/middleware/database";
import { siteUrl } from "../../../src/middleware/site-url";
import type { AppEnv } from "../../../src/types";
import { renderer } from "../../../src/views/renderer";
import { countingD1, fetchApp, resetDb, SITE, testDb } from "../../helpers";
import { accessClaims, accessTeam, fakeCerts, makeAccessKey, signAccessJwt } from "../access-helpers";
import {
	adminFetch,
	bearerToken,
	createEditor,
	expectPrivate,
	sessionCookie,
	TEST_ORIGIN,
	TEST_PASSWORD,
} from "../helpers";

// A small app with the guard in front of a few routes that echo what it decided, so that the
// guard is tested on its own, whatever the admin's real screens do.
const probe = new Hono<AppEnv>();
probe.use(siteUrl());
probe.use(database());
probe.use(renderer());
probe.use("/admin/*", adminGuard({ kind: "html" }));
probe.use("/api/admin/*", adminGuard({ kind: "api" }));
const whoami = (c: import("hono").Context<AppEnv>) => c.json({ editor: c.var.editor, auth: c.var.auth });
probe.all("/api/admin/echo", async (c) => {
	const body = c.req.method === "GET" ? "" : await c.req.text();
	return c.json({ editor: c.var.editor, auth: c.var.auth, bytes: body.length });
});
probe.post("/api/admin/admins-only", requireRole("admin"), whoami);
probe.post("/api/admin/editors-too", requireRole("editor"), whoami);
probe.get("/admin/admins-only", requireRole("admin"), (c) => c.html("<p>for admins</p>"));
probe.notFound(handleNotFound);
probe.onError(handleError);

async function fetchProbe(path: string, init: RequestInit = {}, bindings: Env = env): Promise<Response> {
	const ctx = createExecutionContext();
	const res = await probe.fetch(new Request(`${TEST_ORIGIN}${path}`, { redirect: "manual", ...init }), bindings, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}

async function expectJsonError(res: Response, status: number, code: string) {
	expect(res.status).toBe(status);
	expect(res.headers.get("content-type")).toMatch(/^application\/json/);
	expectPrivate(res);
	const body = (await res.json()) as { error: { code: string; message: string } };
	expect(body.error.code).toBe(code);
	expect(body.error.message).not.toBe("");
}

beforeEach(resetDb);

describe("without credentials", () => {
	it.each(["/admin", "/admin/articles", "/admin/no-such-screen"])(
		"%s redirects to sign-in, keeping the address",
		async (path) => {
			const res = await fetchApp(path, { redirect: "manual" });
			expect(res.status).toBe(302);
			expect(res.headers.get("location")).toBe(`/admin/login?next=${encodeURIComponent(path)}`);
			expectPrivate(res);
			expect(res.headers.get("set-cookie")).toBeNull();
		},
	);

	it.each([
		// Still encoded, as the browser asked: a decoded "%3F" would have become the query.
		["/admin/topics%3Fx=1", "/admin/topics%3Fx=1"],
		["/admin/articles?q=%3Cb%3E%20c", "/admin/articles?q=%3Cb%3E%20c"],
		// Not an admin address once a browser or proxy decoded it: not carried at all.
		["/admin/a%2F..%2F..%2Fevil.example", null],
		["/admin/%5Cevil.example", null],
	])("builds the sign-in redirect's next from the still-encoded address: %s", async (path, next) => {
		const res = await fetchApp(path, { redirect: "manual" });
		expect(res.status).toBe(302);
		const location = res.headers.get("location") ?? "";
		expect(location).toBe(next === null ? "/admin/login" : `/admin/login?next=${encodeURIComponent(next)}`);
		expect(new URL(location, SITE).origin).toBe(SITE);
	});

	it("redirects a form post to the plain sign-in page", async () => {
		const res = await fetchApp("/admin/articles", {
			method: "POST",
			body: new URLSearchParams({ a: "b" }),
			redirect: "manual",
		});
		expect(res.status).toBe(302);
		expect(res.headers.get("location")).toBe("/admin/login");
		expectPrivate(res);
	});

	it.each(["/api/admin", "/api/admin/articles", "/api/admin/no-such-route"])("%s answers 401 JSON", async (path) => {
		await expectJsonError(await fetchApp(path), 401, "unauthorized");
	});

	it("answers 401 to an API post without an Origin, not 403", async () => {
		await expectJsonError(await fetchApp("/api/admin/articles", { method: "POST", body: "{}" }), 401, "unauthorized");
	});

	it("does not take an Authorization header on the HTML admin", async () => {
		const authorization = await bearerToken(await createEditor());
		const res = await fetchApp("/admin/no-such-screen", { headers: { authorization }, redirect: "manual" });
		expect(res.status).toBe(302);
	});

	it("leaves the public site alone", async () => {
		const res = await fetchApp("/administrator");
		expect(res.status).toBe(404);
		expect(res.headers.get("x-robots-tag")).toBeNull();
	});
});

describe("signed in", () => {
	it("sets the editor and how they signed in; a 404 stays private", async () => {
		const editor = await createEditor({ name: "Uma" });
		const cookie = await sessionCookie(editor);
		const res = await fetchProbe("/api/admin/echo", { headers: { cookie } });
		expect(res.status).toBe(200);
		expectPrivate(res);
		const body = (await res.json()) as { editor: unknown; auth: { method: string } };
		expect(body.editor).toEqual({ id: editor.id, email: editor.email, name: "Uma", role: "editor" });
		expect(body.auth.method).toBe("session");

		const html404 = await fetchApp("/admin/no-such-screen", { headers: { cookie } });
		expect(html404.status).toBe(404);
		expect(html404.headers.get("content-type")).toMatch(/^text\/html/);
		expectPrivate(html404);
		await expectJsonError(await fetchApp("/api/admin/no-such-route", { headers: { cookie } }), 404, "not_found");
	});

	it("accepts an API token, records its use, and refuses it once revoked", async () => {
		const editor = await createEditor();
		const authorization = await bearerToken(editor, "ci");
		const res = await fetchProbe("/api/admin/echo", { headers: { authorization } });
		expect(res.status).toBe(200);
		const body = (await res.json()) as { editor: { id: number }; auth: { method: string; tokenName: string } };
		expect(body.editor.id).toBe(editor.id);
		expect(body.auth).toMatchObject({ method: "token", tokenName: "ci" });
		const [token] = await testDb().select().from(schema.apiTokens);
		expect(token?.lastUsedAt).toBeGreaterThan(0);

		await testDb()
			.update(schema.apiTokens)
			.set({ revokedAt: Date.now() })
			.where(eq(schema.apiTokens.editorId, editor.id));
		await expectJsonError(await fetchProbe("/api/admin/echo", { headers: { authorization } }), 401, "unauthorized");
	});

	it.each(["Bearer smt_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz"])(
		"refuses Authorization: %s",
		async (authorization) => {
			// A bad token is refused even beside a good cookie: the client said how it authenticates.
			const cookie = await sessionCookie(await createEditor());
			await expectJsonError(
				await fetchProbe("/api/admin/echo", { headers: { authorization, cookie } }),
				401,
				"unauthorized",
			);
		},
	);
});

describe("what it costs", () => {
	async function plans(queries: { sql: string; params: unknown[] }[]) {
		const details = [];
		for (const q of queries) {
			const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
				.bind(...q.params)
				.all<{ detail: string }>();
			details.push(results.map((r) => r.detail).join("\n"));
		}
		return details;
	}

	it("finds a session and its editor in one statement over the primary key", async () => {
		const cookie = await sessionCookie(await createEditor());
		const recorder = countingD1(env.DB);
		const res = await fetchProbe("/api/admin/echo", { headers: { cookie } }, { ...env, DB: recorder.db });
		expect(res.status).toBe(200);
		expect(recorder.counts).toEqual({ roundTrips: 1, statements: 1 });
		const [plan] = await plans(recorder.queries);
		expect(plan).toMatch(/SEARCH sessions USING INDEX sqlite_autoindex_sessions_1 \(token_hash=\?\)/);
		expect(plan).toMatch(/SEARCH editors USING INTEGER PRIMARY KEY/);
	});

	it("finds an API token and its editor in one statement over its unique index", async () => {
		const authorization = await bearerToken(await createEditor());
		await fetchProbe("/api/admin/echo", { headers: { authorization } });
		const recorder = countingD1(env.DB);
		const res = await fetchProbe("/api/admin/echo", { headers: { authorization } }, { ...env, DB: recorder.db });
		expect(res.status).toBe(200);
		// lastUsedAt was written by the first request, less than a minute ago: no write this time.
		expect(recorder.counts).toEqual({ roundTrips: 1, statements: 1 });
		const [plan] = await plans(recorder.queries);
		expect(plan).toMatch(/SEARCH api_tokens USING INDEX api_tokens_token_hash_unique \(token_hash=\?\)/);
	});
});

describe("the Origin check (CSRF)", () => {
	it("refuses a cookie post without an Origin or from another site, JSON under /api", async () => {
		const cookie = await sessionCookie(await createEditor());
		for (const origin of [null, "https://evil.example", "null", "http://localhost:8787"]) {
			const res = await adminFetch("/api/admin/echo", { cookie }, { json: { a: 1 }, origin });
			await expectJsonError(res, 403, "forbidden");
		}
	});

	it("refuses them with an HTML page on the admin", async () => {
		const cookie = await sessionCookie(await createEditor());
		const res = await adminFetch(
			"/admin/articles/new",
			{ cookie },
			{ form: { title: "x" }, origin: "https://evil.example" },
		);
		expect(res.status).toBe(403);
		expect(res.headers.get("content-type")).toMatch(/^text\/html/);
		expectPrivate(res);
	});

	it("lets a cookie post from the request's own origin or SITE_URL's through", async () => {
		const cookie = await sessionCookie(await createEditor());
		for (const origin of [TEST_ORIGIN, SITE]) {
			const res = await fetchProbe("/api/admin/echo", { method: "PATCH", headers: { cookie, origin }, body: "{}" });
			expect(res.status).toBe(200);
		}
		// Through the real app too: past the guard, to a route that does not exist.
		const res = await adminFetch("/api/admin/no-such-route", { cookie }, { json: {} });
		expect(res.status).toBe(404);
	});

	it("lets a bearer post without an Origin through", async () => {
		const authorization = await bearerToken(await createEditor());
		const res = await fetchProbe("/api/admin/echo", { method: "POST", headers: { authorization }, body: "{}" });
		expect(res.status).toBe(200);
		expectPrivate(res);
	});

	it("lets reads through without an Origin", async () => {
		const cookie = await sessionCookie(await createEditor());
		expect((await fetchProbe("/api/admin/echo", { headers: { cookie } })).status).toBe(200);
		expect((await fetchProbe("/api/admin/echo", { method: "HEAD", headers: { cookie } })).status).toBe(200);
	});
});

describe("the body limit", () => {
	const over = "x".repeat(ADMIN_BODY_LIMIT + 1);

	it("refuses a body over 1 MiB with 413 JSON, by its Content-Length", async () => {
		const authorization = await bearerToken(await createEditor());
		const res = await fetchApp("/api/admin/articles", {
			method: "POST",
			headers: { authorization, "content-type": "application/json" },
			body: over,
		});
		await expectJsonError(res, 413, "payload_too_large");
	});

	it("refuses a streamed body without a Content-Length once it passes 1 MiB", async () => {
		const authorization = await bearerToken(await createEditor());
		const stream = (text: string) =>
			new ReadableStream({
				start(controller) {
					const bytes = new TextEncoder().encode(text);
					for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
					controller.close();
				},
			});
		const request = new Request(`${TEST_ORIGIN}/api/admin/echo`, {
			method: "POST",
			headers: { authorization },
			body: stream(over),
		});
		expect(request.headers.has("content-length")).toBe(false);
		const ctx = createExecutionContext();
		const big = await probe.fetch(request, env, ctx);
		await waitOnExecutionContext(ctx);
		await expectJsonError(big, 413, "payload_too_large");

		const exact = "y".repeat(ADMIN_BODY_LIMIT);
		const ok = await fetchProbe("/api/admin/echo", { method: "POST", headers: { authorization }, body: stream(exact) });
		expect(ok.status).toBe(200);
		expect(((await ok.json()) as { bytes: number }).bytes).toBe(ADMIN_BODY_LIMIT);
	});

	it("answers an HTML form over the limit with a private HTML page", async () => {
		const cookie = await sessionCookie(await createEditor());
		const res = await adminFetch("/admin/articles/new", { cookie }, { form: { body: over } });
		expect(res.status).toBe(413);
		expect(res.headers.get("content-type")).toMatch(/^text\/html/);
		expectPrivate(res);
	});
});

describe("requireRole", () => {
	it("refuses an editor where an admin is required, and lets an admin through", async () => {
		const editor = await bearerToken(await createEditor({ role: "editor" }));
		const admin = await bearerToken(await createEditor({ role: "admin" }));
		const post = (authorization: string, path: string) =>
			fetchProbe(path, { method: "POST", headers: { authorization }, body: "{}" });
		await expectJsonError(await post(editor, "/api/admin/admins-only"), 403, "forbidden");
		expect((await post(admin, "/api/admin/admins-only")).status).toBe(200);
		expect((await post(editor, "/api/admin/editors-too")).status).toBe(200);
		expect((await post(admin, "/api/admin/editors-too")).status).toBe(200);
	});

	it("answers 403 with a private HTML page on the admin", async () => {
		const cookie = await sessionCookie(await createEditor({ role: "editor" }));
		const res = await fetchProbe("/admin/admins-only", { headers: { cookie } });
		expect(res.status).toBe(403);
		expect(res.headers.get("content-type")).toMatch(/^text\/html/);
		expectPrivate(res);
		const adminCookie = await sessionCookie(await createEditor({ role: "admin" }));
		expect((await fetchProbe("/admin/admins-only", { headers: { cookie: adminCookie } })).status).toBe(200);
	});
});

describe("Cloudflare Access in front", () => {
	afterEach(() => {
		vi.restoreAllMocks();
	});

	async function accessSetup() {
		const team = accessTeam();
		const key = await makeAccessKey();
		vi.spyOn(globalThis, "fetch").mockImplementation(fakeCerts(team, [key]).fetch);
		const bindings = { ...env, ACCESS_TEAM_DOMAIN: team.teamDomain, ACCESS_AUD: team.aud };
		const jwt = (email: string, overrides: Record<string, unknown> = {}) =>
			signAccessJwt(key, accessClaims(team, email, overrides));
		return { bindings, jwt };
	}

	it("requires the Access token on every admin address, the sign-in page included", async () => {
		const { bindings } = await accessSetup();
		const cookie = await sessionCookie(await createEditor());
		for (const path of ["/admin/login", "/admin", "/api/admin/echo"]) {
			const res = await fetchProbe(path, { headers: { cookie } }, bindings);
			expect(res.status).toBe(403);
			expectPrivate(res);
		}
	});

	it("lets an editor with a valid Access token and their own session in", async () => {
		const { bindings, jwt } = await accessSetup();
		const editor = await createEditor({ email: "vic@samarium.test" });
		const cookie = await sessionCookie(editor);
		const assertion = await jwt("Vic@Samarium.test");
		const res = await fetchProbe(
			"/api/admin/echo",
			{ headers: { cookie, "cf-access-jwt-assertion": assertion } },
			bindings,
		);
		expect(res.status).toBe(200);
		// Without a session, Access alone is not a sign-in: the sign-in page still opens.
		const login = await fetchApp("/admin/login", { headers: { "cf-access-jwt-assertion": assertion } }, bindings);
		expect(login.status).toBe(200);
		const other = await fetchProbe("/admin/other", { headers: { "cf-access-jwt-assertion": assertion } }, bindings);
		expect(other.status).toBe(302);
	});

	it("refuses an expired Access token, one for another audience, and one for someone not an editor", async () => {
		const { bindings, jwt } = await accessSetup();
		const editor = await createEditor({ email: "wyn@samarium.test" });
		const cookie = await sessionCookie(editor);
		const seconds = Math.floor(Date.now() / 1000);
		for (const assertion of [
			await jwt("wyn@samarium.test", { exp: seconds - 10, iat: seconds - 700, nbf: seconds - 700 }),
			await jwt("wyn@samarium.test", { aud: ["someone-else"] }),
			await jwt("stranger@samarium.test"),
		]) {
			const res = await fetchProbe(
				"/admin/login",
				{ headers: { cookie, "cf-access-jwt-assertion": assertion } },
				bindings,
			);
			expect(res.status).toBe(403);
		}
	});

	it("refuses a session that is not the Access user's own", async () => {
		const { bindings, jwt } = await accessSetup();
		await createEditor({ email: "xia@samarium.test" });
		const cookie = await sessionCookie(await createEditor({ email: "yan@samarium.test" }));
		const assertion = await jwt("xia@samarium.test");
		const res = await fetchProbe(
			"/api/admin/echo",
			{ headers: { cookie, "cf-access-jwt-assertion": assertion } },
			bindings,
		);
		await expectJsonError(res, 403, "forbidden");
	});
});

describe("plain http to an https site", () => {
	// SITE is https://samarium.test: a request for that host over http is what reaches the Worker
	// when Cloudflare's "Always Use HTTPS" is off.
	const insecure = SITE.replace(/^https:/, "http:");

	it("redirects reads of the admin to https (308), keeping the path and query", async () => {
		for (const path of ["/admin/login?next=%2Fadmin", "/api/admin/articles?status=draft"]) {
			const res = await fetchApp(`${insecure}${path}`, { redirect: "manual" });
			expect(res.status).toBe(308);
			expect(res.headers.get("location")).toBe(`${SITE}${path}`);
			expectPrivate(res);
		}
	});

	it("refuses a sign-in or any change over http, before any password is read", async () => {
		await createEditor({ email: "tls@samarium.test" });
		const res = await fetchApp(`${insecure}/admin/login`, {
			method: "POST",
			headers: { "content-type": "application/x-www-form-urlencoded", origin: insecure },
			body: new URLSearchParams({ email: "tls@samarium.test", password: "whatever-it-is" }),
		});
		expect(res.status).toBe(403);
		expect(res.headers.get("set-cookie")).toBeNull();
		expectPrivate(res);
		expect(await testDb().select().from(schema.loginThrottle)).toEqual([]);
	});

	it("redirects plain http on any other host too, to SITE_URL's origin with the path still encoded", async () => {
		for (const url of [
			"http://samarium.example.workers.dev/admin",
			"http://localhost/admin/articles?status=draft&q=a%20b",
			"http://evil.example/api/admin/articles",
			"http://1-samarium.example.workers.dev/admin/a%2F..%2F..%2Fevil%5Cx?next=%2F%2Fevil.example",
			"http://localhost/admin//evil.example/x",
		]) {
			for (const method of ["GET", "HEAD"]) {
				const res = await fetchApp(url, { method, redirect: "manual" });
				expect(res.status).toBe(308);
				expectPrivate(res);
				const location = res.headers.get("location") ?? "";
				const { pathname, search } = new URL(url);
				expect(location).toBe(`${SITE}${pathname}${search}`);
				expect(new URL(location, SITE).origin).toBe(SITE);
			}
		}
	});

	it("refuses changes over plain http on any host, HTML on the admin and JSON under /api, reading nothing", async () => {
		await createEditor({ email: "tls@samarium.test" });
		const host = "http://samarium.example.workers.dev";
		const login = await fetchApp(`${host}/admin/login`, {
			method: "POST",
			headers: { "content-type": "application/x-www-form-urlencoded", origin: host },
			body: new URLSearchParams({ email: "tls@samarium.test", password: "whatever-it-is" }),
		});
		expect(login.status).toBe(403);
		expect(login.headers.get("content-type")).toMatch(/^text\/html/);
		expect(login.headers.get("set-cookie")).toBeNull();
		expectPrivate(login);
		expect(await login.text()).toContain("https");

		const authorization = await bearerToken(await createEditor());
		const api = await fetchApp(`${host}/api/admin/echo`, {
			method: "PATCH",
			headers: { authorization, "content-type": "application/json" },
			body: "{}",
		});
		await expectJsonError(api, 403, "forbidden");
		expect(await testDb().select().from(schema.loginThrottle)).toEqual([]);
		expect(await testDb().select().from(schema.auditLog)).toEqual([]);
	});

	it("serves plain http where SITE_URL is plain http itself (local development)", async () => {
		const origin = "http://127.0.0.1:8787";
		const local = { ...env, SITE_URL: origin };
		const page = await fetchApp(`${origin}/admin/login`, {}, local);
		expect(page.status).toBe(200);
		await createEditor({ email: "dev@samarium.test" });
		const res = await fetchApp(
			`${origin}/admin/login`,
			{
				method: "POST",
				headers: { "content-type": "application/x-www-form-urlencoded", origin },
				body: new URLSearchParams({ email: "dev@samarium.test", password: TEST_PASSWORD }),
				redirect: "manual",
			},
			local,
		);
		expect(res.status).toBe(303);
		// Plain http cannot have the __Host- prefix (it requires Secure).
		const names = res.headers.getSetCookie().map((header) => header.split("=")[0] ?? "");
		expect(names).toContain("samarium_session");
		expect(names.filter((name) => name.startsWith("__Host-"))).toEqual([]);
	});
});
