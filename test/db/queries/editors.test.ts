import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { abortIfNoAdminLeft, updateEditor } from "../../../src/db/queries/editors";
import * as schema from "../../../src/db/schema";
import { createEditor } from "../../admin/helpers";
import { resetDb, testDb } from "../../helpers";

// Editor queries (src/db/queries/editors.ts) on their own: the last-admin guard's batch.

let admin: schema.Editor;

beforeEach(async () => {
	await resetDb();
	admin = await createEditor({ role: "admin", name: "Ada Admin" });
	await createEditor({ role: "editor", name: "Wren Writer" });
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
