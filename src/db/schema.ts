import { sql } from "drizzle-orm";
import {
	type AnySQLiteColumn,
	check,
	index,
	integer,
	primaryKey,
	sqliteTable,
	text,
	uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { SITEMAP_CHUNK_SIZE } from "../lib/sitemaps";

// Times are stored as integer milliseconds since the epoch (UTC): they sort and compare as
// numbers, which keyset pagination needs, and become ISO strings only at the edges.

export const regions = sqliteTable("regions", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	slug: text("slug").notNull().unique(),
	name: text("name").notNull(),
	/** One line under the name on its page and in the index of all of them; "" for none. */
	description: text("description").notNull().default(""),
});

export const topics = sqliteTable("topics", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	slug: text("slug").notNull().unique(),
	name: text("name").notNull(),
	/** One line under the name on its page and in the index of all of them; "" for none. */
	description: text("description").notNull().default(""),
});

export const articleStatuses = ["draft", "published"] as const;
export type ArticleStatus = (typeof articleStatuses)[number];

export const articles = sqliteTable(
	"articles",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		slug: text("slug").notNull().unique(),
		title: text("title").notNull(),
		summary: text("summary").notNull(),
		bodyMarkdown: text("body_markdown").notNull(),
		bodyHtml: text("body_html").notNull(),
		regionId: integer("region_id").references(() => regions.id, { onDelete: "set null" }),
		topicId: integer("topic_id").references(() => topics.id, { onDelete: "set null" }),
		status: text("status", { enum: articleStatuses }).notNull().default("draft"),
		// A published article with publishedAt in the future is scheduled: readers see it from then on.
		publishedAt: integer("published_at"),
		updatedAt: integer("updated_at").notNull(),
		createdAt: integer("created_at").notNull(),
		version: integer("version").notNull().default(1),
		deletedAt: integer("deleted_at"),
		/**
		 * The body as plain text (src/lib/markdown.ts renderBody), for search: triggers copy it,
		 * with the title and summary, into the articles_fts index (migrations/0009_search.sql).
		 */
		bodyText: text("body_text").notNull().default(""),
		/** The picture above the body (and its og:image); deleting a picture in use is refused. */
		leadImageId: text("lead_image_id").references((): AnySQLiteColumn => media.id),
	},
	(t) => [
		// Each reader list is "visible articles, newest first": equality on the leading columns
		// (deleted_at IS NULL counts as equality), then a range scan over published_at with the
		// rowid (id) breaking ties, so no list ever needs a sort step.
		index("articles_public_idx").on(t.status, t.deletedAt, t.publishedAt),
		index("articles_topic_idx").on(t.topicId, t.status, t.deletedAt, t.publishedAt),
		index("articles_region_idx").on(t.regionId, t.status, t.deletedAt, t.publishedAt),
		// Both filters at once (the API's ?topic=&region=): with only one of them in the index, a
		// rare pair would read the whole topic or region to fill a page.
		index("articles_topic_region_idx").on(t.topicId, t.regionId, t.status, t.deletedAt, t.publishedAt),
		index("articles_updated_idx").on(t.updatedAt),
		// The admin's lists of one status (drafts, published, scheduled), newest change first.
		index("articles_admin_status_idx").on(t.status, t.deletedAt, t.updatedAt),
		// The sitemap index's lastmod of each child (a fixed range of ids, src/lib/sitemaps.ts):
		// one seek per child to its newest live change, instead of reading every live article.
		// Search's visibility check (src/db/queries/search.ts): each candidate looked up by id reads
		// these few columns from the index, not the article's row, whose bodies come first and make
		// status and published_at a walk through its overflow pages away.
		index("articles_search_idx").on(t.id, t.status, t.deletedAt, t.publishedAt, t.topicId, t.regionId),
		index("articles_sitemap_idx").on(sitemapChild(t.id), t.status, t.deletedAt, lastChange(t)),
		check("articles_status_check", sql`${t.status} in ('draft', 'published')`),
		check("articles_published_at_check", sql`${t.status} = 'draft' or ${t.publishedAt} is not null`),
	],
);

/**
 * The sitemap child of an article id, 0-based, as SQL. The size is a literal, not a parameter:
 * SQLite uses an index on an expression only for a query that spells the same expression.
 */
export function sitemapChild(id: AnySQLiteColumn) {
	return sql`(${id} / ${sql.raw(String(SITEMAP_CHUNK_SIZE))})`;
}

/** When readers last saw an article change: its last edit, or its publication if that came later (a scheduled one). */
export function lastChange(t: { updatedAt: AnySQLiteColumn; publishedAt: AnySQLiteColumn }) {
	// CASE rather than max(a, b): drizzle-kit splits an index's expressions at commas.
	return sql`(case when ${t.publishedAt} > ${t.updatedAt} then ${t.publishedAt} else ${t.updatedAt} end)`;
}

export const pages = sqliteTable("pages", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	slug: text("slug").notNull().unique(),
	title: text("title").notNull(),
	bodyMarkdown: text("body_markdown").notNull(),
	bodyHtml: text("body_html").notNull(),
	updatedAt: integer("updated_at").notNull(),
});

