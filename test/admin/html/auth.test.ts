import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { safeNext } from "../../../src/admin/html/auth";
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "../../../src/db/queries/sessions";
import { EMAIL_RULE } from "../../../src/db/queries/throttle";
import * as schema from "../../../src/db/schema";
import { hashToken } from "../../../src/lib/tokens";
import { countingD1, fetchApp, resetDb, SITE, testDb } from "../../helpers";
import {
	adminFetch,
	cookiePair,
	createEditor,
	expectPrivate,
	HTTP_BASE,
	httpSite,
	postLogin,
	sessionCookie,
	sessionSetCookie,
	setCookieOf,
	TEST_ORIGIN,
	TEST_PASSWORD,
} from "../helpers";

const MINUTE = 60_000;

async function sessionRows() {
	return testDb().select().from(schema.sessions);
}

async function auditRows(action: string) {
	return testDb().select().from(schema.auditLog).where(eq(schema.auditLog.action, action));
}

/** Any guarded address answers 404 to a signed-in editor and 302 to anyone else. */
async function isSignedIn(cookie: string, base = TEST_ORIGIN, bindings: Env = env): Promise<boolean> {
	const res = await fetchApp(`${base}/admin/no-such-screen`, { headers: { cookie }, redirect: "manual" }, bindings);
	expectPrivate(res);
	if (res.status === 302) return false;
	expect(res.status).toBe(404);
	return true;
}

beforeEach(resetDb);

describe("the sign-in page", () => {
	it("has labelled fields with autocomplete hints, no-store and noindex", async () => {
		const res = await fetchApp("/admin/login?next=%2Fadmin%2Ftopics");
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toMatch(/^text\/html/);
		expectPrivate(res);
		const html = await res.text();
		expect(html).toContain('<form class="form" method="post" action="/admin/login"');
		expect(html).toMatch(/<label for="login-email">Email<\/label>\s*<input id="login-email" name="email" type="email"/);
		expect(html).toContain('autocomplete="username"');
		expect(html).toMatch(/<label for="login-password">Password<\/label>/);
		expect(html).toContain('autocomplete="current-password"');
		expect(html).toContain('<input type="hidden" name="next" value="/admin/topics"/>');
	});

	it("sends a signed-in editor on to the admin", async () => {
		const cookie = await sessionCookie(await createEditor());
		const res = await fetchApp("/admin/login", { headers: { cookie }, redirect: "manual" });
		expect(res.status).toBe(302);
		expect(res.headers.get("location")).toBe("/admin");
		expectPrivate(res);
	});
});

