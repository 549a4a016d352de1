// Turns the sample content into idempotent SQL: every INSERT is ON CONFLICT DO NOTHING, keyed
// by slug (or guarded by NOT EXISTS where a table has no natural key), so seeding twice leaves the
// same rows and never overwrites an editor's changes. A database seeded before the newsroom
// tables existed gains the bylines, lead pictures, corrections and descriptions on its next run;
// each is added once, while the article has none of its own (no byline, no picture, an empty
// description). Pure (no Node APIs) so the tests can run it inside workerd against the test D1.
import { renderBody, renderMarkdown } from "../../src/lib/markdown.ts";
import { sqlValue } from "../lib/sql.ts";
import {
	type SeedArticle,
	seedArticles,
	seedAuthors,
	seedCorrections,
	seedPages,
	seedRegions,
	seedTopics,
} from "./content.ts";

const DAY_MS = 86_400_000;

function publishedAtMs(article: SeedArticle, now: number): number | null {
	if (article.status === "draft") return null;
	if (typeof article.publishedAt === "string") {
		const ms = Date.parse(article.publishedAt);
		if (Number.isNaN(ms)) throw new Error(`seed: bad publishedAt for ${article.slug}`);
		return ms;
	}
	return now + article.publishedAt.daysFromNow * DAY_MS;
}

/** An article as SQL rows want it: taxa by slug, times in milliseconds. */
export type ArticleRowInput = {
	slug: string;
	title: string;
	summary: string;
	bodyMarkdown: string;
	region: string;
	topic: string;
	status: "draft" | "published";
	publishedAt: number | null;
	/** When it was written: created_at, and updated_at unless `updatedAt` says otherwise. */
	writtenAt: number;
	/** Its last content change, when later than writtenAt (a corrected article's correction). */
	updatedAt?: number;
};

/** A lead picture as the seed's SQL needs it: the drawn file's id and size, and its words. */
export type SeedMedia = {
	article: string;
	id: string;
	bytes: number;
	width: number;
	height: number;
	alt: string;
	caption: string;
	credit: string;
};

/** One idempotent INSERT for an article (keyed by slug; an existing row is left alone). */
export function articleInsert(a: ArticleRowInput): string {
	const body = renderBody(a.bodyMarkdown);
	const values = [
		sqlValue(a.slug),
		sqlValue(a.title),
		sqlValue(a.summary),
		sqlValue(a.bodyMarkdown),
		sqlValue(body.html),
		sqlValue(body.text),
		`(SELECT id FROM regions WHERE slug = ${sqlValue(a.region)})`,
		`(SELECT id FROM topics WHERE slug = ${sqlValue(a.topic)})`,
		sqlValue(a.status),
		sqlValue(a.publishedAt),
		sqlValue(a.updatedAt ?? a.writtenAt),
		sqlValue(a.writtenAt),
	];
	return (
		"INSERT INTO articles (slug, title, summary, body_markdown, body_html, body_text, region_id, topic_id, status, published_at, updated_at, created_at) " +
		`VALUES (${values.join(", ")}) ON CONFLICT(slug) DO NOTHING;`
	);
}

function isoMs(iso: string, what: string): number {
	const ms = Date.parse(iso);
	if (Number.isNaN(ms)) throw new Error(`seed: bad time for ${what}`);
	return ms;
}

/**
 * The sample content as SQL. `media` are the lead pictures (apply.ts draws them and puts the files
 * in R2 first, so that no media row names a missing object).
 */