// A retired slug keeps answering with a 301 to the article's current slug.
export const slugRedirects = sqliteTable(
	"slug_redirects",
	{
		slug: text("slug").primaryKey(),
		articleId: integer("article_id")
			.notNull()
			.references(() => articles.id, { onDelete: "cascade" }),
		createdAt: integer("created_at").notNull().default(sql`(unixepoch() * 1000)`),
	},
	(t) => [index("slug_redirects_article_idx").on(t.articleId)],
);

export type Region = typeof regions.$inferSelect;
export type Topic = typeof topics.$inferSelect;
export type Article = typeof articles.$inferSelect;
export type NewArticle = typeof articles.$inferInsert;
export type Page = typeof pages.$inferSelect;
export type SlugRedirect = typeof slugRedirects.$inferSelect;

// When each scheduled job last ran, so that a run picks up exactly where the previous one ended
// (a missed minute is caught up, nothing is handled twice).
export const jobRuns = sqliteTable("job_runs", {
	name: text("name").primaryKey(),
	lastRunAt: integer("last_run_at").notNull(),
});

// ---- Admin side -------------------------------------------------------------------------------

export const editorRoles = ["admin", "editor"] as const;
export type EditorRole = (typeof editorRoles)[number];

export const editors = sqliteTable(
	"editors",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		/** Stored lowercased and trimmed, so that one address is one editor. */
		email: text("email").notNull().unique(),
		name: text("name").notNull(),
		role: text("role", { enum: editorRoles }).notNull(),
		/** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>` (src/lib/passwords.ts). */
		passwordHash: text("password_hash").notNull(),
		createdAt: integer("created_at").notNull(),
		updatedAt: integer("updated_at").notNull(),
	},
	(t) => [check("editors_role_check", sql`${t.role} in ('admin', 'editor')`)],
);

// A session is known only by the SHA-256 of its cookie token: a leaked table opens no session.
export const sessions = sqliteTable(
	"sessions",
	{
		tokenHash: text("token_hash").primaryKey(),
		editorId: integer("editor_id")
			.notNull()
			.references(() => editors.id, { onDelete: "cascade" }),
		createdAt: integer("created_at").notNull(),
		/** Renewed as the editor works; a session idle for too long ends. */
		lastSeenAt: integer("last_seen_at").notNull(),
		/** The absolute end, however active the session is. */
		expiresAt: integer("expires_at").notNull(),
	},
	(t) => [index("sessions_editor_idx").on(t.editorId), index("sessions_expires_idx").on(t.expiresAt)],
);

// Failed sign-ins per key ("ip:<address or /64>", "email:<address>" or "device:<nonce>") within
// the current window (src/db/queries/throttle.ts). The index serves the sweep of stale counters.
export const loginThrottle = sqliteTable(
	"login_throttle",
	{
		key: text("key").primaryKey(),
		failures: integer("failures").notNull(),
		windowStartedAt: integer("window_started_at").notNull(),
		lockedUntil: integer("locked_until"),
	},
	(t) => [index("login_throttle_window_idx").on(t.windowStartedAt)],
);

// Bearer tokens for /api/admin: they act as the editor they belong to; only the hash is kept.
export const apiTokens = sqliteTable(
	"api_tokens",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		name: text("name").notNull(),
		tokenHash: text("token_hash").notNull().unique(),
		editorId: integer("editor_id")
			.notNull()
			.references(() => editors.id, { onDelete: "cascade" }),
		createdBy: integer("created_by").references(() => editors.id, { onDelete: "set null" }),
		createdAt: integer("created_at").notNull(),
		lastUsedAt: integer("last_used_at"),
		revokedAt: integer("revoked_at"),
	},
	(t) => [index("api_tokens_editor_idx").on(t.editorId)],
);

// One full snapshot per save of an article, numbered by the version that save produced.
export const articleRevisions = sqliteTable(
	"article_revisions",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		articleId: integer("article_id")
			.notNull()
			.references(() => articles.id, { onDelete: "cascade" }),
		version: integer("version").notNull(),
		slug: text("slug").notNull(),
		title: text("title").notNull(),
		summary: text("summary").notNull(),
		bodyMarkdown: text("body_markdown").notNull(),
		regionId: integer("region_id"),
		topicId: integer("topic_id"),
		status: text("status", { enum: articleStatuses }).notNull(),
		publishedAt: integer("published_at"),
		deletedAt: integer("deleted_at"),
		editorId: integer("editor_id").references(() => editors.id, { onDelete: "set null" }),
		/** Kept as text too, so that history still names who saved after an editor is removed. */
		editorName: text("editor_name").notNull(),
		createdAt: integer("created_at").notNull(),
	},
	(t) => [uniqueIndex("article_revisions_version_idx").on(t.articleId, t.version)],
);

