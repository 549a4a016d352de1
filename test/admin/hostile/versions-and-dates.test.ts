import { describe, expect, it } from "vitest";
import { snapshotTables } from "../../hostile-helpers";
import {
	ARTICLE_WRITE,
	articleBySlug,
	expectAdminAnswer,
	expectNothingChanged,
	expectOnlyChanged,
	FINE_ARTICLE,
	FINE_ARTICLE_FORM,
	f,
	type HostileCase,
	jsonOf,
	send,
	useFixture,
} from "./helpers";

// Dates and versions in every admin write that takes them, through the whole Worker: a date or a
// version that is not one is a 400 naming the field, a version that is not the stored one a 409
// (with what is stored, as JSON), and neither changes anything. What is valid is accepted.

useFixture();

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

const dateCases: HostileCase[] = [
	...BAD_DATE_VALUES.map(
		(publishedAt): HostileCase => ({
			name: `publishedAt ${JSON.stringify(publishedAt)} on a new article (JSON)`,
			req: () => ({
				path: "/api/admin/articles",
				as: "bearer",
				body: { json: { ...FINE_ARTICLE, slug: "dated", status: "published", publishedAt } },
			}),
			status: 400,
			fields: ["publishedAt"],
		}),
	),
	...BAD_DATE_VALUES.filter((_, k) => k % 3 === 0).map(
		(publishedAt): HostileCase => ({
			name: `publishedAt ${JSON.stringify(publishedAt)} on an edit (JSON)`,
			req: () => ({
				method: "PATCH",
				path: `/api/admin/articles/${f.article}`,
				as: "admin",
				body: { json: { version: 2, publishedAt } },
			}),
			status: 400,
			fields: ["publishedAt"],
		}),
	),
	...BAD_DATE_TEXT.filter((_, k) => k % 2 === 1).map(
		(publishedAt): HostileCase => ({
			name: `publishedAt ${JSON.stringify(publishedAt)} on a new article (form)`,
			req: () => ({
				path: "/admin/articles",
				as: "editor",
				body: { form: { ...FINE_ARTICLE_FORM, slug: "dated", publishedAt, intent: "publish" } },
			}),
			status: 400,
		}),
	),
];

