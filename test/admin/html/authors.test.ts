import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { findAdminAuthor } from "../../../src/db/queries/authors";
import type * as schema from "../../../src/db/schema";
import * as schemaTables from "../../../src/db/schema";
import { fetchApp, freshTaxa, insertAuthor, testDb } from "../../helpers";
import { adminFetch, expectHtml, expectPrivate, flashOf, redirectTarget, signedInAdminAndEditor } from "../helpers";

// The admin's screens for authors, driven as a browser without script would.

let admin: { cookie: string };
let editor: { cookie: string };
let editorRow: schema.Editor;

beforeEach(async () => {
	await freshTaxa();
	({ admin, editor, editorRow } = await signedInAdminAndEditor());
});

const form = (values: Record<string, string>) => ({
	form: { slug: "", name: "", bio: "", url: "", description: "", editor: "", ...values },
});

describe("authors as HTML", () => {
	it("lists them with a form to add one, which links an editor account", async () => {
		const page = await adminFetch("/admin/authors", admin);
		expectHtml(page, 200);
		const html = await page.text();
		expect(html).toContain("No authors yet.");
		expect(html).toContain('<select id="author-editor" name="editor"');
		expect(html).toContain(`<option value="${editorRow.email}"`);

		const res = await adminFetch(
			"/admin/authors",
			admin,
			form({ slug: "ada", name: "Ada & Co", bio: "Line one\r\nLine two", editor: editorRow.email }),
		);
		expect(res.status).toBe(303);
		const { path, location } = redirectTarget(res);
		expect(path).toBe("/admin/authors");
		const list = await (await adminFetch(location, admin)).text();
		expect(flashOf(list)?.text).toContain("Added “Ada &amp; Co”.");
		expect(list).toContain('<a href="/admin/authors/ada">Ada &amp; Co</a>');
		expect(await findAdminAuthor(testDb(), "ada")).toMatchObject({ bio: "Line one\nLine two" });
	});

	it("edits one from its page, and shows a refusal inline with the input kept", async () => {
		await adminFetch("/admin/authors", admin, form({ slug: "ada", name: "Ada" }));
		const page = await (await adminFetch("/admin/authors/ada", admin)).text();
		expect(page).toContain('value="Ada"');
		expect(page).not.toContain('name="slug"');
		const res = await adminFetch(
			"/admin/authors/ada",
			admin,
			form({ name: "Ada L.", url: "https://ada.example", description: "Correspondent" }),
		);
		expect(redirectTarget(res).path).toBe("/admin/authors/ada");
		expect(await findAdminAuthor(testDb(), "ada")).toMatchObject({ name: "Ada L.", url: "https://ada.example/" });

		const bad = await adminFetch("/admin/authors/ada", admin, form({ name: "Ada", url: "javascript:alert(1)" }));
		expectHtml(bad, 400);
		const html = await bad.text();
		expect(html).toContain('<p class="field-error" id="author-url-error">');
		expect(html).toContain('value="javascript:alert(1)"');
		expect((await findAdminAuthor(testDb(), "ada"))?.name).toBe("Ada L.");

		const again = await adminFetch("/admin/authors", admin, form({ slug: "ada", name: "Two" }));
		expectHtml(again, 409);
		expect(await again.text()).toContain("is taken; choose another.");
	});

	it("answers 404 for an unknown one, 403 to editors, 302 without a session, 403 without Origin", async () => {
		expectHtml(await adminFetch("/admin/authors/nobody", admin), 404);
		expectHtml(await adminFetch("/admin/authors/nobody", admin, form({ name: "N" })), 404);
		expectHtml(await adminFetch("/admin/authors", editor), 403);
		expectHtml(await adminFetch("/admin/authors", editor, form({ slug: "x", name: "X" })), 403);
		const anon = await fetchApp("/admin/authors", { redirect: "manual" });
		expect(anon.status).toBe(302);
		expectPrivate(anon);
		expectHtml(await adminFetch("/admin/authors", admin, { ...form({ slug: "x", name: "X" }), origin: null }), 403);
		expect(await findAdminAuthor(testDb(), "x")).toBeNull();
	});
});

describe("the article form's byline picker", () => {
	it("starts a new article with the editor's own author, and saves the picked order", async () => {
		const ada = await insertAuthor("ada", "Ada Lovelace");
		await insertAuthor("bea", "Bea Baker");
		await testDb().update(schemaTables.authors).set({ editorId: editorRow.id }).where(eq(schemaTables.authors.id, ada));
		const html = await (await adminFetch("/admin/articles/new", editor)).text();
		expect(html).toContain('<label for="author-1">Author 1</label>');
		expect(html).toMatch(/<select id="author-1" name="author-1">.*<option value="ada" selected/s);
		expect(html).toContain('<select id="author-3" name="author-3">');

		const res = await adminFetch("/admin/articles", editor, {
			form: {
				title: "Bylines",
				summary: "S",
				bodyMarkdown: "B",
				"author-1": "bea",
				"author-2": "",
				"author-3": "ada",
				intent: "draft",
			},
		});
		expect(res.status).toBe(303);
		const edit = await (await adminFetch(redirectTarget(res).path, editor)).text();
		expect(edit).toMatch(/<select id="author-1" name="author-1">.*<option value="bea" selected/s);
		expect(edit).toMatch(/<select id="author-2" name="author-2">.*<option value="ada" selected/s);

		const twice = await adminFetch("/admin/articles", editor, {
			form: { title: "Twice", summary: "S", bodyMarkdown: "B", "author-1": "ada", "author-2": "ada", intent: "draft" },
		});
		expectHtml(twice, 400);
		expect(await twice.text()).toContain('<p class="field-error" id="authors-error">&quot;ada&quot; is named twice');
	});
});
