import { describe, expect, it } from "vitest";
import { snapshotTables } from "../../hostile-helpers";
import {
	type Body,
	expectAdminAnswer,
	expectNothingChanged,
	f,
	type HostileCase,
	pick,
	send,
	useFixture,
	type Who,
} from "./helpers";

// Odd ids and slugs in the paths of every admin screen, form and /api/admin endpoint, through the
// whole Worker: nothing has such an id or slug, so each is a 404 in the route's format (JSON under
// /api, an admin page elsewhere), private, with no stack or SQL text, and nothing stored changes.

useFixture();

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

/** Each route with `perRoute` of the odd segments, rotating (see pick). */
function pathCases(routes: PathRoute[], odd: string[], perRoute: number): HostileCase[] {
	return routes.flatMap((route, r) =>
		pick(odd, r * perRoute, perRoute).map((segment) => ({
			name: `${route.method} ${route.label.replace("*", segment.length > 40 ? `${segment.slice(0, 12)}…` : segment)}`,
			req: () => ({ method: route.method, path: route.path(segment), as: route.as, body: route.body }),
			status: 404,
		})),
	);
}

describe("odd ids in paths are a 404 and change nothing", () => {
	it.each(pathCases(ID_ROUTES, ODD_IDS, 3))("$name", async ({ req, status }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status);
		await expectNothingChanged(before, answer);
	});
});

describe("odd slugs in paths are a 404 and change nothing", () => {
	it.each(pathCases(SLUG_ROUTES, ODD_SLUGS, 3))("$name", async ({ req, status }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status);
		await expectNothingChanged(before, answer);
	});
});

// A dot segment, plain or encoded, is resolved by URL parsing before any route sees it: the
// address is then its parent's, which a read is redirected from (trailing slash) and a write finds
// nothing at.
describe("dot segments in paths never reach a handler", () => {
	it("GET /admin/topics/.. is the admin's home, by redirect", async () => {
		const before = await snapshotTables();
		const answer = await send({ path: "/admin/topics/..", as: "admin" });
		expectAdminAnswer(answer, 301);
		await expectNothingChanged(before, answer);
		expect(answer.res.headers.get("location")).toBe("/admin");
	});

	it("GET /api/admin/articles/%2e%2e is the API's root, by redirect", async () => {
		const before = await snapshotTables();
		const answer = await send({ path: "/api/admin/articles/%2e%2e", as: "bearer" });
		expectAdminAnswer(answer, 301);
		await expectNothingChanged(before, answer);
		expect(answer.res.headers.get("location")).toBe("/api/admin");
	});

	it.each<HostileCase>([
		{
			name: "POST /admin/regions/.. finds nothing",
			req: () => ({ path: "/admin/regions/..", as: "admin", body: { form: { slug: "renamed", name: "R" } } }),
			status: 404,
		},
		{
			name: "DELETE /api/admin/topics/%2E%2E finds nothing",
			req: () => ({ method: "DELETE", path: "/api/admin/topics/%2E%2E", as: "bearer" }),
			status: 404,
		},
		{
			name: "PUT /api/admin/pages/../pages/about is the About page itself",
			req: () => ({
				method: "PUT",
				path: "/api/admin/pages/../pages/about",
				as: "bearer",
				body: { json: { title: 5, bodyMarkdown: "B" } },
			}),
			status: 400,
			fields: ["title"],
		},
	])("$name", async ({ req, status, fields }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status, fields);
		await expectNothingChanged(before, answer);
	});
});
