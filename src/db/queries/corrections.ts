import { and, desc, eq, lt, or, type SQL, sql } from "drizzle-orm";
import type { Cursor } from "../../lib/cursor";
import type { Db } from "../client";
import { articleCorrections, articles } from "../schema";
import { isVisible, type Page } from "./articles";

/** A correction as /corrections and its feed show it: the note, when, and the article it corrects. */
export type CorrectionListRow = {
	id: number;
	note: string;
	at: number;
	slug: string;
	title: string;
};

/**
 * Corrections of the articles readers can see, newest first, one keyset page at a time (the
 * cursor's time is the correction's). A range of article_corrections_at_idx read backwards: a
 * correction of an article that is not visible (unpublished, in the trash) is skipped, not shown.
 */
export async function listCorrections(
	db: Db,
	args: { now: number; limit: number; cursor: Cursor | null },
): Promise<Page<CorrectionListRow>> {
	const { now, limit, cursor } = args;
	const conditions: SQL[] = [isVisible(now)];
	if (cursor) {
		conditions.push(
			or(
				lt(articleCorrections.at, cursor.publishedAt),
				and(eq(articleCorrections.at, cursor.publishedAt), lt(articleCorrections.id, cursor.id)),
			) as SQL,
		);
	}
	const rows = await db
		.select({
			id: articleCorrections.id,
			note: articleCorrections.note,
			at: articleCorrections.at,
			slug: articles.slug,
			title: articles.title,
		})
		.from(articleCorrections)
		.innerJoin(articles, eq(articles.id, articleCorrections.articleId))
		.where(and(...conditions))
		.orderBy(desc(articleCorrections.at), desc(articleCorrections.id))
		.limit(limit + 1);
	const items = rows.slice(0, limit);
	const last = items.at(-1);
	return { items, next: rows.length > limit && last ? { publishedAt: last.at, id: last.id } : null };
}

/** Every correction of one article, oldest first, as a column of JSON text: `[{ "note", "at" }]`. */
export const correctionsColumn = sql<string>`(select json_group_array(json_object('note', c.note, 'at', c.at)) from
	(select c.note, c.at from ${articleCorrections} c where c.article_id = ${articles.id} order by c.at, c.id) c)`.as(
	"corrections",
);
