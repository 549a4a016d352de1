import { describe, expect, it } from "vitest";
import { snapshotTables } from "../../hostile-helpers";
import { TEST_ORIGIN } from "../helpers";
import {
	type Body,
	expectAdminAnswer,
	expectNothingChanged,
	FINE_ARTICLE,
	f,
	type HostileCase,
	jsonOf,
	send,
	useFixture,
	type Who,
} from "./helpers";

// Sign-in redirects, credentials, the Origin check and HTTP methods, tricked with through the
// whole Worker: a `next` that would leave the admin, a cross-site form post, a token that is not
// one, an editor asking for an admin's screen, a forged cookie or Host, a method override, a method
// a route does not answer. Each is refused (or sent home) with its exact status, and nothing
// stored changes.

useFixture();

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
const signedInNext = NEXT_TRICKS.filter((_, k) => k % 2 === 0);
const signedOutNext = NEXT_TRICKS.filter((_, k) => k % 2 === 1);

/** Refused outright: a cross-site post, credentials that are not valid, a role that is not enough. */
const refusedCases: HostileCase[] = [
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
		([what, origin]): HostileCase => ({
			name: `a form post with the session cookie ${what} is a 403`,
			req: () => ({
				path: "/admin/topics",
				as: "admin",
				body: { form: { slug: "forged", name: "Forged" } },
				headers: { origin },
			}),
			status: 403,
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
		status: 403,
	},
	{
		name: "another site cannot sign an editor in",
		req: () => ({
			path: "/admin/login",
			as: "none",
			body: { form: { email: "a@b.test", password: "x" } },
			headers: { origin: "http://evil.example" },
		}),
		status: 403,
	},
	{
		name: "another site cannot sign an editor out",
		req: () => ({ path: "/admin/logout", as: "admin", body: { form: {} }, headers: { origin: "http://evil.example" } }),
		status: 403,
	},
	...[
		["a token that does not exist", "Bearer smt_not-a-real-token"],
		["an empty token", "Bearer "],
		["a token with a space in it", "Bearer smt_a smt_b"],
		["Basic credentials", "Basic YWRtaW46YWRtaW4="],
		["a token's hash instead of the token", `Bearer ${"a".repeat(64)}`],
	].map(
		([what, authorization]): HostileCase => ({
			name: `${what} is a 401, even next to a valid session cookie`,
			req: () => ({
				path: "/api/admin/articles",
				as: "admin",
				body: { json: { ...FINE_ARTICLE, slug: "would-be-created" } },
				headers: { authorization: authorization ?? "" },
			}),
			status: 401,
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
		([method, template, as, body]): HostileCase => ({
			name: `an editor (not an admin) is refused ${method} ${template} with 403`,
			req: () => ({
				method,
				path: template.replace(":other", String(f.other)).replace(":trashed", String(f.trashed)),
				as,
				body,
			}),
			status: 403,
		}),
	),
];

/** Methods a route does not answer: a 405 that names those it does. */
const WRONG_METHODS: [string, string, Who][] = [
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
];

describe("sign-in redirects, credentials, Origin and methods", () => {
	it.each(signedInNext)("signed in, /admin/login?next=%s goes to the admin's home", async (next) => {
		const before = await snapshotTables();
		const answer = await send({ path: `/admin/login?next=${encodeURIComponent(next)}`, as: "admin" });
		expectAdminAnswer(answer, 302);
		await expectNothingChanged(before, answer);
		expect(answer.res.headers.get("location")).toBe("/admin");
	});

	it.each(signedOutNext)("signed out, /admin/login?next=%s carries only the admin's home", async (next) => {
		const before = await snapshotTables();
		const answer = await send({ path: `/admin/login?next=${encodeURIComponent(next)}`, as: "none" });
		expectAdminAnswer(answer, 200);
		await expectNothingChanged(before, answer);
		expect(answer.text).toContain('name="next" value="/admin"');
	});

	it.each(refusedCases)("$name", async ({ req, status, fields }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status, fields);
		await expectNothingChanged(before, answer);
	});

	it("signed out, an admin screen redirects to sign-in with the address kept", async () => {
		const before = await snapshotTables();
		const answer = await send({ path: "/admin/tokens?x=%3Cscript%3E", as: "none" });
		expectAdminAnswer(answer, 302);
		await expectNothingChanged(before, answer);
		expect(answer.res.headers.get("location")).toBe(
			`/admin/login?next=${encodeURIComponent("/admin/tokens?x=%3Cscript%3E")}`,
		);
	});

	it("signed out, a form post redirects to the plain sign-in page", async () => {
		const before = await snapshotTables();
		const answer = await send({
			path: "/admin/topics",
			as: "none",
			body: { form: { slug: "anon", name: "Anon" } },
			headers: { origin: TEST_ORIGIN },
		});
		expectAdminAnswer(answer, 302);
		await expectNothingChanged(before, answer);
		expect(answer.res.headers.get("location")).toBe("/admin/login");
	});

	it.each<HostileCase>([
		{
			name: "signed out, the JSON API is a 401",
			req: () => ({ path: "/api/admin/purge", as: "none", body: { json: { all: true } } }),
			status: 401,
		},
		{
			name: "a huge cookie header opens nothing",
			req: () => ({
				path: "/api/admin/articles",
				as: "none",
				headers: { cookie: `__Host-samarium_session=${"x".repeat(8000)}` },
			}),
			status: 401,
		},
	])("$name", async ({ req, status }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status);
		await expectNothingChanged(before, answer);
	});

	it("a forged session cookie opens nothing and is cleared", async () => {
		const before = await snapshotTables();
		const answer = await send({
			path: "/admin",
			as: "none",
			headers: { cookie: "__Host-samarium_session=forged; theme=dark" },
		});
		expectAdminAnswer(answer, 302);
		await expectNothingChanged(before, answer);
		expect(answer.res.headers.get("set-cookie") ?? "").toMatch(/^__Host-samarium_session=; Max-Age=0/);
	});

	it("a forged Host and X-Forwarded-Host do not reach the admin's links", async () => {
		const before = await snapshotTables();
		const answer = await send({
			path: "https://evil.example/admin",
			as: "admin",
			headers: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", forwarded: "host=evil.example" },
		});
		expectAdminAnswer(answer, 200);
		await expectNothingChanged(before, answer);
		expect(answer.text).not.toContain("evil.example");
	});

	it.each<HostileCase>([
		{
			name: "X-HTTP-Method-Override is not honoured: a POST restore stays a restore (409: not in the trash)",
			req: () => ({
				method: "POST",
				path: `/api/admin/articles/${f.article}/restore`,
				as: "bearer",
				headers: { "x-http-method-override": "DELETE" },
			}),
			status: 409,
		},
		{
			name: "X-HTTP-Method-Override on a read changes nothing",
			req: () => ({
				path: `/api/admin/articles/${f.article}`,
				as: "bearer",
				headers: { "x-http-method-override": "DELETE" },
			}),
			status: 200,
		},
	])("$name", async ({ req, status }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status);
		await expectNothingChanged(before, answer);
	});

	it("X-Original-URL and X-Rewrite-URL do not route a read somewhere else", async () => {
		const before = await snapshotTables();
		const answer = await send({
			path: "/api/admin/pages",
			as: "bearer",
			headers: { "x-original-url": "/api/admin/editors/1", "x-rewrite-url": "/api/admin/tokens" },
		});
		expectAdminAnswer(answer, 200);
		await expectNothingChanged(before, answer);
		expect(jsonOf(answer)).toHaveProperty("pages");
	});

	it.each(WRONG_METHODS)("%s %s is a 405 naming the methods it answers", async (method, template, as) => {
		const before = await snapshotTables();
		const answer = await send({ method, path: template.replace(":article", String(f.article)), as });
		expectAdminAnswer(answer, 405);
		await expectNothingChanged(before, answer);
		expect(answer.res.headers.get("allow")).toBeTruthy();
	});

	it.each<HostileCase>([
		{
			name: "HEAD of an admin screen answers with no body",
			req: () => ({ method: "HEAD", path: "/admin", as: "editor" }),
			status: 200,
		},
		{
			name: "HEAD of an admin list answers with no body",
			req: () => ({ method: "HEAD", path: "/api/admin/articles", as: "bearer" }),
			status: 200,
		},
	])("$name", async ({ req, status }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status);
		await expectNothingChanged(before, answer);
	});
});