describe("bad dates are a 400 naming publishedAt", () => {
	it.each(dateCases)("$name", async ({ req, status, fields }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status, fields);
		await expectNothingChanged(before, answer);
	});

	it.each([
		{ what: "an empty publishedAt", publishedAt: "", i: 0 },
		{ what: "a null publishedAt", publishedAt: null, i: 1 },
	])("$what publishes now", async ({ publishedAt, i }) => {
		const before = await snapshotTables();
		const answer = await send({
			path: "/api/admin/articles",
			as: "bearer",
			body: { json: { ...FINE_ARTICLE, slug: `published-now-${i}`, status: "published", publishedAt } },
		});
		expectAdminAnswer(answer, 201);
		await expectOnlyChanged(before, ARTICLE_WRITE, answer);
		const row = await articleBySlug(`published-now-${i}`);
		expect(Math.abs((row?.publishedAt ?? 0) - Date.now())).toBeLessThan(60_000);
	});
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

/**
 * A bad or stale version. A stale one (`stale`) is a JSON write based on a version that is not the
 * stored one: a 409 that carries what is stored (version 2).
 */
type VersionCase = HostileCase & { stale?: boolean };

const versionCases: VersionCase[] = [
	...BAD_VERSIONS.map(
		([what, version]): VersionCase => ({
			name: `an edit with a version ${what} (JSON)`,
			req: () => ({
				method: "PATCH",
				path: `/api/admin/articles/${f.article}`,
				as: "bearer",
				body: { json: { title: "Changed", version } },
			}),
			status: 400,
			fields: ["version"],
		}),
	),
	...BAD_VERSIONS.filter(([, v]) => typeof v === "string" || v === undefined).map(
		([what, version]): VersionCase => ({
			name: `an edit with a version ${what} (form)`,
			req: () => ({
				path: `/admin/articles/${f.article}`,
				as: "editor",
				body: { form: editForm(typeof version === "string" ? version : "") },
			}),
			status: 400,
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
		status: 409,
		stale: true,
	},
	{
		name: "an edit based on a version still to come (JSON) is a 409",
		req: () => ({
			method: "PATCH",
			path: `/api/admin/articles/${f.article}`,
			as: "admin",
			body: { json: { title: "Changed", version: 99 } },
		}),
		status: 409,
		stale: true,
	},
	{
		name: "an edit based on an older version (form) is the conflict page",
		req: () => ({ path: `/admin/articles/${f.article}`, as: "admin", body: { form: editForm("1") } }),
		status: 409,
	},
	{
		name: "an edit based on a version still to come (form) is the conflict page",
		req: () => ({ path: `/admin/articles/${f.article}`, as: "admin", body: { form: editForm("99") } }),
		status: 409,
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
		([query, json, status, fields]): VersionCase => ({
			name: `trashing with ${query || JSON.stringify(json)}`,
			req: () => ({
				method: "DELETE",
				path: `/api/admin/articles/${f.article}${query}`,
				as: "admin",
				body: json === undefined ? undefined : { json },
			}),
			// A permanent delete of what is not in the trash is refused before any version is compared.
			status,
			fields,
			stale: status === 409 && !query.includes("permanent"),
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
		([query, json, status]): VersionCase => ({
			name: `restoring from the trash with ${query || JSON.stringify(json)}`,
			req: () => ({
				path: `/api/admin/articles/${f.trashed}/restore${query}`,
				as: "bearer",
				body: json === undefined ? { raw: "", type: null } : { json },
			}),
			status,
			fields: status === 400 ? ["version"] : undefined,
		}),
	),
	{
		name: "restoring a revision with a version that is a word",
		req: () => ({
			path: `/api/admin/articles/${f.article}/revisions/1/restore`,
			as: "bearer",
			body: { json: { version: "abc" } },
		}),
		status: 400,
		fields: ["version"],
	},
	{
		name: "restoring a revision based on an older version",
		req: () => ({
			path: `/api/admin/articles/${f.article}/revisions/1/restore`,
			as: "admin",
			body: { json: { version: 1 } },
		}),
		status: 409,
		stale: true,
	},
	{
		name: "restoring a revision the article never had",
		req: () => ({
			path: `/api/admin/articles/${f.article}/revisions/3/restore`,
			as: "bearer",
			body: { json: { version: 2 } },
		}),
		status: 404,
	},
	{
		name: "trashing through the form with a version that is a word",
		req: () => ({ path: `/admin/articles/${f.article}/trash`, as: "admin", body: { form: { version: "abc" } } }),
		status: 400,
	},
	{
		name: "restoring through the form with a negative version",
		req: () => ({ path: `/admin/articles/${f.trashed}/restore`, as: "admin", body: { form: { version: "-1" } } }),
		status: 400,
	},
	{
		name: "restoring a revision through the form with a fractional version",
		req: () => ({
			path: `/admin/articles/${f.article}/revisions/1/restore`,
			as: "admin",
			body: { form: { version: "1.5" } },
		}),
		status: 400,
	},
];

describe("bad versions are a 400, stale ones a 409, and neither changes anything", () => {
	it.each(versionCases)("$name", async ({ req, status, fields, stale }) => {
		const before = await snapshotTables();
		const answer = await send(req());
		expectAdminAnswer(answer, status, fields);
		await expectNothingChanged(before, answer);
		if (stale) expect(jsonOf<{ current: { version: number } }>(answer).current.version, "the stored version").toBe(2);
	});

	it("a version sent as a string of digits is read as that number", async () => {
		const before = await snapshotTables();
		const answer = await send({
			method: "PATCH",
			path: `/api/admin/articles/${f.spare}`,
			as: "bearer",
			body: { json: { version: "1", title: "Versioned by a string" } },
		});
		expectAdminAnswer(answer, 200);
		await expectOnlyChanged(before, ARTICLE_WRITE, answer);
		expect(await articleBySlug("spare")).toMatchObject({ title: "Versioned by a string", version: 2 });
	});
});