// Who did what, when: every change made through the admin, kept after its subject is gone.
export const auditLog = sqliteTable(
	"audit_log",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		at: integer("at").notNull(),
		editorId: integer("editor_id").references(() => editors.id, { onDelete: "set null" }),
		editorEmail: text("editor_email").notNull(),
		/** e.g. "article.update", "article.delete", "token.create", "login.fail". */
		action: text("action").notNull(),
		/** e.g. "article:12", "topic:energy", "editor:3". */
		subject: text("subject").notNull(),
		/** JSON with what the action needs to be understood later (a title, a purge summary). */
		detail: text("detail").notNull().default("{}"),
	},
	// The log is read newest first by id (the rowid: no index needed). By subject alone, equal
	// subjects sit in id order too, so a subject's history needs no sort either.
	(t) => [index("audit_log_subject_idx").on(t.subject)],
);

export type Editor = typeof editors.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type ArticleRevision = typeof articleRevisions.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;

/** The signed-in editor, as the admin guard found them. */
export type CurrentEditor = Pick<Editor, "id" | "email" | "name" | "role">;

// ---- Newsroom: authors, pictures, corrections -------------------------------------------------

// The people in bylines. An editor account may be linked to at most one author (to pick
// themselves first); an author need not have an account (a contributor, a wire service).
export const authors = sqliteTable("authors", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	slug: text("slug").notNull().unique(),
	name: text("name").notNull(),
	/** A short bio, shown on the author's page. */
	bio: text("bio").notNull().default(""),
	/** Their own site or profile (https), or null. */
	url: text("url"),
	/** One line under the name on the author's page; "" for none. */
	description: text("description").notNull().default(""),
	editorId: integer("editor_id")
		.unique()
		.references(() => editors.id, { onDelete: "set null" }),
	createdAt: integer("created_at").notNull(),
	updatedAt: integer("updated_at").notNull(),
});

/**
 * An article's byline: its authors in order (position 0 first). `listed` and `published_at` copy
 * the article's visibility (status published and not deleted) and publication time, kept in step
 * by triggers (migrations/0011_newsroom.sql), so that an author's page is one range of
 * `article_authors_author_idx`, newest first, like a topic's.
 */
export const articleAuthors = sqliteTable(
	"article_authors",
	{
		articleId: integer("article_id")
			.notNull()
			.references(() => articles.id, { onDelete: "cascade" }),
		authorId: integer("author_id")
			.notNull()
			.references(() => authors.id),
		position: integer("position").notNull(),
		listed: integer("listed", { mode: "boolean" }).notNull().default(false),
		publishedAt: integer("published_at"),
	},
	(t) => [
		primaryKey({ columns: [t.articleId, t.position] }),
		uniqueIndex("article_authors_pair_idx").on(t.articleId, t.authorId),
		index("article_authors_author_idx").on(t.authorId, t.listed, t.publishedAt, t.articleId),
	],
);

export const mediaTypes = ["image/jpeg", "image/png", "image/webp", "image/avif"] as const;
export type MediaType = (typeof mediaTypes)[number];

/**
 * The picture library. The id is the content hash (hex SHA-256, first 32 digits): the bytes live
 * in R2 (binding MEDIA) under `<id>.<ext>` and are served, immutable, at /media/<id>.<ext>.
 */
export const media = sqliteTable(
	"media",
	{
		id: text("id").primaryKey(),
		ext: text("ext").notNull(),
		type: text("type", { enum: mediaTypes }).notNull(),
		bytes: integer("bytes").notNull(),
		width: integer("width").notNull(),
		height: integer("height").notNull(),
		alt: text("alt").notNull(),
		caption: text("caption").notNull().default(""),
		credit: text("credit").notNull().default(""),
		createdAt: integer("created_at").notNull(),
		createdBy: integer("created_by").references(() => editors.id, { onDelete: "set null" }),
	},
	(t) => [index("media_created_idx").on(t.createdAt)],
);

/** Which articles use which pictures (lead image or embedded in the body), written with each save. */
export const articleMedia = sqliteTable(
	"article_media",
	{
		articleId: integer("article_id")
			.notNull()
			.references(() => articles.id, { onDelete: "cascade" }),
		mediaId: text("media_id")
			.notNull()
			.references(() => media.id),
	},
	(t) => [primaryKey({ columns: [t.articleId, t.mediaId] }), index("article_media_media_idx").on(t.mediaId)],
);

/**
 * Public corrections: a note an editor attached to a save of a published article. The article
 * page lists them oldest first and /corrections all of them newest first; the reader-facing
 * "Updated" date and JSON-LD dateModified are the newest one's `at`.
 */
export const articleCorrections = sqliteTable(
	"article_corrections",
	{
		id: integer("id").primaryKey({ autoIncrement: true }),
		articleId: integer("article_id")
			.notNull()
			.references(() => articles.id, { onDelete: "cascade" }),
		/** The article version the correcting save produced. */
		version: integer("version").notNull(),
		note: text("note").notNull(),
		at: integer("at").notNull(),
		editorId: integer("editor_id").references(() => editors.id, { onDelete: "set null" }),
	},
	(t) => [index("article_corrections_article_idx").on(t.articleId, t.at), index("article_corrections_at_idx").on(t.at)],
);

export type Author = typeof authors.$inferSelect;
export type Media = typeof media.$inferSelect;
export type ArticleCorrection = typeof articleCorrections.$inferSelect;
