import { beforeEach, describe, expect, it } from "vitest";
import { type PurgeInput, purgeFailed, requestPurge } from "../../../src/admin/services/purge";
import { freshTaxa, insertArticle, insertRedirect, type TestTaxa } from "../../helpers";
import { auditRows, HOUR, NOW, REPORT, refusedWithoutWrites, serviceDeps, type TestDeps } from "./helpers";

// A purge an editor asks for (src/admin/services/purge.ts requestPurge): checked, handed to
// deps.purge as a plan, then logged with what was asked and what the purge did. describePurge
// is in purge.test.ts.

const key = (path: string) => `https://samarium.test${path}`;

let taxa: TestTaxa;
let deps: TestDeps;

beforeEach(async () => {
	taxa = await freshTaxa();
	deps = await serviceDeps("editor");
});

describe("requestPurge's input", () => {
	const ASK = "Name at least one article slug, or send all: true.";
	const LIST = "Must be a list of article slugs.";

	it.each<[string, PurgeInput, Record<string, string>]>([
		["nothing", {}, { slugs: ASK }],
		["an empty list", { slugs: [] }, { slugs: ASK }],
		["all: false alone", { all: false }, { slugs: ASK }],
		["all that is not a boolean", { all: "yes" }, { all: "Must be true, or left out." }],
		["all: 1", { all: 1, slugs: ["a"] }, { all: "Must be true, or left out." }],
		["slugs that are not a list", { slugs: "a" }, { slugs: LIST }],
		["a list with a number in it", { slugs: ["a", 1] }, { slugs: LIST }],
		[
			"too many slugs",
			{ slugs: Array.from({ length: 101 }, (_, i) => `s${i}`) },
			{ slugs: "At most 100 slugs at a time (this is 101); purge everything instead." },
		],
		[
			"things that are not slugs",
			{ slugs: ["ok", "Bad Slug", "x--y", "  "] },
			{ slugs: 'Not slugs: "Bad Slug", "x--y", "".' },
		],
	])("refuses %s with a 400, purging and logging nothing", async (_name, input, fields) => {
		const error = await refusedWithoutWrites(deps, 400, () => requestPurge(deps, input));
		expect(error.fields).toEqual(fields);
	});

	it("accepts exactly 100 slugs", async () => {
		await requestPurge(deps, { slugs: Array.from({ length: 100 }, (_, i) => `s${i}`) });
		expect(deps.plans).toHaveLength(1);
	});
});

describe("requestPurge", () => {
	it("with all: true hands over a plan of everything and logs it with what the purge did", async () => {
		const report = await requestPurge(deps, { all: true, slugs: ["ignored"] });
		expect(deps.plans).toEqual([{ keys: [], tags: [], everything: true }]);
		expect(report).toMatchObject({ everything: true, local: REPORT.local });
		expect(await auditRows()).toEqual([
			{
				id: expect.any(Number),
				at: NOW,
				editorId: deps.editor.id,
				editorEmail: deps.editor.email,
				action: "purge",
				subject: "site",
				detail: { everything: true, cleared: 7, local: "ok", workersCache: "skipped", zone: "failed" },
			},
		]);
	});

	it("plans an unknown slug's own page and JSON (a cached 404), and nothing else", async () => {
		const report = await requestPurge(deps, { slugs: ["ghost"] });
		expect(report).toBe(REPORT);
		expect(deps.plans).toEqual([
			{ keys: [key("/articles/ghost"), key("/api/articles/ghost")], tags: ["article:ghost"] },
		]);
		expect((await auditRows())[0]).toMatchObject({
			action: "purge",
			subject: "articles",
			// keys and tags count what the purge reports having done.
			detail: { slugs: ["ghost"], keys: 1, tags: 1, cleared: 7, local: "ok", workersCache: "skipped", zone: "failed" },
		});
	});

	it("plans a retired slug's own address (its cached 301)", async () => {
		const article = await insertArticle({ slug: "current", publishedAt: NOW - HOUR });
		await insertRedirect("retired", article.id);
		await requestPurge(deps, { slugs: ["retired"] });
		expect(deps.plans[0]?.tags).toEqual(["article:retired"]);
	});

	it("plans a live article's lists too, a draft's own addresses only; slugs are trimmed and counted once", async () => {
		await insertArticle({ slug: "live", topicId: taxa.topic.energy, publishedAt: NOW - HOUR });
		await insertArticle({ slug: "drafted", status: "draft", publishedAt: null, topicId: taxa.topic.recycling });
		await insertArticle({ slug: "later", publishedAt: NOW + HOUR, topicId: taxa.topic.automotive });

		await requestPurge(deps, { slugs: [" live ", "live", "drafted", "later"] });
		const [plan] = deps.plans;
		expect(deps.plans).toHaveLength(1);
		expect(plan?.tags).toEqual(
			expect.arrayContaining(["article:live", "article:drafted", "article:later", "list:home", "list:topic:energy"]),
		);
		expect(plan?.keys).toEqual(expect.arrayContaining([key("/articles/drafted"), key("/topics/energy")]));
		// Neither the draft nor the scheduled article is in any list yet.
		expect(plan?.tags.filter((t) => t.includes("recycling") || t.includes("automotive"))).toEqual([]);
		expect((await auditRows())[0]?.detail.slugs).toEqual(["live", "drafted", "later"]);
	});

	it("logs a local purge that failed, with its error", async () => {
		const failing: TestDeps = {
			...deps,
			purge: async () => ({ ...REPORT, local: { ok: false, deleted: 0, error: "cache unavailable" } }),
		};
		const report = await requestPurge(failing, { slugs: ["ghost"] });
		expect(purgeFailed(report)).toBe(true);
		expect((await auditRows())[0]?.detail).toMatchObject({ cleared: 0, local: "failed (cache unavailable)" });
	});
});

describe("purgeFailed", () => {
	const ok = { ...REPORT, zone: { status: "ok" as const } };

	it("is true when any part of the purge did not go through", () => {
		expect(purgeFailed(ok)).toBe(false);
		expect(purgeFailed({ ...ok, zone: { status: "skipped" } })).toBe(false);
		expect(purgeFailed(REPORT)).toBe(true);
		expect(purgeFailed({ ...ok, workersCache: { status: "failed", error: "x" } })).toBe(true);
		expect(purgeFailed({ ...ok, local: { ok: false, deleted: 0 } })).toBe(true);
	});
});