describe("signing in", () => {
	it("issues a fresh HttpOnly, SameSite=Lax session cookie and stores only its hash (plain http)", async () => {
		const editor = await createEditor({ email: "ana@samarium.test" });
		const http = { base: HTTP_BASE, bindings: httpSite() };
		const res = await postLogin({ email: "  Ana@Samarium.TEST ", password: TEST_PASSWORD }, http);
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/admin");
		expectPrivate(res);

		const setCookie = sessionSetCookie(res);
		const [pair, ...attributes] = setCookie.split("; ");
		const [name, token = ""] = (pair ?? "").split("=");
		expect(name).toBe("samarium_session");
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(attributes.sort()).toEqual(
			[`Max-Age=${SESSION_ABSOLUTE_MS / 1000}`, "Path=/", "HttpOnly", "SameSite=Lax"].sort(),
		);

		const rows = await sessionRows();
		expect(rows).toHaveLength(1);
		const [row] = rows;
		expect(row?.tokenHash).toBe(await hashToken(token));
		expect(JSON.stringify(row)).not.toContain(token);
		expect(row?.editorId).toBe(editor.id);
		expect((row?.expiresAt ?? 0) - (row?.createdAt ?? 0)).toBe(SESSION_ABSOLUTE_MS);

		expect(await isSignedIn(`samarium_session=${token}`, http.base, http.bindings)).toBe(true);
		const [entry] = await auditRows("login.success");
		expect(entry).toMatchObject({
			editorId: editor.id,
			editorEmail: "ana@samarium.test",
			subject: `editor:${editor.id}`,
		});
	});

	it("uses the __Host- prefix and Secure over https, and only that cookie there", async () => {
		await createEditor({ email: "https@samarium.test" });
		const base = "https://localhost";
		const res = await postLogin({ email: "https@samarium.test", password: TEST_PASSWORD }, { base });
		expect(res.status).toBe(303);
		const setCookie = sessionSetCookie(res);
		expect(setCookie).toMatch(/^__Host-samarium_session=[A-Za-z0-9_-]{43}; /);
		const attributes = setCookie.split("; ").slice(1).sort();
		expect(attributes).toEqual(
			[`Max-Age=${SESSION_ABSOLUTE_MS / 1000}`, "Path=/", "HttpOnly", "Secure", "SameSite=Lax"].sort(),
		);
		const token = cookiePair(res).split("=")[1] ?? "";

		expect(await isSignedIn(`__Host-samarium_session=${token}`, base)).toBe(true);
		// The unprefixed name could have been planted over plain http: https ignores it, and
		// plain http knows nothing of the prefixed one.
		expect(await isSignedIn(`samarium_session=${token}`, base)).toBe(false);
		expect(await isSignedIn(`__Host-samarium_session=${token}`, HTTP_BASE, httpSite())).toBe(false);
	});

	it("replaces the session the browser already had", async () => {
		const editor = await createEditor({ email: "again@samarium.test" });
		const old = await sessionCookie(editor);
		const res = await postLogin({ email: "again@samarium.test", password: TEST_PASSWORD }, { cookie: old });
		expect(res.status).toBe(303);
		const rows = await sessionRows();
		expect(rows).toHaveLength(1);
		expect(rows[0]?.tokenHash).toBe(await hashToken(cookiePair(res).split("=")[1] ?? ""));
		expect(await isSignedIn(old)).toBe(false);
	});

	it("refuses a wrong password inline, keeping the email and never echoing the password", async () => {
		const editor = await createEditor({ email: "bea@samarium.test" });
		const res = await postLogin({ email: "bea@samarium.test", password: "not-the-password-9" });
		expect(res.status).toBe(401);
		expect(res.headers.get("content-type")).toMatch(/^text\/html/);
		expectPrivate(res);
		expect(res.headers.get("set-cookie")).toBeNull();
		const html = await res.text();
		expect(html).toContain("Email or password is incorrect.");
		expect(html).toContain('value="bea@samarium.test"');
		expect(html).not.toContain("not-the-password-9");
		expect(await sessionRows()).toHaveLength(0);
		const [entry] = await auditRows("login.fail");
		expect(entry).toMatchObject({ editorId: editor.id, editorEmail: "bea@samarium.test" });
		expect(JSON.parse(entry?.detail ?? "{}")).toMatchObject({ reason: "wrong password" });
	});

	it("answers an unknown email exactly as a wrong password", async () => {
		await createEditor({ email: "cai@samarium.test" });
		const wrong = await postLogin({ email: "cai@samarium.test", password: "not-the-password-9" });
		const unknown = await postLogin({ email: "dan@samarium.test", password: "not-the-password-9" });
		expect(unknown.status).toBe(wrong.status);
		expect(unknown.headers.get("set-cookie")).toBeNull();
		const unknownHtml = (await unknown.text()).replaceAll("dan@samarium.test", "EMAIL");
		const wrongHtml = (await wrong.text()).replaceAll("cai@samarium.test", "EMAIL");
		expect(unknownHtml).toBe(wrongHtml);

		const [entry] = (await auditRows("login.fail")).filter((row) => row.editorId === null);
		expect(entry).toMatchObject({ editorEmail: "dan@samarium.test", subject: "email:dan@samarium.test" });
	});

	it("normalizes and bounds the typed email in the audit entry of an unknown address", async () => {
		const long = `${"x".repeat(400)}@Samarium.test`;
		const res = await postLogin({ email: `  ${long}`, password: "whatever-password" });
		expect(res.status).toBe(401);
		const [entry] = await auditRows("login.fail");
		expect(entry?.editorId).toBeNull();
		expect(entry?.editorEmail).toBe("x".repeat(318));
	});

	it("asks for both fields when one is empty, with the email kept", async () => {
		const res = await postLogin({ email: "eve@samarium.test", password: "" });
		expect(res.status).toBe(400);
		expectPrivate(res);
		const html = await res.text();
		expect(html).toContain("Enter your password.");
		expect(html).toContain('value="eve@samarium.test"');
		expect(html).toContain('aria-invalid="true"');
		expect(await auditRows("login.fail")).toHaveLength(0);
	});

	it("refuses a sign-in posted by another site, or without an Origin", async () => {
		await createEditor({ email: "fay@samarium.test" });
		for (const origin of ["https://evil.example", null]) {
			const res = await postLogin({ email: "fay@samarium.test", password: TEST_PASSWORD }, { origin });
			expect(res.status).toBe(403);
			expectPrivate(res);
			expect(res.headers.get("set-cookie")).toBeNull();
		}
		expect(await sessionRows()).toHaveLength(0);
	});
});