export function buildSeedStatements(now: number, media: SeedMedia[]): string[] {
	const statements: string[] = [];
	const known = new Set(seedArticles.map((a) => a.slug));
	for (const [table, rows] of [
		["regions", seedRegions],
		["topics", seedTopics],
	] as const) {
		for (const row of rows) {
			// The description fills an empty one (a database seeded before descriptions existed).
			statements.push(
				`INSERT INTO ${table} (slug, name, description) VALUES (${sqlValue(row.slug)}, ${sqlValue(row.name)}, ${sqlValue(row.description)}) ` +
					`ON CONFLICT(slug) DO UPDATE SET description = excluded.description WHERE ${table}.description = '';`,
			);
		}
	}
	for (const au of seedAuthors) {
		statements.push(
			"INSERT INTO authors (slug, name, bio, url, description, created_at, updated_at) " +
				`VALUES (${[au.slug, au.name, au.bio, au.url, au.description, now, now].map(sqlValue).join(", ")}) ON CONFLICT(slug) DO NOTHING;`,
		);
	}
	const written = new Map<string, number>();
	const correctedAt = new Map<string, number>();
	for (const c of seedCorrections) {
		const at = isoMs(c.at, c.article);
		correctedAt.set(c.article, Math.max(at, correctedAt.get(c.article) ?? 0));
	}
	for (const a of seedArticles) {
		const published = publishedAtMs(a, now);
		// Past articles look as if written when published; the scheduled and draft ones, now.
		const writtenAt = published !== null && published <= now ? published : now;
		written.set(a.slug, writtenAt);
		const corrected = correctedAt.get(a.slug);
		if (corrected !== undefined && (published === null || corrected <= published))
			throw new Error(`seed: the correction of ${a.slug} must come after its publication`);
		statements.push(articleInsert({ ...a, publishedAt: published, writtenAt, updatedAt: corrected }));
	}
	for (const m of media) {
		const createdAt = written.get(m.article);
		if (createdAt === undefined) throw new Error(`seed: a picture for an unknown article ${m.article}`);
		const values = [m.id, "png", "image/png", m.bytes, m.width, m.height, m.alt, m.caption, m.credit, createdAt];
		statements.push(
			"INSERT INTO media (id, ext, type, bytes, width, height, alt, caption, credit, created_at, created_by) " +
				`VALUES (${values.map(sqlValue).join(", ")}, NULL) ON CONFLICT(id) DO NOTHING;`,
		);
		// The lead picture, once: not when the article has a picture of its own or had this one.
		statements.push(
			`UPDATE articles SET lead_image_id = ${sqlValue(m.id)} WHERE slug = ${sqlValue(m.article)} AND lead_image_id IS NULL ` +
				"AND NOT EXISTS (SELECT 1 FROM article_media am WHERE am.article_id = articles.id);",
		);
		statements.push(
			"INSERT INTO article_media (article_id, media_id) " +
				`SELECT id, lead_image_id FROM articles WHERE slug = ${sqlValue(m.article)} AND lead_image_id = ${sqlValue(m.id)} ` +
				"ON CONFLICT DO NOTHING;",
		);
	}
	for (const a of seedArticles) {
		if (a.authors.length === 0) throw new Error(`seed: ${a.slug} has no author`);
		// The whole byline in one statement, and only while the article has none (an editor's stays).
		const byline = a.authors.map((slug, position) => `SELECT ${sqlValue(slug)} AS slug, ${position} AS position`);
		statements.push(
			"INSERT INTO article_authors (article_id, author_id, position) " +
				`SELECT ar.id, au.id, b.position FROM articles ar JOIN (${byline.join(" UNION ALL ")}) b JOIN authors au ON au.slug = b.slug ` +
				`WHERE ar.slug = ${sqlValue(a.slug)} AND NOT EXISTS (SELECT 1 FROM article_authors x WHERE x.article_id = ar.id) ` +
				"ORDER BY b.position;",
		);
	}
	for (const c of seedCorrections) {
		if (!known.has(c.article)) throw new Error(`seed: a correction for an unknown article ${c.article}`);
		// The version is the article's own: its seeded text is the corrected one.
		statements.push(
			"INSERT INTO article_corrections (article_id, version, note, at, editor_id) " +
				`SELECT id, version, ${sqlValue(c.note)}, ${sqlValue(isoMs(c.at, c.article))}, NULL FROM articles a ` +
				`WHERE a.slug = ${sqlValue(c.article)} AND NOT EXISTS (SELECT 1 FROM article_corrections c WHERE c.article_id = a.id AND c.note = ${sqlValue(c.note)});`,
		);
		// A correction is a content change: updatedAt is never older than it (an article seeded
		// before corrections existed; a fresh one was inserted with it already).
		statements.push(
			`UPDATE articles SET updated_at = ${sqlValue(isoMs(c.at, c.article))} WHERE slug = ${sqlValue(c.article)} AND updated_at < ${sqlValue(isoMs(c.at, c.article))};`,
		);
	}
	for (const p of seedPages) {
		statements.push(
			"INSERT INTO pages (slug, title, body_markdown, body_html, updated_at) " +
				`VALUES (${sqlValue(p.slug)}, ${sqlValue(p.title)}, ${sqlValue(p.bodyMarkdown)}, ${sqlValue(renderMarkdown(p.bodyMarkdown))}, ${sqlValue(now)}) ON CONFLICT(slug) DO NOTHING;`,
		);
	}
	return statements;
}
