import { beforeEach, describe, expect, it } from "vitest";
import { getPage, lastPageSave, listPages, PageConflict, savePage } from "../../../src/admin/services/pages";
import { insertPage, resetDb } from "../../helpers";
import { at, auditRows, NOW, REPORT, refusal, refusedWithoutWrites, serviceDeps, type TestDeps } from "./helpers";

// The About and Services pages through their service: saved whole, refused when someone else
// saved since the editor loaded the page.

/** What insertPage stores as the page's time. */
const LOADED = Date.UTC(2026, 0, 2);

let deps: TestDeps;

beforeEach(async () => {
	await resetDb();
	await insertPage("about", "About", "Old text.");
	deps = await serviceDeps("editor");
});

describe("savePage", () => {
	it("saves title and Markdown with its audit entry, and purges the page and its JSON", async () => {
		const { page, purge } = await savePage(deps, "about", {
			title: " About us ",
			bodyMarkdown: "We **report**.\r\n",
			updatedAt: new Date(LOADED).toISOString(),
		});
		expect(page).toMatchObject({
			slug: "about",
			title: "About us",
			bodyMarkdown: "We **report**.\n",
			bodyHtml: "<p>We <strong>report</strong>.</p>\n",
			updatedAt: NOW,
		});
		expect(await getPage(deps.db, "about")).toEqual(page);
		expect(purge).toBe(REPORT);
		expect(deps.plans).toEqual([
			{
				keys: ["https://samarium.test/about", "https://samarium.test/api/pages/about"],
				tags: ["page:about"],
			},
		]);
		expect(await auditRows()).toEqual([
			expect.objectContaining({ at: NOW, action: "page.update", subject: "page:about", detail: { title: "About us" } }),
		]);
		expect(await lastPageSave(deps.db, page)).toEqual({
			at: NOW,
			editorId: deps.editor.id,
			editorEmail: deps.editor.email,
			editorName: deps.editor.name,
		});
	});

	it("refuses a save based on an older copy with PageConflict carrying the current page, and writes nothing", async () => {
		await savePage(deps, "about", { title: "First", bodyMarkdown: "First.", updatedAt: LOADED });
		for (const updatedAt of [LOADED, String(LOADED), new Date(LOADED).toISOString()]) {
			const error = await refusedWithoutWrites(deps, 409, () =>
				savePage(deps, "about", { title: "Second", bodyMarkdown: "Second.", updatedAt }),
			);
			expect(error).toBeInstanceOf(PageConflict);
			expect((error as PageConflict).current).toMatchObject({ title: "First", updatedAt: NOW });
		}
	});

	it("overwrites without a check when updatedAt is left out", async () => {
		await savePage(deps, "about", { title: "First", bodyMarkdown: "First." });
		const { page } = await savePage(at(deps, NOW + 1000), "about", { title: "Second", bodyMarkdown: "Second." });
		expect(page).toMatchObject({ title: "Second", updatedAt: NOW + 1000 });
	});

	it("always moves updatedAt forward, even when the clock is behind the stored time", async () => {
		const { page } = await savePage(at(deps, LOADED - 5000), "about", { title: "A", bodyMarkdown: "B" });
		expect(page.updatedAt).toBe(LOADED + 1);
		// The save's own time is the audit entry's, so that lastPageSave finds it.
		expect((await lastPageSave(deps.db, page))?.at).toBe(LOADED + 1);
	});

	it("refuses bad fields with a message each, and writes nothing", async () => {
		const error = await refusedWithoutWrites(deps, 400, () =>
			savePage(deps, "about", { title: "Two\nlines", bodyMarkdown: null, updatedAt: "yesterday" }),
		);
		expect(error.fields).toEqual({
			title: "Line breaks and other control characters are not allowed.",
			bodyMarkdown: "Required.",
			updatedAt: "Send back the updatedAt the page was loaded with (ISO 8601), or leave it out.",
		});
		const long = await refusedWithoutWrites(deps, 400, () =>
			savePage(deps, "about", { title: "T", bodyMarkdown: "x".repeat(100_001) }),
		);
		expect(long.fields).toEqual({ bodyMarkdown: "At most 100,000 characters (this is 100,001)." });
	});

	it("answers 404 for a page that does not exist", async () => {
		const error = await refusedWithoutWrites(deps, 404, () =>
			savePage(deps, "nope", { title: "T", bodyMarkdown: "B" }),
		);
		expect(error.message).toBe('There is no page "nope".');
		expect((await refusal(getPage(deps.db, "Not A Slug"))).status).toBe(404);
	});
});

describe("reading pages", () => {
	it("lists the pages, and knows no save for a page written some other way", async () => {
		expect((await listPages(deps.db)).map((p) => p.slug)).toEqual(["about"]);
		expect(await lastPageSave(deps.db, await getPage(deps.db, "about"))).toBeNull();
	});
});
