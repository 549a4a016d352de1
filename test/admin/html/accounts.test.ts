import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import { hashToken } from "../../../src/lib/tokens";
import { fetchApp, resetDb, testDb } from "../../helpers";
import {
	adminFetch,
	bearerToken,
	expectHtml,
	expectJsonError,
	flashOf,
	redirectTarget,
	signedInAdminAndEditor,
} from "../helpers";

// The admin's screens for API tokens and editors, driven as a browser without script would.

let admin: schema.Editor;
let adminAuth: { cookie: string };
let writer: schema.Editor;
let writerAuth: { cookie: string };

beforeEach(async () => {
	await resetDb();
	({
		adminEditor: admin,
		admin: adminAuth,
		editorRow: writer,
		editor: writerAuth,
	} = await signedInAdminAndEditor("Wren Writer"));
});

describe("API tokens as HTML", () => {
	it("shows a new token once, on the response to the form, never in the list afterwards", async () => {
		const res = await adminFetch("/admin/tokens", adminAuth, {
			form: { name: "Newsroom import", editorId: String(writer.id) },
		});
		expectHtml(res, 201);
		const html = await res.text();
		const token = html.match(/<code class="secret" id="new-token">(smt_[A-Za-z0-9_-]+)<\/code>/)?.[1];
		expect(token).toBeTruthy();
		expect(html).toContain("it is shown only this once");
		const [row] = await testDb().select().from(schema.apiTokens);
		expect(row?.tokenHash).toBe(await hashToken(token as string));
		// Named by its id, as the list and the audit log name it.
		expect(html).toContain(`<h2 id="created-heading">Token #${row?.id} “Newsroom import” created</h2>`);
		// Reloading would post the form again: the page says so, and offers the way back instead.
		expect(html).toContain("Do not reload this page:</strong> that sends the form again and creates another token.");
		expect(html).toContain('<a href="/admin/tokens">go back to the token list</a>');
		expect(html.split(token as string)).toHaveLength(2);

		const list = await adminFetch("/admin/tokens", adminAuth);
		expectHtml(list, 200);
		const listHtml = await list.text();
		expect(listHtml).toContain(`<td>#${row?.id}</td><td>Newsroom import</td>`);
		expect(listHtml).not.toContain(token as string);
		expect(listHtml).toContain(`action="/admin/tokens/${row?.id}/revoke"`);
	});

	it("tells tokens of the same name apart by their id", async () => {
		await bearerToken(writer, "Import");
		await bearerToken(admin, "Import");
		const [first, second] = await testDb().select().from(schema.apiTokens).orderBy(schema.apiTokens.id);
		const html = await (await adminFetch("/admin/tokens", adminAuth)).text();
		for (const row of [first, second]) {
			expect(html).toContain(`<td>#${row?.id}</td><td>Import</td>`);
			expect(html).toContain(`Revoke <span class="visually-hidden">#${row?.id} Import</span>`);
		}
		const res = await adminFetch(`/admin/tokens/${second?.id}/revoke`, adminAuth, { form: {} });
		const next = await adminFetch(redirectTarget(res).location, adminAuth);
		expect(flashOf(await next.text())?.text).toBe(`Revoked token #${second?.id} “Import”: it no longer works.`);
	});

	it("revokes from the list, then shows it revoked", async () => {
		const auth = await bearerToken(writer, "Old script");
		const [row] = await testDb().select().from(schema.apiTokens);
		const res = await adminFetch(`/admin/tokens/${row?.id}/revoke`, adminAuth, { form: {} });
		const { path, location } = redirectTarget(res);
		expect(path).toBe("/admin/tokens");
		const next = await adminFetch(location, adminAuth);
		const html = await next.text();
		expect(flashOf(html)?.text).toContain(`Revoked token #${row?.id} “Old script”`);
		expect(html).toContain('<span class="badge badge-revoked">revoked</span>');
		await expectJsonError(await fetchApp("/api/admin/pages", { headers: { authorization: auth } }), 401);
	});

	it("shows bad input inline with the input kept; 404 for an unknown token; 403 for editors", async () => {
		const res = await adminFetch("/admin/tokens", adminAuth, { form: { name: "Kept name", editorId: "" } });
		expectHtml(res, 400);
		const html = await res.text();
		expect(html).toContain('value="Kept name"');
		expect(html).toContain('<p class="field-error" id="token-editor-error">Required.</p>');
		expect(html).not.toContain('class="secret"');
		expectHtml(await adminFetch("/admin/tokens/999999/revoke", adminAuth, { form: {} }), 404);
		expectHtml(await adminFetch("/admin/tokens", writerAuth), 403);
		expectHtml(await adminFetch("/admin/tokens", adminAuth, { form: { name: "x", editorId: "1" }, origin: null }), 403);
		expect((await fetchApp("/admin/tokens", { redirect: "manual" })).status).toBe(302);
	});
});

