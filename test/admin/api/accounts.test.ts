import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { abortIfNoAdminLeft, updateEditor } from "../../../src/db/queries/editors";
import * as schema from "../../../src/db/schema";
import { hashToken } from "../../../src/lib/tokens";
import { fetchApp, resetDb, testDb } from "../../helpers";
import {
	adminFetch,
	bearerToken,
	createEditor,
	expectHtml,
	expectJsonError,
	expectPrivate,
	flashOf,
	racingD1,
	redirectTarget,
	sessionCookie,
} from "../helpers";

let admin: schema.Editor;
let adminAuth: { cookie: string };
let writer: schema.Editor;
let writerAuth: { cookie: string };

beforeEach(async () => {
	await resetDb();
	admin = await createEditor({ role: "admin", name: "Ada Admin" });
	adminAuth = { cookie: await sessionCookie(admin) };
	writer = await createEditor({ role: "editor", name: "Wren Writer" });
	writerAuth = { cookie: await sessionCookie(writer) };
});

async function auditRows(action: string) {
	return testDb().select().from(schema.auditLog).where(eq(schema.auditLog.action, action));
}

type TokenJson = {
	id: number;
	name: string;
	editor: { id: number; name: string; email: string };
	createdAt: string;
	lastUsedAt: string | null;
	revokedAt: string | null;
};