describe("what a sign-in costs", () => {
	it("is two D1 round trips, success or failure: count and look up, then write", async () => {
		await createEditor({ email: "max@samarium.test" });
		for (const [password, status] of [
			["wrong-password", 401],
			[TEST_PASSWORD, 303],
		] as const) {
			const counted = countingD1(env.DB);
			const res = await postLogin({ email: "max@samarium.test", password }, { bindings: { ...env, DB: counted.db } });
			expect(res.status).toBe(status);
			expect(counted.counts.roundTrips).toBe(2);
		}
	});
});

describe("throttling", () => {
	it("locks an email after 5 failures, even against the right password, until the lock ends", async () => {
		const editor = await createEditor({ email: "gus@samarium.test" });
		for (let i = 1; i < EMAIL_RULE.limit; i++) {
			const res = await postLogin(
				{ email: "gus@samarium.test", password: `wrong-password-${i}` },
				{ ip: `198.51.100.${i}` },
			);
			expect(res.status).toBe(401);
		}
		const locking = await postLogin(
			{ email: "GUS@samarium.test", password: "wrong-password-5" },
			{ ip: "198.51.100.5" },
		);
		expect(locking.status).toBe(429);

		const right = await postLogin({ email: "gus@samarium.test", password: TEST_PASSWORD }, { ip: "198.51.100.6" });
		expect(right.status).toBe(429);
		expectPrivate(right);
		expect(right.headers.get("set-cookie")).toBeNull();
		const retryAfter = Number(right.headers.get("retry-after"));
		expect(retryAfter).toBeGreaterThan(14 * 60);
		expect(retryAfter).toBeLessThanOrEqual(15 * 60);
		const html = await right.text();
		expect(html).toMatch(/Too many failed sign-ins\. Try again in 15 minutes \(after \d\d:\d\d UTC\)\./);
		expect(html).toContain('value="gus@samarium.test"');
		expect(await sessionRows()).toHaveLength(0);

		// Another editor, from the same addresses, is not locked out.
		await createEditor({ email: "hal@samarium.test" });
		expect(
			(await postLogin({ email: "hal@samarium.test", password: TEST_PASSWORD }, { ip: "198.51.100.6" })).status,
		).toBe(303);

		// Once the lock is over, the right password works and clears the count.
		await testDb()
			.update(schema.loginThrottle)
			.set({ windowStartedAt: Date.now() - 31 * MINUTE, lockedUntil: Date.now() - MINUTE })
			.where(eq(schema.loginThrottle.key, "email:gus@samarium.test"));
		const after = await postLogin({ email: "gus@samarium.test", password: TEST_PASSWORD }, { ip: "198.51.100.7" });
		expect(after.status).toBe(303);
		const keys = (await testDb().select().from(schema.loginThrottle)).map((row) => row.key);
		expect(keys).not.toContain("email:gus@samarium.test");
		expect((await sessionRows()).map((row) => row.editorId)).toContain(editor.id);
	});

	it("checks no more than 5 passwords when 30 attempts for one email arrive at once", async () => {
		await createEditor({ email: "kit@samarium.test" });
		const answers = await Promise.all(
			Array.from({ length: 30 }, (_, i) =>
				postLogin({ email: "kit@samarium.test", password: `wrong-password-${i}` }, { ip: `198.51.100.${i + 1}` }),
			),
		);
		const statuses = answers.map((res) => res.status);
		expect(statuses.filter((status) => status === 401)).toHaveLength(EMAIL_RULE.limit - 1);
		expect(statuses.filter((status) => status === 429)).toHaveLength(30 - (EMAIL_RULE.limit - 1));
		// Each checked password leaves a login.fail entry; the refused ones were never checked.
		expect(await auditRows("login.fail")).toHaveLength(EMAIL_RULE.limit);
		expect(
			(await postLogin({ email: "kit@samarium.test", password: TEST_PASSWORD }, { ip: "198.51.100.99" })).status,
		).toBe(429);
		expect(await sessionRows()).toHaveLength(0);
	});

	it("does not count a successful sign-in against the client address", async () => {
		const ip = "203.0.113.50";
		await createEditor({ email: "lee@samarium.test" });
		for (let i = 0; i < 25; i++) {
			expect((await postLogin({ email: "lee@samarium.test", password: TEST_PASSWORD }, { ip })).status).toBe(303);
		}
		const [row] = await testDb()
			.select()
			.from(schema.loginThrottle)
			.where(eq(schema.loginThrottle.key, `ip:${ip}`));
		expect(row).toMatchObject({ failures: 0, lockedUntil: null });
	}, 30_000);

	it("starts the count over when the window has passed", async () => {
		await createEditor({ email: "ida@samarium.test" });
		for (let i = 1; i < EMAIL_RULE.limit; i++) {
			expect((await postLogin({ email: "ida@samarium.test", password: `wrong-password-${i}` })).status).toBe(401);
		}
		await testDb()
			.update(schema.loginThrottle)
			.set({ windowStartedAt: Date.now() - EMAIL_RULE.windowMs - 1 })
			.where(eq(schema.loginThrottle.key, "email:ida@samarium.test"));
		expect((await postLogin({ email: "ida@samarium.test", password: "wrong-password-5" })).status).toBe(401);
		const [row] = await testDb()
			.select()
			.from(schema.loginThrottle)
			.where(eq(schema.loginThrottle.key, "email:ida@samarium.test"));
		expect(row).toMatchObject({ failures: 1, lockedUntil: null });
	});

	it("locks a client address after 20 failures across many emails", async () => {
		const ip = "203.0.113.7";
		for (let i = 1; i < 20; i++) {
			const res = await postLogin({ email: `guess${i}@samarium.test`, password: "wrong-password" }, { ip });
			expect(res.status).toBe(401);
		}
		expect((await postLogin({ email: "guess20@samarium.test", password: "wrong-password" }, { ip })).status).toBe(429);

		await createEditor({ email: "jo@samarium.test" });
		const locked = await postLogin({ email: "jo@samarium.test", password: TEST_PASSWORD }, { ip });
		expect(locked.status).toBe(429);
		const elsewhere = await postLogin({ email: "jo@samarium.test", password: TEST_PASSWORD }, { ip: "203.0.113.8" });
		expect(elsewhere.status).toBe(303);
	}, 30_000);
});

