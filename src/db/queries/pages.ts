import { eq } from "drizzle-orm";
import type { Db } from "../../types";
import { type Page, pages } from "../schema";

export async function getPageBySlug(db: Db, slug: string): Promise<Page | null> {
	const rows = await db.select().from(pages).where(eq(pages.slug, slug)).limit(1);
	return rows[0] ?? null;
}
