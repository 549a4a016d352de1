import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import { hashToken } from "../../../src/lib/tokens";
import { fetchApp, resetDb, testDb } from "../../helpers";
import {
	adminFetch,
	bearerToken,
	createEditor,
	expectJsonError,
	expectPrivate,
	racingD1,
	signedInAdminAndEditor,
} from "../helpers";

// API tokens and editors through the admin's JSON API, end to end through the app.

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
