import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { authors, editors } from "../schema";

// Authors: the people in bylines. Reads return the query itself (awaitable, or usable inside
// db.batch), so that a change and its audit entry commit together.

/** One name in a byline, in order: what every article response carries. */
export type BylineAuthor = { slug: string; name: string };

/**
 * An article's byline as one JSON column, `[[slug, name], …]` in byline order, for the article
 * whose id is the SQL expression `articleId`: a range of article_authors' primary key
 * (article_id, position), which is already in byline order, and each author by its id. CROSS JOIN
 * fixes that join order. One column rather than rows of its own: the article page is one
 * compound statement and D1 allows it no sixth member.
 */
export function bylineSql(articleId: string): string {
	return `(SELECT json_group_array(json_array(byline.slug, byline.name)) FROM (SELECT au.slug, au.name
		FROM article_authors b CROSS JOIN authors au ON au.id = b.author_id
		WHERE b.article_id = ${articleId} ORDER BY b.position) byline)`;
}

/** bylineSql's JSON as names in order; anything malformed is left out. */
export function parseByline(json: unknown): BylineAuthor[] {
	if (typeof json !== "string" || json === "") return [];
	const pairs: unknown = JSON.parse(json);
	if (!Array.isArray(pairs)) return [];
	return pairs.flatMap((p) =>
		Array.isArray(p) && typeof p[0] === "string" && typeof p[1] === "string" ? [{ slug: p[0], name: p[1] }] : [],
	);
}

/** An author as their page shows them. */
export type AuthorInfo = { slug: string; name: string; bio: string; url: string | null; description: string };

export function findAuthor(db: Db, slug: string) {
	return db
		.select({
			slug: authors.slug,
			name: authors.name,
			bio: authors.bio,
			url: authors.url,
			description: authors.description,
		})
		.from(authors)
		.where(eq(authors.slug, slug))
		.limit(1);
}

/** An author as the admin manages them: with the editor account linked, and how many articles name them. */
export type AdminAuthor = AuthorInfo & {
	id: number;
	editor: { id: number; email: string; name: string } | null;
	articleCount: number;
	createdAt: number;
	updatedAt: number;
};

type AdminAuthorRow = AuthorInfo & {
	id: number;
	editorId: number | null;
	editorEmail: string | null;
	editorName: string | null;
	articleCount: number;
	createdAt: number;
	updatedAt: number;
};

function selectAdminAuthors(db: Db) {
	return (
		db
			.select({
				id: authors.id,
				slug: authors.slug,
				name: authors.name,
				bio: authors.bio,
				url: authors.url,
				description: authors.description,
				editorId: authors.editorId,
				editorEmail: sql<string | null>`${editors.email}`.as("editor_email"),
				editorName: sql<string | null>`${editors.name}`.as("editor_name"),
				// A range of article_authors_author_idx (drafts and trash included).
				articleCount: sql<number>`(select count(*) from article_authors x where x.author_id = ${authors.id})`.as(
					"article_count",
				),
				createdAt: authors.createdAt,
				updatedAt: authors.updatedAt,
			})
			.from(authors)
			// Written out: the editor row joined by its id.
			.leftJoin(editors, eq(editors.id, authors.editorId))
	);
}

export function toAdminAuthor(row: AdminAuthorRow): AdminAuthor {
	const { editorId, editorEmail, editorName, ...rest } = row;
	return {
		...rest,
		editor:
			editorId !== null && editorEmail !== null ? { id: editorId, email: editorEmail, name: editorName ?? "" } : null,
	};
}

/** By slug: the unique index walks them in that order. */
export async function listAdminAuthors(db: Db): Promise<AdminAuthor[]> {
	return (await selectAdminAuthors(db).orderBy(asc(authors.slug))).map(toAdminAuthor);
}

export async function findAdminAuthor(db: Db, slug: string): Promise<AdminAuthor | null> {
	const row = await selectAdminAuthors(db).where(eq(authors.slug, slug)).get();
	return row ? toAdminAuthor(row) : null;
}

export type AuthorValues = {
	name: string;
	bio: string;
	url: string | null;
	description: string;
	editorId: number | null;
};

export function insertAuthor(db: Db, values: AuthorValues & { slug: string; at: number }) {
	const { at, ...rest } = values;
	return db
		.insert(authors)
		.values({ ...rest, createdAt: at, updatedAt: at })
		.returning({ id: authors.id });
}

export function updateAuthor(db: Db, id: number, values: AuthorValues & { at: number }) {
	const { at, ...rest } = values;
	return db
		.update(authors)
		.set({ ...rest, updatedAt: at })
		.where(eq(authors.id, id));
}

/** The ids of the authors with these slugs (any order): one probe of the unique index each. */
export function findAuthorIds(db: Db, slugs: string[]) {
	return db.select({ id: authors.id, slug: authors.slug }).from(authors).where(inArray(authors.slug, slugs));
}

/** The author linked to an editor account: a list of zero or one. */
export function findAuthorOfEditor(db: Db, editorId: number) {
	return db.select({ id: authors.id, slug: authors.slug }).from(authors).where(eq(authors.editorId, editorId)).limit(1);
}

/** Every author by name, for the article form's byline picker. */
export function listAuthorChoices(db: Db) {
	return db.select({ slug: authors.slug, name: authors.name }).from(authors).orderBy(asc(authors.name));
}
