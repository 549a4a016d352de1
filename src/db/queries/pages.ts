import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "../client";
import { auditLog, editors, type Page, pages } from "../schema";

export async function getPageBySlug(db: Db, slug: string): Promise<Page | null> {
	const rows = await db.select().from(pages).where(eq(pages.slug, slug)).limit(1);
	return rows[0] ?? null;
}

// The About/Services pages as the admin lists and edits them.

export function listAdminPages(db: Db) {
	return db
		.select({ slug: pages.slug, title: pages.title, updatedAt: pages.updatedAt })
		.from(pages)
		.orderBy(asc(pages.slug));
}

export function updatePage(
	db: Db,
	slug: string,
	values: { title: string; bodyMarkdown: string; bodyHtml: string; updatedAt: number },
) {
	return db.update(pages).set(values).where(eq(pages.slug, slug));
}

/**
 * Put first in the batch that saves a page: if the page changed since the editor loaded it
 * (`updated_at` differs), this breaks the NOT NULL on `title` and D1 rolls the batch back, so
 * the check and the write are one step even without interactive transactions.
 */
export function abortSaveIfStale(db: Db, slug: string, loadedUpdatedAt: number) {
	return db
		.update(pages)
		.set({ title: sql`null` })
		.where(and(eq(pages.slug, slug), ne(pages.updatedAt, loadedUpdatedAt)));
}

/** A save of a page as the audit log recorded it; `editorName` is null once the editor is removed. */
export type PageSave = { at: number; editorId: number | null; editorEmail: string; editorName: string | null };

/** The audit entry of the save that set the page's `updated_at` to `updatedAt` (found by the subject index). */
export async function findPageSave(db: Db, slug: string, updatedAt: number): Promise<PageSave | null> {
	const row = await db
		.select({
			at: auditLog.at,
			editorId: auditLog.editorId,
			editorEmail: auditLog.editorEmail,
			editorName: editors.name,
		})
		.from(auditLog)
		.leftJoin(editors, eq(editors.id, auditLog.editorId))
		.where(and(eq(auditLog.subject, `page:${slug}`), eq(auditLog.action, "page.update"), eq(auditLog.at, updatedAt)))
		.orderBy(desc(auditLog.id))
		.limit(1)
		.get();
	return row ?? null;
}
