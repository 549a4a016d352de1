import { asc, count, eq, notExists, sql } from "drizzle-orm";
import type { Db } from "../client";
import { type Editor, type EditorRole, editors } from "../schema";

/** Emails are compared in one form: trimmed and lowercased. */
export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

/** The editor with this email (zero or one row), as a statement that can go in a `db.batch`. */
export function editorByEmail(db: Db, email: string) {
	return db
		.select()
		.from(editors)
		.where(eq(editors.email, normalizeEmail(email)))
		.limit(1);
}

export async function findEditorByEmail(db: Db, email: string): Promise<Editor | null> {
	return (await editorByEmail(db, email))[0] ?? null;
}

export async function findEditorById(db: Db, id: number): Promise<Editor | null> {
	return (await db.select().from(editors).where(eq(editors.id, id)).get()) ?? null;
}

/** Everyone who can sign in, without their password hashes. */
export function listEditors(db: Db) {
	return db
		.select({
			id: editors.id,
			email: editors.email,
			name: editors.name,
			role: editors.role,
			createdAt: editors.createdAt,
		})
		.from(editors)
		.orderBy(asc(editors.email));
}

export function updateEditor(db: Db, id: number, values: { name?: string; role?: EditorRole; updatedAt: number }) {
	return db.update(editors).set(values).where(eq(editors.id, id));
}

/** Their sessions and the API tokens acting as them go too (ON DELETE CASCADE). */
export function deleteEditor(db: Db, id: number) {
	return db.delete(editors).where(eq(editors.id, id));
}

export async function countAdmins(db: Db): Promise<number> {
	const row = await db.select({ n: count() }).from(editors).where(eq(editors.role, "admin")).get();
	return row?.n ?? 0;
}

/**
 * Put last in a batch that demotes or removes an editor: if no admin is left after the change,
 * this breaks the NOT NULL on `name` and D1 rolls the whole batch back. Two admins demoting each
 * other at once cannot both succeed, as they could with a count read beforehand.
 */
export function abortIfNoAdminLeft(db: Db) {
	const admins = db.select({ one: sql`1` }).from(editors).where(eq(editors.role, "admin"));
	return db.update(editors).set({ name: sql`null` }).where(notExists(admins));
}
