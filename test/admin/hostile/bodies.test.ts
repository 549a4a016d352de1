import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ADMIN_BODY_LIMIT } from "../../../src/admin/guard/body-limit";
import * as schema from "../../../src/db/schema";
import { testDb } from "../../helpers";
import { snapshotTables } from "../../hostile-helpers";
import {
	type Body,
	expectAdminAnswer,
	expectNothingChanged,
	expectOnlyChanged,
	FINE_ARTICLE_FORM,
	f,
	type HostileCase,
	isApi,
	JSON_READS,
	pick,
	send,
	useFixture,
	type Who,
	type WriteRoute,
	writeReq,
} from "./helpers";

// Oversized, malformed and mistyped bodies sent to every admin form post and /api/admin write,
// through the whole Worker: each is refused with its exact status (413, 400, 415), privately and
// in the route's format, and nothing stored changes. A body that is a real form (multipart
// included) is read like any other.

useFixture();

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
/** JSON endpoints that take no body (a DELETE of a thing named in the path): only the size limit applies. */
const JSON_BODILESS: WriteRoute[] = [
	{ method: "DELETE", label: "/api/admin/regions/:slug", path: () => "/api/admin/regions/global", as: "bearer" },
	{ method: "DELETE", label: "/api/admin/tokens/:id", path: () => "/api/admin/tokens/1", as: "admin" },
	{ method: "DELETE", label: "/api/admin/editors/:id", path: () => `/api/admin/editors/${f.other}`, as: "admin" },
];

const OVERSIZED = `title=${"a".repeat(ADMIN_BODY_LIMIT)}`;

// Every post and every JSON write, its body's length declared or (alternately) streamed without one.
const oversizedCases: HostileCase[] = [...FORM_WRITES, ...JSON_READS, ...JSON_BODILESS].map((route, r): HostileCase => {
	const type = isApi(route.label) ? "application/json" : "application/x-www-form-urlencoded";
	return r % 2 === 0
		? {
				name: `${route.method} ${route.label} with a declared length over 1 MiB`,
				req: () => writeReq(route, { raw: OVERSIZED, type }),
				status: 413,
			}
		: {
				name: `${route.method} ${route.label} streamed over 1 MiB without a length`,
				req: () => writeReq(route, { raw: new Blob([OVERSIZED]).stream(), type }),
				status: 413,
			};
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
const malformedCases: HostileCase[] = JSON_READS.flatMap((route, r) =>
	pick(MALFORMED_JSON, r * 2, 2).map(([what, raw], k) => {
		const as: Who = (r + k) % 2 === 0 ? "bearer" : "admin";
		return {
			name: `${route.method} ${route.label} with ${what} (${as === "bearer" ? "token" : "session"})`,
			req: () => ({ ...writeReq(route, { raw, type: "application/json" }), as }),
			status: 400,
		};
	}),
);

const WRONG_JSON_TYPES: [string, string | null][] = [
	["text/plain", "text/plain;charset=UTF-8"],
	["multipart/form-data", "multipart/form-data; boundary=x"],
	["a form's type", "application/x-www-form-urlencoded"],
	["no content type", null],
	["application/jsonp", "application/jsonp"],
];

const wrongJsonTypeCases: HostileCase[] = JSON_READS.flatMap((route, r) =>
	pick(WRONG_JSON_TYPES, r * 2, 2).map(([what, type]) => ({
		name: `${route.method} ${route.label}: a body it would accept, sent as ${what}`,
		// Bytes rather than a string: a string body would bring its own text/plain type.
		req: () => writeReq(route, { raw: new TextEncoder().encode(JSON.stringify(route.valid?.())), type }),
		status: 415,
	})),
);

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

const wrongFormTypeCases: HostileCase[] = FORM_READS.flatMap(({ route, fields, empty }, r) => {
	const text = new URLSearchParams(fields).toString();
	const cases: [string, Body][] = [
		["JSON", { raw: JSON.stringify(fields), type: "application/json" }],
		["text/plain", { raw: text, type: "text/plain" }],
		["no content type", { raw: new TextEncoder().encode(text), type: null }],
	];
	return pick(cases, r, 2).map(([what, body]) => ({
		name: `${route.method} ${route.label}: its fields sent as ${what} are not read as a form`,
		req: () => writeReq(route, body),
		status: empty,
	}));
});

// Posts that read a form, including those that need no field: a multipart body that does not
// parse is the sender's mistake, whatever the form.
const unparsableFormCases: HostileCase[] = [0, 2, 4, 5, 7, 8, 16]
	.map((i) => FORM_WRITES[i] as WriteRoute)
	.map((route) => ({
		name: `${route.method} ${route.label}: multipart without a boundary is a 400`,
		req: () =>
			writeReq(route, { raw: "--x\r\nContent-Disposition: form-data; name=a\r\n\r\nb", type: "multipart/form-data" }),
		status: 400,
	}));

describe("bodies over 1 MiB are a 413, declared or streamed, and change nothing", () => {
	it.each(oversizedCases)("$name", async ({ req, status, fields }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status, fields);
		await expectNothingChanged(before, answer);
	});
});

describe("malformed JSON is a 400 and changes nothing", () => {
	it.each(malformedCases)("$name", async ({ req, status, fields }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status, fields);
		await expectNothingChanged(before, answer);
	});
});

describe("JSON endpoints refuse other content types with 415", () => {
	it.each(wrongJsonTypeCases)("$name", async ({ req, status, fields }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status, fields);
		await expectNothingChanged(before, answer);
	});
});

describe("form posts do not read other content types as forms", () => {
	it.each([...wrongFormTypeCases, ...unparsableFormCases])("$name", async ({ req, status, fields }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status, fields);
		await expectNothingChanged(before, answer);
	});

	it("a real multipart form is read like any other", async () => {
		const form = new FormData();
		form.set("slug", "multipart-topic");
		form.set("name", "Multipart topic");
		const before = await snapshotTables();
		const answer = await send({ path: "/admin/topics", as: "admin", body: { raw: form, type: null } });
		expectAdminAnswer(answer, 303);
		await expectOnlyChanged(before, ["topics", "audit_log"], answer);
		const [row] = await testDb().select().from(schema.topics).where(eq(schema.topics.slug, "multipart-topic"));
		expect(row?.name).toBe("Multipart topic");
	});

	it("a file where a text field belongs counts as the field left out", async () => {
		const form = new FormData();
		form.set("slug", "file-topic");
		form.set("name", new File(["<script>alert(1)</script>"], "name.html", { type: "text/html" }));
		const before = await snapshotTables();
		const answer = await send({ path: "/admin/topics", as: "admin", body: { raw: form, type: null } });
		expectAdminAnswer(answer, 400);
		await expectNothingChanged(before, answer);
	});
});
