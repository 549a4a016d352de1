import { beforeEach, describe, expect, it } from "vitest";
import type * as schema from "../../../src/db/schema";
import { fetchApp, resetDb } from "../../helpers";
import { adminFetch, expectJsonError, expectPrivate, seedAuditLog, signedInAdminAndEditor } from "../helpers";

// The audit log through the admin's JSON API.

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

describe("the audit log", () => {
	const seedAudit = (count: number) => seedAuditLog(admin, count);

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
});
