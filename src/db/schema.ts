import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Times are stored as integer milliseconds since the epoch (UTC): they sort and compare as
// numbers, which keyset pagination needs, and become ISO strings only at the edges.

export const regions = sqliteTable("regions", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	slug: text("slug").notNull().unique(),
	name: text("name").notNull(),
});

export const topics = sqliteTable("topics", {
	id: integer("id").primaryKey({ autoIncrement: true }),
	slug: text("slug").notNull().unique(),
	name: text("name").notNull(),
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
	},
	(t) => [
		// Each reader list is "visible articles, newest first": equality on the leading columns
		// (deleted_at IS NULL counts as equality), then a range scan over published_at with the
		// rowid (id) breaking ties, so no list ever needs a sort step.
		index("articles_public_idx").on(t.status, t.deletedAt, t.publishedAt),
		index("articles_topic_idx").on(t.topicId, t.status, t.deletedAt, t.publishedAt),
		index("articles_region_idx").on(t.regionId, t.status, t.deletedAt, t.publishedAt),
		index("articles_updated_idx").on(t.updatedAt),
		check("articles_status_check", sql`${t.status} in ('draft', 'published')`),
		check("articles_published_at_check", sql`${t.status} = 'draft' or ${t.publishedAt} is not null`),
	],
);

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
