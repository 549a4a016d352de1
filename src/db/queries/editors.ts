import { asc, eq } from "drizzle-orm";
import type { Db } from "../../types";
import { type Editor, editors } from "../schema";

/** Emails are compared in one form: trimmed and lowercased. */
export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

export async function findEditorByEmail(db: Db, email: string): Promise<Editor | null> {
	return (
		(await db
			.select()
			.from(editors)
			.where(eq(editors.email, normalizeEmail(email)))
			.get()) ?? null
	);
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
