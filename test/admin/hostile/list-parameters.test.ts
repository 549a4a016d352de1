import { describe, expect, it } from "vitest";
import { snapshotTables } from "../../hostile-helpers";
import {
	expectAdminAnswer,
	expectNothingChanged,
	expectOnlyChanged,
	type HostileCase,
	jsonOf,
	send,
	useFixture,
} from "./helpers";

// Cursors, limits and filters of the admin's lists (articles and the audit log, as JSON and as
// screens), through the whole Worker: a value that is not one is a 400 (naming the parameter, as
// JSON), and reading a list changes nothing. Filters match literally, wildcards included.

useFixture();

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
const listCases: HostileCase[] = [
	...BAD_CURSORS.map(
		(cursor, k): HostileCase =>
			k % 2 === 0
				? {
						name: `/api/admin/articles?cursor=${cursor.slice(0, 40)}`,
						req: () => ({ path: `/api/admin/articles?cursor=${cursor}`, as: "bearer" }),
						status: 400,
						fields: ["cursor"],
					}
				: {
						name: `/admin?cursor=${cursor.slice(0, 40)}`,
						req: () => ({ path: `/admin?cursor=${cursor}`, as: "editor" }),
						status: 400,
					},
	),
	...["0", "101", "1e3", "0x10", "-1", "1.5", "", "%00", "%205", "99999"].map(
		(limit): HostileCase => ({
			name: `/api/admin/articles?limit=${limit}`,
			req: () => ({ path: `/api/admin/articles?limit=${limit}`, as: "admin" }),
			status: 400,
			fields: ["limit"],
		}),
	),
	{
		name: "/api/admin/articles?topic= a topic that does not exist",
		req: () => ({ path: "/api/admin/articles?topic=nope", as: "bearer" }),
		status: 400,
		fields: ["topic"],
	},
	{
		name: "/api/admin/articles?region= a slug in capitals",
		req: () => ({ path: "/api/admin/articles?region=CHINA", as: "bearer" }),
		status: 400,
		fields: ["region"],
	},
	{
		name: "/api/admin/articles?q= over 200 characters",
		req: () => ({ path: `/api/admin/articles?q=${"q".repeat(201)}`, as: "bearer" }),
		status: 400,
		fields: ["q"],
	},
	{
		name: "/admin?q= over 200 characters",
		req: () => ({ path: `/admin?q=${"q".repeat(201)}`, as: "editor" }),
		status: 400,
	},
	{
		name: "/admin?status= in capitals",
		req: () => ({ path: "/admin?status=DRAFT", as: "editor" }),
		status: 400,
	},
	{
		name: "/admin with repeated parameters reads the first of each",
		req: () => ({ path: "/admin?status=draft&status=%00&q=Spare&q=%27", as: "editor" }),
		status: 200,
	},
	...["-1", "abc", "1e3", "99999999999999999999", "0", "%00", "1%200"].map(
		(before, k): HostileCase =>
			k % 2 === 0
				? {
						name: `/api/admin/audit?before=${before}`,
						req: () => ({ path: `/api/admin/audit?before=${before}`, as: "bearer" }),
						status: 400,
						fields: ["before"],
					}
				: {
						name: `/admin/audit?before=${before}`,
						req: () => ({ path: `/admin/audit?before=${before}`, as: "admin" }),
						status: 400,
					},
	),
	{
		name: "/api/admin/audit?subject= over 200 characters",
		req: () => ({ path: `/api/admin/audit?subject=${"s".repeat(201)}`, as: "bearer" }),
		status: 400,
		fields: ["subject"],
	},
	{
		name: "/api/admin/audit?action=%25 (a LIKE wildcard)",
		req: () => ({ path: "/api/admin/audit?action=%25", as: "bearer" }),
		status: 400,
		fields: ["action"],
	},
];

describe("bad cursors and list parameters are a 400", () => {
	it.each(listCases)("$name", async ({ req, status, fields }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status, fields);
		await expectNothingChanged(before, answer);
	});

	it("an underscore in the audit log's action filter matches only itself, not any character", async () => {
		const beforeTopic = await snapshotTables();
		const made = await send({
			path: "/api/admin/topics",
			as: "bearer",
			body: { json: { slug: "wildcard-bait", name: "Bait" } },
		});
		expectAdminAnswer(made, 201);
		await expectOnlyChanged(beforeTopic, ["topics", "audit_log"], made);
		for (const [action, matches] of [
			["topic", 1],
			["topic.create", 1],
			["t_pic", 0],
			["topi_", 0],
		] as const) {
			const before = await snapshotTables();
			const answer = await send({
				path: `/api/admin/audit?action=${action}&subject=topic:wildcard-bait`,
				as: "bearer",
			});
			expectAdminAnswer(answer, 200);
			await expectNothingChanged(before, answer);
			expect(jsonOf<{ entries: unknown[] }>(answer).entries, `action=${action}`).toHaveLength(matches);
		}
	});
});