describe("a form that cannot be read", () => {
	it.each([
		["a multipart body with no such boundary", "multipart/form-data; boundary=zz", "nope"],
		["a multipart type with no boundary", "multipart/form-data", "email=a"],
	])("is a 400, not a 500: %s", async (_name, type, body) => {
		const res = await fetchApp("/admin/login", {
			method: "POST",
			headers: { "content-type": type, origin: TEST_ORIGIN },
			body,
		});
		expect(res.status).toBe(400);
		expectPrivate(res);
		expect(await res.text()).toContain("The form could not be read");
		const editor = await createEditor();
		const cookie = await sessionCookie(editor);
		const form = await fetchApp("/admin/articles", {
			method: "POST",
			headers: { "content-type": type, origin: TEST_ORIGIN, cookie },
			body,
		});
		expect(form.status).toBe(400);
		expectPrivate(form);
	});
});

describe("session expiry", () => {
	it("ends a session idle for longer than the idle limit: redirected to sign in, row gone, cookie cleared", async () => {
		const editor = await createEditor();
		const now = Date.now();
		const cookie = await sessionCookie(editor, {
			createdAt: now - SESSION_IDLE_MS - MINUTE,
			lastSeenAt: now - SESSION_IDLE_MS - 1,
		});
		const res = await fetchApp("/admin/articles?status=draft", { headers: { cookie }, redirect: "manual" });
		expect(res.status).toBe(302);
		expect(res.headers.get("location")).toBe("/admin/login?next=%2Fadmin%2Farticles%3Fstatus%3Ddraft");
		expect(res.headers.get("set-cookie")).toMatch(
			/^__Host-samarium_session=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
		);
		expectPrivate(res);
		expect(await sessionRows()).toHaveLength(0);
	});

	it("ends a session at its absolute expiry however recently it was used", async () => {
		const editor = await createEditor();
		const now = Date.now();
		const cookie = await sessionCookie(editor, {
			createdAt: now - SESSION_ABSOLUTE_MS,
			lastSeenAt: now,
			expiresAt: now - 1,
		});
		const res = await fetchApp("/admin", { headers: { cookie }, redirect: "manual" });
		expect(res.status).toBe(302);
		expect(res.headers.get("location")).toBe("/admin/login?next=%2Fadmin");
		expect(await sessionRows()).toHaveLength(0);
	});

	it("renews lastSeenAt now and then, not on every request", async () => {
		const editor = await createEditor();
		const now = Date.now();
		const stale = await sessionCookie(editor, { lastSeenAt: now - 10 * MINUTE });
		const fresh = await sessionCookie(editor, { lastSeenAt: now - MINUTE });
		expect(await isSignedIn(stale)).toBe(true);
		expect(await isSignedIn(fresh)).toBe(true);
		const seen = (await sessionRows()).map((row) => row.lastSeenAt).sort();
		expect(seen[0]).toBe(now - MINUTE);
		expect(seen[1]).toBeGreaterThanOrEqual(now);
	});

	it("sweeps other expired sessions when someone signs in", async () => {
		const editor = await createEditor({ email: "kim@samarium.test" });
		const now = Date.now();
		await sessionCookie(editor, { expiresAt: now - 1 });
		await sessionCookie(editor, { lastSeenAt: now - SESSION_IDLE_MS - 1 });
		const live = await sessionCookie(editor);
		expect(await sessionRows()).toHaveLength(3);
		expect((await postLogin({ email: "kim@samarium.test", password: TEST_PASSWORD })).status).toBe(303);
		expect(await sessionRows()).toHaveLength(2);
		expect(await isSignedIn(live)).toBe(true);
	});
});

