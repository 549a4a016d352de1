import { beforeEach, describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import { fetchApp, fetchWorker, freshTaxa, insertPage, isolatedSite, testDb } from "../../helpers";
import { adminFetch, expectHtml, flashOf, redirectTarget, signedInAdminAndEditor, workerAdminFetch } from "../helpers";

// The admin's screens for the About and Services pages, driven as a browser without script
// would, and what readers see on their next request after an edit (form or JSON).

let admin: { cookie: string };
let editor: { cookie: string };

beforeEach(async () => {
	await freshTaxa();
	({ admin, editor } = await signedInAdminAndEditor());
});

async function auditRows(action?: string) {
	const rows = await testDb().select().from(schema.auditLog);
	return action ? rows.filter((r) => r.action === action) : rows;
}

describe("pages as HTML", () => {
	beforeEach(async () => {
		await insertPage("about", "About Samarium", "We write about magnets.");
	});

	it("lists the pages and opens one in a form with its version hidden", async () => {
		const list = await adminFetch("/admin/pages", editor);
		expectHtml(list, 200);
		expect(await list.text()).toContain('<a href="/admin/pages/about">About Samarium</a>');
		const res = await adminFetch("/admin/pages/about", editor);
		expectHtml(res, 200);
		const html = await res.text();
		expect(html).toContain(`<input type="hidden" name="updatedAt" value="${Date.UTC(2026, 0, 2)}"/>`);
		expect(html).toContain(">\nWe write about magnets.</textarea>");
	});

	it("previews with the site's renderer and saves nothing", async () => {
		const res = await adminFetch("/admin/pages/about", editor, {
			form: { intent: "preview", title: "About", bodyMarkdown: "Hello *there* <script>x</script>", updatedAt: "1" },
		});
		expectHtml(res, 200);
		const html = await res.text();
		expect(html).toContain('<div class="preview prose"><p>Hello <em>there</em> &lt;script&gt;x&lt;/script&gt;</p>');
		expect(html).toContain("Hello *there* &lt;script&gt;x&lt;/script&gt;</textarea>");
		expect(await auditRows()).toHaveLength(0);
	});

	it("saves and redirects to the form, which then reports the purge", async () => {
		const res = await adminFetch("/admin/pages/about", editor, {
			form: { intent: "save", title: "About us", bodyMarkdown: "New text.", updatedAt: String(Date.UTC(2026, 0, 2)) },
		});
		const { path, location } = redirectTarget(res);
		expect(path).toBe("/admin/pages/about");
		const next = await adminFetch(location, editor);
		const html = await next.text();
		expect(flashOf(html)?.text).toContain("Saved “About us”.");
		expect(html).toContain("cleared here");
		expect(html).toContain(">\nNew text.</textarea>");
	});

	it("keeps the editor's text on a stale save (409) and shows the stored text in full beside it", async () => {
		const res = await adminFetch("/admin/pages/about", editor, {
			form: { intent: "save", title: "Mine", bodyMarkdown: "My careful text.", updatedAt: "1000" },
		});
		expectHtml(res, 409);
		const html = await res.text();
		expect(html).toContain(">\nMy careful text.</textarea>");
		expect(html).toContain('value="Mine"');
		// Pages keep no revisions: their text is on the page itself, never folded away.
		expect(html).toContain('<h2 id="theirs-heading">Their text, saved now</h2>');
		expect(html).toContain("<dd>About Samarium</dd>");
		expect(html).toContain('<pre class="code">We write about magnets.</pre>');
		expect(html).not.toContain("<details");
		expect(html).toContain("If you save again, your text replaces theirs");
		// Said once, in the conflict panel: no second error box above the form.
		expect(html.match(/role="alert"/g)).toHaveLength(1);
		expect(html).not.toContain('class="flash flash-error"');
		// Written by the seed, not through the admin: nobody is named.
		expect(html).toContain("Someone else saved it at");
		// Saving again from this form is a deliberate overwrite of what is stored now.
		expect(html).toContain(`name="updatedAt" value="${Date.UTC(2026, 0, 2)}"`);
		expect((await testDb().select().from(schema.pages))[0]?.title).toBe("About Samarium");
	});

	it("names who saved in between, from the audit log", async () => {
		const loaded = String(Date.UTC(2026, 0, 2));
		const first = await adminFetch("/admin/pages/about", admin, {
			form: { intent: "save", title: "About", bodyMarkdown: "Words by Ada.", updatedAt: loaded },
		});
		expect(first.status).toBe(303);
		const res = await adminFetch("/admin/pages/about", editor, {
			form: { intent: "save", title: "About", bodyMarkdown: "Mine.", updatedAt: loaded },
		});
		expectHtml(res, 409);
		const html = await res.text();
		const [stored] = await testDb().select().from(schema.pages);
		expect(html).toMatch(/Ada Admin \(editor\d+-\d+@samarium\.test\) saved it at <time datetime="[^"]+"/);
		expect(html).toContain(`<time datetime="${new Date(stored?.updatedAt ?? 0).toISOString()}"`);
		expect(html).toContain('<pre class="code">Words by Ada.</pre>');
	});

	it("shows bad input inline with the input kept; unknown pages are 404", async () => {
		const res = await adminFetch("/admin/pages/about", editor, {
			form: { intent: "save", title: "", bodyMarkdown: "Kept body.", updatedAt: String(Date.UTC(2026, 0, 2)) },
		});
		expectHtml(res, 400);
		const html = await res.text();
		expect(html).toContain('<p class="field-error" id="page-title-error">Required.</p>');
		expect(html).toContain(">\nKept body.</textarea>");
		expectHtml(await adminFetch("/admin/pages/careers", editor), 404);
		expectHtml(await adminFetch("/admin/pages/careers", editor, { form: { intent: "preview" } }), 404);
		expect((await fetchApp("/admin/pages", { redirect: "manual" })).status).toBe(302);
	});
});

describe("readers see a change on their very next request", () => {
	it("editing About (form or JSON) changes /about and /api/pages/about on the next request", async () => {
		const bindings = isolatedSite();
		await insertPage("about", "About Samarium", "Old words.");
		for (const path of ["/about", "/api/pages/about"]) {
			expect((await fetchWorker(path, undefined, bindings)).headers.get("x-cache")).toBe("MISS");
			const hit = await fetchWorker(path, undefined, bindings);
			expect(hit.headers.get("x-cache")).toBe("HIT");
			expect(await hit.text()).toContain("Old words.");
		}
		const form = await workerAdminFetch(
			"/admin/pages/about",
			editor,
			{
				form: {
					intent: "save",
					title: "About Samarium",
					bodyMarkdown: "New words.",
					updatedAt: String(Date.UTC(2026, 0, 2)),
				},
			},
			bindings,
		);
		expect(form.status).toBe(303);
		for (const path of ["/about", "/api/pages/about"]) {
			const after = await fetchWorker(path, undefined, bindings);
			expect(after.headers.get("x-cache")).toBe("MISS");
			expect(await after.text()).toContain("New words.");
		}
		expect((await fetchWorker("/about", undefined, bindings)).headers.get("x-cache")).toBe("HIT");
		const put = await workerAdminFetch(
			"/api/admin/pages/about",
			editor,
			{ method: "PUT", json: { title: "About Samarium", bodyMarkdown: "Newest words." } },
			bindings,
		);
		expect(put.status).toBe(200);
		expect(await (await fetchWorker("/about", undefined, bindings)).text()).toContain("Newest words.");
	});
});