describe("API tokens as JSON", () => {
	it("creates one acting as an editor, shown once and stored only as its hash", async () => {
		const res = await adminFetch("/api/admin/tokens", adminAuth, {
			json: { name: "Import script", editorId: writer.id },
		});
		expect(res.status).toBe(201);
		expectPrivate(res);
		const body = (await res.json()) as TokenJson & { token: string };
		expect(body.token).toMatch(/^smt_[A-Za-z0-9_-]{43}$/);
		expect(body).toMatchObject({
			name: "Import script",
			editor: { id: writer.id, name: "Wren Writer", email: writer.email },
			lastUsedAt: null,
			revokedAt: null,
		});
		const rows = await testDb().select().from(schema.apiTokens);
		expect(rows).toHaveLength(1);
		expect(rows[0]?.tokenHash).toBe(await hashToken(body.token));
		expect(JSON.stringify(rows)).not.toContain(body.token);

		const list = await (await adminFetch("/api/admin/tokens", adminAuth)).text();
		expect(list).not.toContain(body.token);
		expect(list).not.toContain(rows[0]?.tokenHash);
		expect((JSON.parse(list) as { tokens: TokenJson[] }).tokens).toHaveLength(1);

		// The token works, as the editor it was made for.
		const use = await fetchApp("/api/admin/pages", { headers: { authorization: `Bearer ${body.token}` } });
		expect(use.status).toBe(200);
		const forbidden = await fetchApp("/api/admin/tokens", { headers: { authorization: `Bearer ${body.token}` } });
		expect(forbidden.status).toBe(403);
		const [entry] = await auditRows("token.create");
		expect(entry).toMatchObject({ subject: `token:${body.id}`, editorId: admin.id });
	});

	it("revokes one: it then gets 401, the list says when, and revoking again changes nothing", async () => {
		const created = (await (
			await adminFetch("/api/admin/tokens", adminAuth, { json: { name: "CI", editorId: admin.id } })
		).json()) as TokenJson & { token: string };
		const bearer = { authorization: `Bearer ${created.token}` };
		expect((await fetchApp("/api/admin/editors", { headers: bearer })).status).toBe(200);

		const res = await adminFetch(`/api/admin/tokens/${created.id}`, adminAuth, { method: "DELETE" });
		expect(res.status).toBe(200);
		const revoked = (await res.json()) as TokenJson;
		expect(revoked.revokedAt).not.toBeNull();
		await expectJsonError(await fetchApp("/api/admin/editors", { headers: bearer }), 401);
		await expectJsonError(await fetchApp("/api/admin/pages", { headers: bearer }), 401);

		const again = await adminFetch(`/api/admin/tokens/${created.id}`, adminAuth, { method: "DELETE" });
		expect(((await again.json()) as TokenJson).revokedAt).toBe(revoked.revokedAt);
		expect(await auditRows("token.revoke")).toHaveLength(1);
		const list = (await (await adminFetch("/api/admin/tokens", adminAuth)).json()) as { tokens: TokenJson[] };
		expect(list.tokens[0]?.revokedAt).toBe(revoked.revokedAt);
	});

	it("a token can revoke itself, with bearer auth and no Origin", async () => {
		const auth = { authorization: await bearerToken(admin, "self") };
		const [row] = await testDb().select().from(schema.apiTokens);
		const res = await adminFetch(`/api/admin/tokens/${row?.id}`, auth, { method: "DELETE" });
		expect(res.status).toBe(200);
		await expectJsonError(await adminFetch("/api/admin/tokens", auth), 401);
	});

	it("refuses bad input with fields, unknown ids with 404", async () => {
		await expectJsonError(await adminFetch("/api/admin/tokens", adminAuth, { json: { name: "" } }), 400, [
			"name",
			"editorId",
		]);
		await expectJsonError(
			await adminFetch("/api/admin/tokens", adminAuth, { json: { name: "x".repeat(81), editorId: 999_999 } }),
			400,
			["name", "editorId"],
		);
		await expectJsonError(
			await adminFetch("/api/admin/tokens", adminAuth, { json: { name: "ok", editorId: "abc" } }),
			400,
			["editorId"],
		);
		await expectJsonError(await adminFetch("/api/admin/tokens/999999", adminAuth, { method: "DELETE" }), 404);
		await expectJsonError(await adminFetch("/api/admin/tokens/abc", adminAuth, { method: "DELETE" }), 404);
		expect(await testDb().select().from(schema.apiTokens)).toHaveLength(0);
	});

	it("is for admins only, and needs Origin with a cookie", async () => {
		await expectJsonError(await adminFetch("/api/admin/tokens", writerAuth), 403);
		await expectJsonError(
			await adminFetch("/api/admin/tokens", writerAuth, { json: { name: "mine", editorId: admin.id } }),
			403,
		);
		await expectJsonError(
			await adminFetch("/api/admin/tokens", adminAuth, { json: { name: "x", editorId: admin.id }, origin: null }),
			403,
		);
		await expectJsonError(await fetchApp("/api/admin/tokens"), 401);
		expect(await testDb().select().from(schema.apiTokens)).toHaveLength(0);
	});
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

describe("editors as JSON", () => {
	it("lists everyone without password hashes", async () => {
		const res = await adminFetch("/api/admin/editors", adminAuth);
		expect(res.status).toBe(200);
		expectPrivate(res);
		const text = await res.text();
		expect(text).not.toContain("pbkdf2");
		expect(text).not.toMatch(/password/i);
		const body = JSON.parse(text) as { editors: { id: number; role: string }[] };
		expect(body.editors.map((e) => e.id).sort()).toEqual([admin.id, writer.id].sort());
	});

	it("changes a role and a name, and logs it", async () => {
		const res = await adminFetch(`/api/admin/editors/${writer.id}`, adminAuth, {
			method: "PATCH",
			json: { role: "admin", name: " Wren W. " },
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({
			id: writer.id,
			role: "admin",
			name: "Wren W.",
		});
		// The new role counts on the editor's very next request.
		expect((await adminFetch("/api/admin/editors", writerAuth)).status).toBe(200);
		const [entry] = await auditRows("editor.update");
		expect(entry?.subject).toBe(`editor:${writer.id}`);
		expect(JSON.parse(entry?.detail ?? "")).toMatchObject({ from: { role: "editor" }, to: { role: "admin" } });
	});

	it.each([
		["an escape sequence", "Ed\u001b[2J\u001b[31mPWNED"],
		["a line break", "Ed\r\nfake row"],
	])("refuses a name with %s, and changes nothing", async (_case, name) => {
		const error = await expectJsonError(
			await adminFetch(`/api/admin/editors/${writer.id}`, adminAuth, { method: "PATCH", json: { name } }),
			400,
			["name"],
		);
		expect(error.fields?.name).toContain("control characters");
		const [stored] = await testDb().select().from(schema.editors).where(eq(schema.editors.id, writer.id));
		expect(stored?.name).toBe(writer.name);
	});

	it("refuses to demote the last admin, and lets one go when another admin exists", async () => {
		const refused = await expectJsonError(
			await adminFetch(`/api/admin/editors/${admin.id}`, adminAuth, { method: "PATCH", json: { role: "editor" } }),
			409,
			["role"],
		);
		expect(refused.message).toContain("last admin");
		const other = await createEditor({ role: "admin" });
		const res = await adminFetch(`/api/admin/editors/${other.id}`, adminAuth, {
			method: "PATCH",
			json: { role: "editor" },
		});
		expect(res.status).toBe(200);
	});

	it("removes an editor: their sessions end and their tokens go (foreign key cascade)", async () => {
		const bearer = await bearerToken(writer);
		const res = await adminFetch(`/api/admin/editors/${writer.id}`, adminAuth, { method: "DELETE" });
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ id: writer.id, email: writer.email, deleted: true });
		const db = testDb();
		expect(await db.select().from(schema.sessions).where(eq(schema.sessions.editorId, writer.id))).toHaveLength(0);
		expect(await db.select().from(schema.apiTokens)).toHaveLength(0);
		await expectJsonError(await adminFetch("/api/admin/pages", writerAuth), 401);
		await expectJsonError(await fetchApp("/api/admin/pages", { headers: { authorization: bearer } }), 401);
		const [entry] = await auditRows("editor.delete");
		expect(JSON.parse(entry?.detail ?? "")).toMatchObject({ email: writer.email });
	});

	it("refuses removing yourself (409), bad roles (400), unknown ids (404), and editors (403)", async () => {
		await expectJsonError(await adminFetch(`/api/admin/editors/${admin.id}`, adminAuth, { method: "DELETE" }), 409);
		await expectJsonError(
			await adminFetch(`/api/admin/editors/${writer.id}`, adminAuth, {
				method: "PATCH",
				json: { role: "owner", name: "" },
			}),
			400,
			["role", "name"],
		);
		await expectJsonError(await adminFetch("/api/admin/editors/999999", adminAuth, { method: "PATCH", json: {} }), 404);
		await expectJsonError(await adminFetch("/api/admin/editors/999999", adminAuth, { method: "DELETE" }), 404);
		await expectJsonError(await adminFetch(`/api/admin/editors/${admin.id}`, writerAuth, { method: "DELETE" }), 403);
		await expectJsonError(await adminFetch("/api/admin/editors", writerAuth), 403);
		await expectJsonError(
			await adminFetch(`/api/admin/editors/${writer.id}`, adminAuth, { method: "DELETE", origin: null }),
			403,
		);
		expect(await testDb().select().from(schema.editors)).toHaveLength(2);
	});
});

describe("the last-admin guard (query level)", () => {
	it("rolls back a batch that leaves no admin", async () => {
		const db = testDb();
		await expect(
			db.batch([updateEditor(db, admin.id, { role: "editor", updatedAt: Date.now() }), abortIfNoAdminLeft(db)]),
		).rejects.toThrow();
		const [row] = await db.select().from(schema.editors).where(eq(schema.editors.id, admin.id));
		expect(row?.role).toBe("admin");
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

describe("the audit log", () => {
	async function seedAudit(count: number) {
		const db = testDb();
		for (let i = 0; i < count; i++) {
			await db.insert(schema.auditLog).values({
				at: Date.UTC(2026, 0, 1) + i * 1000,
				editorId: admin.id,
				editorEmail: admin.email,
				action: i % 2 === 0 ? "topic.update" : "page.update",
				subject: i % 2 === 0 ? "topic:energy" : "page:about",
				detail: JSON.stringify({ n: i }),
			});
		}
	}

	type Entries = {
		entries: { id: number; action: string; subject: string; detail: { n: number } }[];
		nextBefore: number | null;
	};

	it("is newest first, 50 a page, continued with ?before=", async () => {
		await seedAudit(60);
		const first = await adminFetch("/api/admin/audit", adminAuth);
		expect(first.status).toBe(200);
		expectPrivate(first);
		const page1 = (await first.json()) as Entries;
		expect(page1.entries).toHaveLength(50);
		expect(page1.entries[0]?.detail.n).toBe(59);
		expect(page1.entries[0]).toMatchObject({ action: "page.update", subject: "page:about" });
		const page2 = (await (
			await adminFetch(`/api/admin/audit?before=${page1.nextBefore}`, adminAuth)
		).json()) as Entries;
		expect(page2.entries.map((e) => e.detail.n)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
		expect(page2.nextBefore).toBeNull();
	});

	it("filters by action (a prefix up to a dot) and by exact subject", async () => {
		await seedAudit(6);
		const byAction = (await (await adminFetch("/api/admin/audit?action=topic", adminAuth)).json()) as Entries;
		expect(byAction.entries.map((e) => e.detail.n)).toEqual([4, 2, 0]);
		const bySubject = (await (await adminFetch("/api/admin/audit?subject=page:about", adminAuth)).json()) as Entries;
		expect(bySubject.entries.map((e) => e.detail.n)).toEqual([5, 3, 1]);
		const none = (await (await adminFetch("/api/admin/audit?action=top", adminAuth)).json()) as Entries;
		expect(none.entries).toHaveLength(0);
	});

	it("records the admin's own changes, with who and when", async () => {
		const before = Date.now();
		await adminFetch(`/api/admin/editors/${writer.id}`, adminAuth, { method: "PATCH", json: { name: "Renamed" } });
		const body = (await (await adminFetch("/api/admin/audit", adminAuth)).json()) as {
			entries: { at: string; editor: { id: number; email: string }; action: string }[];
		};
		expect(body.entries[0]).toMatchObject({ action: "editor.update", editor: { id: admin.id, email: admin.email } });
		expect(Date.parse(body.entries[0]?.at ?? "")).toBeGreaterThanOrEqual(before);
	});

	it("refuses bad parameters with fields, and is for admins only", async () => {
		await expectJsonError(await adminFetch("/api/admin/audit?before=abc&action=DROP%20TABLE", adminAuth), 400, [
			"before",
			"action",
		]);
		await expectJsonError(await adminFetch("/api/admin/audit", writerAuth), 403);
		await expectJsonError(await fetchApp("/api/admin/audit"), 401);
	});

	it("as HTML: a table with filters and an Older link; bad parameters shown on the form", async () => {
		await seedAudit(55);
		const res = await adminFetch("/admin/audit", adminAuth);
		expectHtml(res, 200);
		const html = await res.text();
		expect(html.match(/<tr><td><time/g)).toHaveLength(50);
		expect(html).toContain('<a href="/admin/audit?subject=topic%3Aenergy"><code>topic:energy</code></a>');
		const older = html.match(/href="(\/admin\/audit\?before=\d+)" rel="next"/)?.[1];
		expect(older).toBeTruthy();
		const next = await (await adminFetch((older as string).replace(/&amp;/g, "&"), adminAuth)).text();
		expect(next.match(/<tr><td><time/g)).toHaveLength(5);
		expect(next).not.toContain('rel="next"');

		const filtered = await (await adminFetch("/admin/audit?action=page", adminAuth)).text();
		expect(filtered.match(/<tr><td><time/g)).toHaveLength(27);
		expect(filtered).not.toContain("<code>topic.update</code>");
		expect(filtered).toContain('value="page"');

		const bad = await adminFetch("/admin/audit?action=Bad!", adminAuth);
		expectHtml(bad, 400);
		const badHtml = await bad.text();
		expect(badHtml).toContain('value="Bad!"');
		expect(badHtml).toContain('id="audit-action-error"');
		expectHtml(await adminFetch("/admin/audit", writerAuth), 403);
	});

	it("as HTML: a subject ending in ':' shows every subject of that kind, anything else one subject", async () => {
		const db = testDb();
		const subjects = ["topic:energy", "topic:power", "topics:list", "page:about", "editor:3", "topic:energy"];
		for (const [i, subject] of subjects.entries()) {
			await db.insert(schema.auditLog).values({
				at: Date.UTC(2026, 0, 1) + i * 1000,
				editorId: admin.id,
				editorEmail: admin.email,
				action: `${subject.split(":")[0]}.update`,
				subject,
				detail: "{}",
			});
		}
		const subjectsShown = (html: string) =>
			[...html.matchAll(/<a href="\/admin\/audit\?subject=[^"]+"><code>([^<]+)<\/code>/g)].map((m) => m[1]);

		const kind = await adminFetch("/admin/audit?subject=topic%3A", adminAuth);
		expectHtml(kind, 200);
		const kindHtml = await kind.text();
		expect(subjectsShown(kindHtml)).toEqual(["topic:energy", "topic:power", "topic:energy"]);
		expect(kindHtml).toContain('value="topic:"');
		expect(kindHtml).toContain('placeholder="e.g. topic: for all topics, or editor:3"');

		const one = await (await adminFetch("/admin/audit?subject=topic%3Aenergy", adminAuth)).text();
		expect(subjectsShown(one)).toEqual(["topic:energy", "topic:energy"]);
		const partial = await (await adminFetch("/admin/audit?subject=topic%3Aen", adminAuth)).text();
		expect(subjectsShown(partial)).toEqual([]);
		expect(partial).toContain("No entries match.");
	});
});

describe("two admins demoting each other at once", () => {
	it("cannot leave the site without an admin: the second demotion is refused with 409", async () => {
		const other = await createEditor({ role: "admin" });
		const DB = racingD1(/^update "editors" set "name" = null/, () =>
			testDb().update(schema.editors).set({ role: "editor" }).where(eq(schema.editors.id, other.id)),
		);
		const res = await adminFetch(
			`/api/admin/editors/${admin.id}`,
			adminAuth,
			{ method: "PATCH", json: { role: "editor" } },
			{ ...env, DB },
		);
		await expectJsonError(res, 409, ["role"]);
		const [row] = await testDb().select().from(schema.editors).where(eq(schema.editors.id, admin.id));
		expect(row?.role).toBe("admin");
		expect(await auditRows("editor.update")).toHaveLength(0);
	});
});