describe("signing out", () => {
	it("deletes the session row and clears the cookie; the old cookie opens nothing", async () => {
		const editor = await createEditor({ email: "lee@samarium.test" });
		const login = await postLogin({ email: "lee@samarium.test", password: TEST_PASSWORD });
		const cookie = cookiePair(login);
		expect(await sessionRows()).toHaveLength(1);

		const res = await adminFetch("/admin/logout", { cookie }, { method: "POST" });
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/admin/login?signed-out=1");
		// (The only other cookie is D1's bookmark: a point in the database's history, not an identity.)
		expect(setCookieOf(res, "__Host-samarium_session")).toBe(
			"__Host-samarium_session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax",
		);
		expect(res.headers.getSetCookie().filter((c) => !c.startsWith("__Host-samarium_bookmark="))).toHaveLength(1);
		expectPrivate(res);
		expect(await sessionRows()).toHaveLength(0);
		expect(await isSignedIn(cookie)).toBe(false);
		const [entry] = await auditRows("logout");
		expect(entry).toMatchObject({ editorId: editor.id, subject: `editor:${editor.id}` });
	});

	it("refuses a sign-out posted by another site, or without an Origin", async () => {
		const cookie = await sessionCookie(await createEditor());
		for (const origin of ["https://evil.example", null]) {
			const res = await adminFetch("/admin/logout", { cookie }, { method: "POST", origin });
			expect(res.status).toBe(403);
			expectPrivate(res);
		}
		expect(await sessionRows()).toHaveLength(1);
		expect(await isSignedIn(cookie)).toBe(true);
	});

	it("goes to the sign-in page without a session too", async () => {
		const res = await fetchApp("/admin/logout", {
			method: "POST",
			headers: { origin: TEST_ORIGIN },
			redirect: "manual",
		});
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/admin/login?signed-out=1");
	});

	it("says so on the sign-in page it leads to, in a fixed sentence whatever the address says", async () => {
		const confirm = '<div class="flash flash-ok" role="status"><p>You are signed out.</p></div>';
		const res = await fetchApp("/admin/login?signed-out=1", { redirect: "manual" });
		expect(res.status).toBe(200);
		expectPrivate(res);
		expect(await res.text()).toContain(confirm);
		const forged = await (await fetchApp("/admin/login?signed-out=%3Cb%3EYou%20were%20hacked")).text();
		expect(forged).toContain(confirm);
		expect(forged).not.toContain("hacked");
		expect(await (await fetchApp("/admin/login")).text()).not.toContain("signed out");
		// A failed sign-in after it shows the failure, not the confirmation.
		const failed = await postLogin({ email: "nobody@samarium.test", password: "wrong" });
		expect(await failed.text()).not.toContain("signed out");
	});
});

