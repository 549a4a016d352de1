// Turns the sample content into idempotent SQL: every INSERT is ON CONFLICT DO NOTHING, keyed
// by slug, so seeding twice leaves the same rows and never overwrites an editor's changes.
// Pure (no Node APIs) so the tests can run it inside workerd against the test D1.
import { renderBody, renderMarkdown } from "../../src/lib/markdown.ts";
import { sqlValue } from "../lib/sql.ts";
import { type SeedArticle, seedArticles, seedPages, seedRegions, seedTopics } from "./content.ts";

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
	/** When it was written: created_at and updated_at. */
	writtenAt: number;
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
		sqlValue(a.writtenAt),
		sqlValue(a.writtenAt),
	];
	return (
		"INSERT INTO articles (slug, title, summary, body_markdown, body_html, body_text, region_id, topic_id, status, published_at, updated_at, created_at) " +
		`VALUES (${values.join(", ")}) ON CONFLICT(slug) DO NOTHING;`
	);
}

export function buildSeedStatements(now: number = Date.now()): string[] {
	const statements: string[] = [];
	for (const [table, rows] of [
		["regions", seedRegions],
		["topics", seedTopics],
	] as const) {
		for (const row of rows) {
			statements.push(
				`INSERT INTO ${table} (slug, name) VALUES (${sqlValue(row.slug)}, ${sqlValue(row.name)}) ON CONFLICT(slug) DO NOTHING;`,
			);
		}
	}
	for (const a of seedArticles) {
		const published = publishedAtMs(a, now);
		// Past articles look as if written when published; the scheduled and draft ones, now.
		const written = published !== null && published <= now ? published : now;
		statements.push(articleInsert({ ...a, publishedAt: published, writtenAt: written }));
	}
	for (const p of seedPages) {
		statements.push(
			"INSERT INTO pages (slug, title, body_markdown, body_html, updated_at) " +
				`VALUES (${sqlValue(p.slug)}, ${sqlValue(p.title)}, ${sqlValue(p.bodyMarkdown)}, ${sqlValue(renderMarkdown(p.bodyMarkdown))}, ${sqlValue(now)}) ON CONFLICT(slug) DO NOTHING;`,
		);
	}
	return statements;
}
