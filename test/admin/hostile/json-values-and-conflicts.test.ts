import { describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import { testDb } from "../../helpers";
import { snapshotTables } from "../../hostile-helpers";
import {
	expectAdminAnswer,
	expectNothingChanged,
	expectOnlyChanged,
	FINE_ARTICLE,
	f,
	type HostileCase,
	JSON_READS,
	send,
	useFixture,
	writeReq,
} from "./helpers";

// JSON values of the wrong kind (or size), duplicate keys, unknown fields and conflicts sent to
// every /api/admin write (and the forms that can conflict), through the whole Worker: each is a
// 400 naming exactly the fields at fault, or a 409, and nothing stored changes.

useFixture();

const jsonValueCases: HostileCase[] = [
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
		([fields, field]): HostileCase => ({
			name: `a new article with ${JSON.stringify(fields).slice(0, 60)}`,
			req: () => ({
				path: "/api/admin/articles",
				as: "bearer",
				body: { json: { ...FINE_ARTICLE, slug: "typed", ...fields } },
			}),
			status: 400,
			fields: [field],
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
		([json, field]): HostileCase => ({
			name: `an edit with ${JSON.stringify(json)}`,
			req: () => ({ method: "PATCH", path: `/api/admin/articles/${f.article}`, as: "admin", body: { json } }),
			status: 400,
			fields: [field],
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
		([json, field]): HostileCase => ({
			name: `a purge of ${JSON.stringify(json).slice(0, 60)}`,
			req: () => ({ path: "/api/admin/purge", as: "bearer", body: { json } }),
			status: 400,
			fields: [field],
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
		([json, field]): HostileCase => ({
			name: `a token with ${JSON.stringify(json).slice(0, 60)}`,
			req: () => ({ path: "/api/admin/tokens", as: "admin", body: { json } }),
			status: 400,
			fields: [field],
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
		([json, field]): HostileCase => ({
			name: `an editor change of ${JSON.stringify(json)}`,
			req: () => ({ method: "PATCH", path: `/api/admin/editors/${f.other}`, as: "bearer", body: { json } }),
			status: 400,
			fields: [field],
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
		([json, status, fields]): HostileCase => ({
			name: `a page save with ${JSON.stringify(json).slice(0, 60)}`,
			req: () => ({
				method: "PUT",
				path: "/api/admin/pages/about",
				as: "admin",
				body: { json: { title: "T", bodyMarkdown: "B", ...json } },
			}),
			status,
			fields,
		}),
	),
	{
		name: "duplicate keys: the last one counts (a bad slug after a good one is refused)",
		req: () => ({
			path: "/api/admin/topics",
			as: "bearer",
			body: { raw: '{"slug": "dup-first", "slug": "Not A Slug", "name": "Dup"}', type: "application/json" },
		}),
		status: 400,
		fields: ["slug"],
	},
	...JSON_READS.map(
		(route): HostileCase => ({
			name: `${route.method} ${route.label} with an unknown field`,
			req: () => writeReq(route, { json: { ...(route.valid?.() as object), extra: 1 } }),
			status: 400,
			fields: ["extra"],
		}),
	),
];

const conflictCases: HostileCase[] = [
	{
		name: "a topic with a slug that is taken",
		req: () => ({ path: "/api/admin/topics", as: "bearer", body: { json: { slug: "energy", name: "Again" } } }),
		status: 409,
		fields: ["slug"],
	},
	{
		name: "a region renamed to a slug that is taken",
		req: () => ({ method: "PATCH", path: "/api/admin/regions/global", as: "admin", body: { json: { slug: "china" } } }),
		status: 409,
		fields: ["slug"],
	},
	{
		name: "deleting a topic articles use",
		req: () => ({ method: "DELETE", path: "/api/admin/topics/energy", as: "bearer" }),
		status: 409,
	},
	{
		name: "deleting a topic articles use, through the form",
		req: () => ({ path: "/admin/topics/energy/delete", as: "admin", body: { form: {} } }),
		status: 409,
	},
	{
		name: "trashing what is in the trash",
		req: () => ({ method: "DELETE", path: `/api/admin/articles/${f.trashed}`, as: "bearer" }),
		status: 409,
	},
	{
		name: "restoring what is not in the trash",
		req: () => ({ path: `/api/admin/articles/${f.article}/restore`, as: "bearer", body: { json: {} } }),
		status: 409,
	},
	{
		name: "deleting for good what is not in the trash, through the form",
		req: () => ({ path: `/admin/articles/${f.article}/delete`, as: "admin", body: { form: {} } }),
		status: 409,
	},
	{
		name: "an article created with a slug another article has",
		req: () => ({ path: "/api/admin/articles", as: "admin", body: { json: { ...FINE_ARTICLE, slug: "known" } } }),
		status: 409,
		fields: ["slug"],
	},
	{
		name: "a page saved over a newer one, through the form",
		req: () => ({
			path: "/admin/pages/about",
			as: "editor",
			body: { form: { title: "T", bodyMarkdown: "B", updatedAt: "1" } },
		}),
		status: 409,
	},
];

describe("values of the wrong kind, duplicate keys, unknown fields and conflicts", () => {
	it.each([...jsonValueCases, ...conflictCases])("$name", async ({ req, status, fields }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status, fields);
		await expectNothingChanged(before, answer);
	});

	it("duplicate keys: the last one counts (a good slug after a bad one is stored)", async () => {
		const before = await snapshotTables();
		const answer = await send({
			path: "/api/admin/topics",
			as: "admin",
			body: {
				raw: '{"slug": "Not A Slug", "slug": "dup-last", "name": "Dup"}',
				type: "application/json; charset=utf-8",
			},
		});
		expectAdminAnswer(answer, 201);
		await expectOnlyChanged(before, ["topics", "audit_log"], answer);
		const slugs = (await testDb().select().from(schema.topics)).map((t) => t.slug);
		expect(slugs).toContain("dup-last");
		expect(slugs).not.toContain("Not A Slug");
	});
});