describe("editors as HTML", () => {
	it("lists them with how to add one from the command line", async () => {
		const res = await adminFetch("/admin/editors", adminAuth);
		expectHtml(res, 200);
		const html = await res.text();
		expect(html).toContain(`<a href="/admin/editors/${writer.id}">Wren Writer</a>`);
		expect(html).toContain("npm run editor -- add --email");
		expect(html).not.toContain("pbkdf2");
	});

	it("changes a role from the editor's page", async () => {
		const page = await adminFetch(`/admin/editors/${writer.id}`, adminAuth);
		expectHtml(page, 200);
		expect(await page.text()).toContain(`action="/admin/editors/${writer.id}/delete"`);
		const res = await adminFetch(`/admin/editors/${writer.id}`, adminAuth, { form: { name: "Wren", role: "admin" } });
		const { path, location } = redirectTarget(res);
		expect(path).toBe(`/admin/editors/${writer.id}`);
		expect(flashOf(await (await adminFetch(location, adminAuth)).text())?.text).toBe("Saved Wren (admin).");
		const [row] = await testDb().select().from(schema.editors).where(eq(schema.editors.id, writer.id));
		expect(row).toMatchObject({ name: "Wren", role: "admin" });
	});

	it("shows refusals on the form with the input kept", async () => {
		const res = await adminFetch(`/admin/editors/${admin.id}`, adminAuth, { form: { name: "Ada B", role: "editor" } });
		expectHtml(res, 409);
		const html = await res.text();
		expect(html).toContain('value="Ada B"');
		expect(html).toContain("This is the last admin");
		expect(html).toContain("You cannot remove yourself");
		expect(html).not.toContain(`action="/admin/editors/${admin.id}/delete"`);
		const bad = await adminFetch(`/admin/editors/${writer.id}`, adminAuth, { form: { name: "", role: "editor" } });
		expectHtml(bad, 400);
		expect(await bad.text()).toContain('<p class="field-error" id="editor-name-error">Required.</p>');
		const self = await adminFetch(`/admin/editors/${admin.id}/delete`, adminAuth, { form: {} });
		expectHtml(self, 409);
	});

	it("removes an editor and says so", async () => {
		const res = await adminFetch(`/admin/editors/${writer.id}/delete`, adminAuth, { form: {} });
		const { path, location } = redirectTarget(res);
		expect(path).toBe("/admin/editors");
		const next = await adminFetch(location, adminAuth);
		expect(flashOf(await next.text())?.text).toContain(`Removed Wren Writer (${writer.email})`);
		expect((await fetchApp("/admin/pages", { headers: writerAuth, redirect: "manual" })).status).toBe(302);
	});

	it("answers 404 for unknown editors and 403 to editors", async () => {
		expectHtml(await adminFetch("/admin/editors/999999", adminAuth), 404);
		expectHtml(await adminFetch("/admin/editors/abc", adminAuth), 404);
		expectHtml(await adminFetch("/admin/editors", writerAuth), 403);
		expectHtml(await adminFetch(`/admin/editors/${admin.id}/delete`, writerAuth, { form: {} }), 403);
	});
});