describe("where sign-in leads", () => {
	it("goes back to the admin page that asked for it", async () => {
		await createEditor({ email: "max@samarium.test" });
		const asked = await fetchApp("/admin/articles?status=draft&q=a%20b", { redirect: "manual" });
		const loginUrl = new URL(asked.headers.get("location") ?? "", TEST_ORIGIN);
		const next = loginUrl.searchParams.get("next") ?? "";
		expect(next).toBe("/admin/articles?status=draft&q=a%20b");
		const page = await (await fetchApp(loginUrl.pathname + loginUrl.search)).text();
		expect(page).toContain('name="next" value="/admin/articles?status=draft&amp;q=a%20b"');
		const res = await postLogin({ email: "max@samarium.test", password: TEST_PASSWORD, next });
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/admin/articles?status=draft&q=a%20b");
	});

	it.each([
		"//evil.example/admin",
		"https://evil.example/admin",
		"/\\evil.example/admin",
		"\\\\evil.example",
		"/admin/../evil",
		"/%2e%2e/evil",
		"javascript:alert(1)",
		"/adminx",
		"/ admin",
		"/admin/login",
		"",
	])("ignores next=%j", async (next) => {
		await createEditor({ email: "nia@samarium.test" });
		const res = await postLogin({ email: "nia@samarium.test", password: TEST_PASSWORD, next });
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/admin");
		const page = await (await fetchApp(`/admin/login?next=${encodeURIComponent(next)}`)).text();
		expect(page).toContain('name="next" value="/admin"');
	});

	it("keeps only same-site admin paths", () => {
		expect(safeNext("/admin", SITE)).toBe("/admin");
		expect(safeNext("/admin/articles/12/edit", SITE)).toBe("/admin/articles/12/edit");
		expect(safeNext("/admin//evil.example", SITE)).toBe("/admin//evil.example");
		expect(safeNext("/admin/a/../../evil", SITE)).toBe("/admin");
		expect(safeNext(["/admin/topics"], SITE)).toBe("/admin");
		expect(safeNext(undefined, SITE)).toBe("/admin");
	});

	// Encoded and browser-specific ways out of the admin, or off the site: each must come back as
	// an admin path that a browser, resolving it against SITE_URL, keeps on SITE_URL's origin.
	it.each([
		["/admin/..%2F..%2Fevil", "/admin"],
		["/admin/..%2f..%2fevil", "/admin"],
		["/admin%2F", "/admin"],
		["/admin%2Fevil.example", "/admin"],
		["/admin/%5Cevil.example", "/admin"],
		["/admin/%5cevil.example", "/admin"],
		["/admin/\\evil.example", "/admin"],
		["/\\evil.example/admin", "/admin"],
		["/admin/%2e%2e/evil", "/admin"],
		["/admin/%2E%2E/%2e%2E/evil", "/admin"],
		["/admin/.%2e/evil", "/admin"],
		["/admin/%2e/topics", "/admin/topics"],
		["/admin/\tevil", "/admin"],
		["/admin\n/evil", "/admin"],
		["/\t/evil.example/admin", "/admin"],
		["\t/admin", "/admin"],
		[" /admin", "/admin"],
		["/admin\u0000", "/admin"],
		["/admin/topics\u2028", "/admin"],
		["//evil.example/admin", "/admin"],
		["///evil.example/admin", "/admin"],
		["https://evil.example/admin", "/admin"],
		["https:/admin", "/admin"],
		["https:admin", "/admin"],
		["https://samarium.test/admin/topics", "/admin"],
		["/evil", "/admin"],
		["/", "/admin"],
		["/adminx", "/admin"],
		["/api/admin/articles", "/admin"],
		["/admin/login?next=/admin", "/admin"],
		["/admin/logout", "/admin"],
		["/admin/./topics", "/admin/topics"],
		["/admin/topics#top", "/admin/topics"],
		["/admin/articles?q=a%2Fb", "/admin/articles?q=a%2Fb"],
		["/admin/articles?q=<b>", "/admin/articles?q=%3Cb%3E"],
		["/admin/caf\u00e9", "/admin/caf%C3%A9"],
	])("turns next=%j into %j", (value, expected) => {
		const next = safeNext(value, SITE);
		expect(next).toBe(expected);
		const resolved = new URL(next, SITE);
		expect(resolved.origin).toBe(SITE);
		expect(resolved.pathname === "/admin" || resolved.pathname.startsWith("/admin/")).toBe(true);
	});

	it("never gives a way off the site or out of the admin, however the tricks are combined", () => {
		const pieces = [
			"/",
			"//",
			"\\",
			"%2F",
			"%5C",
			"%2e",
			".",
			"..",
			"admin",
			"evil.example",
			"\t",
			":",
			"@",
			"?",
			"#",
			"https:",
		];
		let seed = 7;
		const random = () => {
			seed = (seed * 48_271) % 2_147_483_647;
			return seed;
		};
		for (let n = 0; n < 3000; n++) {
			let value = random() % 2 === 0 ? "/admin" : "";
			for (let k = random() % 6; k >= 0; k--) value += pieces[random() % pieces.length];
			const next = safeNext(value, SITE);
			for (const base of [SITE, "https://samarium.example.workers.dev/admin/x/y"]) {
				const resolved = new URL(next, base);
				expect(resolved.origin, value).toBe(new URL(base).origin);
				expect(resolved.pathname === "/admin" || resolved.pathname.startsWith("/admin/"), value).toBe(true);
				expect(resolved.pathname, value).not.toMatch(/%(2f|5c|2e)/i);
			}
		}
	});
});
