import { beforeEach, describe, expect, it, vi } from "vitest";
import * as schema from "../../../src/db/schema";
import { fetchApp, fetchWorker, freshTaxa, insertArticle, isolatedSite, type TestTaxa, testDb } from "../../helpers";
import {
	adminFetch,
	expectHtml,
	expectJsonError,
	expectPrivate,
	signedInAdminAndEditor,
	workerAdminFetch,
} from "../helpers";

// The purge screen (and the purge log, which records purges asked for as JSON too).

let taxa: TestTaxa;
let admin: { cookie: string };
let editor: { cookie: string };

beforeEach(async () => {
	taxa = await freshTaxa();
	({ admin, editor } = await signedInAdminAndEditor());
});

async function auditRows(action?: string) {
	const rows = await testDb().select().from(schema.auditLog);
	return action ? rows.filter((r) => r.action === action) : rows;
}

describe("the purge screen", () => {
	it("is there for editors, with a form for slugs and one for everything", async () => {
		const res = await adminFetch("/admin/purge", editor);
		expectHtml(res, 200);
		const html = await res.text();
		expect(html).toContain('<textarea id="purge-slugs" name="slugs"');
		expect(html).toContain('<input type="hidden" name="intent" value="all"/>');
	});

	it("purges the given articles, shows what went, and readers get a fresh copy next", async () => {
		const bindings = isolatedSite();
		const a = await insertArticle({ topicId: taxa.topic.energy });
		for (const path of [`/articles/${a.slug}`, "/api/regions"]) {
			await fetchWorker(path, undefined, bindings);
			expect((await fetchWorker(path, undefined, bindings)).headers.get("x-cache")).toBe("HIT");
		}
		const res = await workerAdminFetch(
			"/admin/purge",
			editor,
			{ form: { intent: "slugs", slugs: `${a.slug}\r\n` } },
			bindings,
		);
		expectHtml(res, 200);
		const html = await res.text();
		expect(html).toContain('<h2 id="report-heading">Purged</h2>');
		expect(html).toMatch(/\d+ cached cop(y|ies) cleared here; no global purge configured\./);
		expect(html).toContain(`<code>${bindings.SITE_URL}/articles/${a.slug}</code>`);
		expect(html).toContain(`<code>${bindings.SITE_URL}/topics/energy</code>`);
		expect((await fetchWorker(`/articles/${a.slug}`, undefined, bindings)).headers.get("x-cache")).toBe("MISS");
		// Only what shows the article goes.
		expect((await fetchWorker("/api/regions", undefined, bindings)).headers.get("x-cache")).toBe("HIT");

		const [entry, ...more] = await auditRows("purge");
		expect(more).toHaveLength(0);
		expect(entry).toMatchObject({ subject: "articles", editorEmail: expect.stringContaining("@samarium.test") });
		const detail = JSON.parse(entry?.detail ?? "");
		expect(detail).toMatchObject({
			slugs: [a.slug],
			cleared: expect.any(Number),
			local: "ok",
			workersCache: expect.any(String),
			zone: "skipped",
		});
		expect(detail.keys).toBeGreaterThan(0);
		expect(detail.tags).toBeGreaterThan(0);
	});

	it("purges everything", async () => {
		const bindings = isolatedSite();
		const a = await insertArticle();
		for (const path of ["/", `/articles/${a.slug}`]) {
			await fetchWorker(path, undefined, bindings);
			expect((await fetchWorker(path, undefined, bindings)).headers.get("x-cache")).toBe("HIT");
		}
		const res = await workerAdminFetch("/admin/purge", editor, { form: { intent: "all" } }, bindings);
		expectHtml(res, 200);
		expect(await res.text()).toContain("Purged everything");
		for (const path of ["/", `/articles/${a.slug}`]) {
			expect((await fetchWorker(path, undefined, bindings)).headers.get("x-cache")).toBe("MISS");
		}
		const [entry] = await auditRows("purge");
		expect(entry?.subject).toBe("site");
		expect(JSON.parse(entry?.detail ?? "")).toMatchObject({
			everything: true,
			cleared: expect.any(Number),
			local: "ok",
			zone: "skipped",
		});
	});

	it("logs a purge asked for as JSON too, with what was asked and what it did; a refused one logs nothing", async () => {
		const bindings = isolatedSite();
		const some = await workerAdminFetch(
			"/api/admin/purge",
			editor,
			{ json: { slugs: [" one-slug", "two-slug", "one-slug"] } },
			bindings,
		);
		expect(some.status).toBe(200);
		expectPrivate(some);
		const report = (await some.json()) as { keys: string[]; tags: string[]; local: { deleted: number } };
		const all = await workerAdminFetch("/api/admin/purge", editor, { json: { all: true } }, bindings);
		expect(all.status).toBe(200);
		await expectJsonError(
			await workerAdminFetch("/api/admin/purge", editor, { json: { slugs: ["Bad/Slug"] } }, bindings),
			400,
			["slugs"],
		);

		const entries = await auditRows("purge");
		expect(entries.map((e) => e.subject)).toEqual(["articles", "site"]);
		expect(JSON.parse(entries[0]?.detail ?? "")).toMatchObject({
			slugs: ["one-slug", "two-slug"],
			keys: report.keys.length,
			tags: report.tags.length,
			cleared: report.local.deleted,
			zone: "skipped",
		});
		expect(JSON.parse(entries[1]?.detail ?? "")).toMatchObject({ everything: true });
		// The same log the admin reads.
		const log = await adminFetch("/api/admin/audit?action=purge", admin);
		expect(((await log.json()) as { entries: unknown[] }).entries).toHaveLength(2);
	});

	it("logs a global purge that failed as failed", async () => {
		const zoneDown = vi
			.spyOn(globalThis, "fetch")
			.mockResolvedValue(
				Response.json({ success: false, errors: [{ code: 10000, message: "denied" }] }, { status: 403 }),
			);
		try {
			const bindings = { ...isolatedSite(), CF_ZONE_ID: "zone-1", CF_API_TOKEN: "token-1" };
			const res = await workerAdminFetch("/admin/purge", editor, { form: { intent: "all" } }, bindings);
			expectHtml(res, 200);
			expect(await res.text()).toContain("zone purge failed");
			expect(zoneDown).toHaveBeenCalled();
		} finally {
			zoneDown.mockRestore();
		}
		const [entry] = await auditRows("purge");
		expect(JSON.parse(entry?.detail ?? "")).toMatchObject({ everything: true, local: "ok", zone: "failed" });
	});

	it("shows bad slugs inline with the input kept, logs nothing, and guards like every admin form", async () => {
		const res = await adminFetch("/admin/purge", editor, { form: { intent: "slugs", slugs: "fine-slug, Not/A/Slug" } });
		expectHtml(res, 400);
		const html = await res.text();
		expect(html).toContain('id="purge-slugs-error"');
		expect(html).toContain("fine-slug, Not/A/Slug</textarea>");
		const empty = await adminFetch("/admin/purge", editor, { form: { intent: "slugs", slugs: "  " } });
		expectHtml(empty, 400);
		expect(await auditRows("purge")).toHaveLength(0);
		expect((await fetchApp("/admin/purge", { redirect: "manual" })).status).toBe(302);
		expectHtml(await adminFetch("/admin/purge", editor, { form: { intent: "all" }, origin: null }), 403);
	});
});
