import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { buildSeedStatements } from "../scripts/seed/build";
import {
	seedArticles,
	seedAuthors,
	seedCorrections,
	seedPages,
	seedPictures,
	seedRegions,
	seedTopics,
} from "../scripts/seed/content";
import { renderSeedPictures } from "../scripts/seed/pictures";
import { isSlug } from "../src/lib/slugs";
import { fetchApp, resetDb } from "./helpers";

// Drawn once (the same node:zlib and node:crypto code as `npm run dev`, here in workerd).
const pictures = renderSeedPictures();

async function seed(now = Date.now()) {
	await env.DB.batch(
		buildSeedStatements(
			now,
			pictures.map((p) => p.media),
		).map((sql) => env.DB.prepare(sql)),
	);
}

async function all<T>(sql: string, ...params: unknown[]): Promise<T[]> {
	return (
		await env.DB.prepare(sql)
			.bind(...params)
			.all<T>()
	).results;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
	const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
	expect(String.fromCharCode(...png.subarray(12, 16))).toBe("IHDR");
	return { width: view.getUint32(16), height: view.getUint32(20) };
}

async function snapshot() {
	const tables = [
		"regions",
		"topics",
		"authors",
		"media",
		"articles",
		"article_authors",
		"article_media",
		"article_corrections",
		"pages",
	];
	const out: Record<string, unknown[]> = {};
	for (const t of tables) out[t] = (await env.DB.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()).results;
	return out;
}

beforeEach(resetDb);

describe("sample content", () => {
	const published = seedArticles.filter((a) => a.status === "published" && typeof a.publishedAt === "string");

	it("has at least 12 published articles over several months, 3 regions and 3 topics", () => {
		expect(published.length).toBeGreaterThanOrEqual(12);
		const months = new Set(published.map((a) => String(a.publishedAt).slice(0, 7)));
		expect(months.size).toBeGreaterThanOrEqual(4);
		expect(new Set(published.map((a) => a.region)).size).toBeGreaterThanOrEqual(3);
		expect(new Set(published.map((a) => a.topic)).size).toBeGreaterThanOrEqual(3);
	});

	it("has one draft, one scheduled and one just-published article, and About and Services pages", () => {
		expect(seedArticles.filter((a) => a.status === "draft")).toHaveLength(1);
		expect(seedArticles.filter(isScheduled)).toHaveLength(1);
		// Within the news sitemap's 48 hours whenever the seed runs.
		expect(
			seedArticles.filter(
				(a) => typeof a.publishedAt === "object" && a.publishedAt.daysFromNow > -2 && !isScheduled(a),
			),
		).toHaveLength(1);
		expect(seedPages.map((p) => p.slug).sort()).toEqual(["about", "services"]);
	});

	it("uses valid, unique slugs and known regions and topics, with several paragraphs each", () => {
		const slugs = seedArticles.map((a) => a.slug);
		expect(new Set(slugs).size).toBe(slugs.length);
		const regions = new Set(seedRegions.map((r) => r.slug));
		const topics = new Set(seedTopics.map((t) => t.slug));
		for (const a of seedArticles) {
			expect(isSlug(a.slug), a.slug).toBe(true);
			expect(regions.has(a.region), a.slug).toBe(true);
			expect(topics.has(a.topic), a.slug).toBe(true);
			expect(a.bodyMarkdown.split(/\n\s*\n/).length, a.slug).toBeGreaterThanOrEqual(3);
		}
	});
});

describe("seeding", () => {
	it("is idempotent: running it twice leaves the same rows", async () => {
		await seed(Date.UTC(2026, 10, 1));
		const first = await snapshot();
		await seed(Date.UTC(2026, 10, 2));
		expect(await snapshot()).toEqual(first);
		expect(first.articles).toHaveLength(seedArticles.length);
		expect(first.pages).toHaveLength(2);
		expect(first.authors).toHaveLength(seedAuthors.length);
		expect(first.media).toHaveLength(seedPictures.length);
		expect(first.article_corrections).toHaveLength(2);
	});

	it("shows readers the published articles only, and renders bodies to paragraphs", async () => {
		await seed();
		const body = await (await fetchApp("/api/articles?limit=50")).json<{ articles: { slug: string }[] }>();
		expect(body.articles).toHaveLength(published().length);
		const hidden = seedArticles.filter((a) => a.status === "draft" || isScheduled(a));
		for (const a of hidden) {
			expect(body.articles.some((b) => b.slug === a.slug)).toBe(false);
			expect((await fetchApp(`/articles/${a.slug}`)).status).toBe(404);
		}
		const first = seedArticles[0];
		const page = await (await fetchApp(`/articles/${first?.slug}`)).text();
		expect(page.match(/<p>/g)?.length).toBeGreaterThanOrEqual(3);
		expect((await fetchApp("/about")).status).toBe(200);
		expect((await fetchApp("/services")).status).toBe(200);
	});

	it("never overwrites a row an editor changed", async () => {
		await seed();
		const slug = seedArticles[0]?.slug ?? "";
		await env.DB.prepare("UPDATE articles SET title = 'Edited' WHERE slug = ?").bind(slug).run();
		await seed();
		const row = await env.DB.prepare("SELECT title FROM articles WHERE slug = ?").bind(slug).first<{ title: string }>();
		expect(row?.title).toBe("Edited");
	});
});

describe("newsroom sample content", () => {
	it("has 3 to 4 authors, each with a name, a bio and a one-line description", async () => {
		await seed();
		const rows = await all<{ slug: string; name: string; bio: string; description: string }>("SELECT * FROM authors");
		expect(rows.length).toBeGreaterThanOrEqual(3);
		expect(rows.length).toBeLessThanOrEqual(4);
		for (const a of rows) {
			expect(isSlug(a.slug), a.slug).toBe(true);
			expect(a.name.length).toBeGreaterThan(0);
			expect(a.bio.length).toBeGreaterThan(20);
			expect(a.description.length).toBeGreaterThan(10);
		}
	});

	it("gives every article its byline in order, two authors on at least two, listed like the article", async () => {
		await seed();
		const rows = await all<{
			article: string;
			author: string;
			position: number;
			listed: number;
			at: number | null;
			pub: number | null;
			status: string;
		}>(
			`SELECT ar.slug AS article, au.slug AS author, aa.position, aa.listed, aa.published_at AS at, ar.published_at AS pub, ar.status
			FROM article_authors aa JOIN articles ar ON ar.id = aa.article_id JOIN authors au ON au.id = aa.author_id
			ORDER BY ar.slug, aa.position`,
		);
		for (const a of seedArticles) {
			const byline = rows.filter((r) => r.article === a.slug);
			expect(
				byline.map((r) => r.author),
				a.slug,
			).toEqual(a.authors);
			expect(byline.map((r) => r.position)).toEqual(a.authors.map((_, i) => i));
			for (const r of byline) {
				expect(r.listed, a.slug).toBe(r.status === "published" ? 1 : 0);
				expect(r.at).toBe(r.pub);
			}
		}
		expect(seedArticles.filter((a) => a.authors.length >= 2).length).toBeGreaterThanOrEqual(2);
	});

	it("gives at least half of the articles a lead picture whose media row matches its PNG", async () => {
		await seed();
		const rows = await all<{
			slug: string;
			id: string;
			bytes: number;
			width: number;
			height: number;
			ext: string;
			type: string;
			alt: string;
			credit: string;
			linked: number;
		}>(
			`SELECT ar.slug, m.*, (SELECT count(*) FROM article_media am WHERE am.article_id = ar.id AND am.media_id = m.id) AS linked
			FROM articles ar JOIN media m ON m.id = ar.lead_image_id`,
		);
		expect(rows.length * 2).toBeGreaterThanOrEqual(seedArticles.length);
		for (const row of rows) {
			const file = pictures.find((p) => p.media.id === row.id);
			expect(file, row.slug).toBeDefined();
			if (!file) continue;
			expect(file.media.article).toBe(row.slug);
			expect({ width: row.width, height: row.height }).toEqual(pngSize(file.png));
			expect(row.bytes).toBe(file.png.length);
			expect(file.png.length).toBeLessThan(30_000);
			expect([row.ext, row.type]).toEqual(["png", "image/png"]);
			expect(row.alt.length).toBeGreaterThan(30);
			expect(row.credit).toBe("Illustration: Samarium");
			expect(row.linked).toBe(1);
		}
		expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
	});

	it("records two corrections on two published articles, each after its publication", async () => {
		await seed(Date.UTC(2026, 11, 1));
		const rows = await all<{
			slug: string;
			status: string;
			published_at: number;
			updated_at: number;
			at: number;
			note: string;
			version: number;
			cur: number;
		}>(
			`SELECT ar.slug, ar.status, ar.published_at, ar.updated_at, ar.version AS cur, c.at, c.note, c.version
			FROM article_corrections c JOIN articles ar ON ar.id = c.article_id`,
		);
		expect(rows).toHaveLength(2);
		expect(new Set(rows.map((r) => r.slug)).size).toBe(2);
		for (const r of rows) {
			expect(r.status).toBe("published");
			expect(r.at).toBeGreaterThan(r.published_at);
			expect(r.updated_at).toBe(r.at);
			expect(r.version).toBe(r.cur);
			expect(r.note).toMatch(/^An earlier version of this article/);
		}
		const page = await (await fetchApp(`/articles/${seedCorrections[0]?.article}`)).text();
		expect(page).toContain("issued per contract");
	});

	it("gives every topic and region a one-line description", async () => {
		await seed();
		for (const t of ["topics", "regions"]) {
			const rows = await all<{ description: string }>(`SELECT description FROM ${t}`);
			expect(rows).toHaveLength(t === "topics" ? seedTopics.length : seedRegions.length);
			for (const r of rows) {
				expect(r.description.length).toBeGreaterThan(10);
				expect(r.description).not.toContain("\n");
			}
		}
	});

	it("adds bylines, pictures, corrections and descriptions to a database seeded before them, once", async () => {
		await seed();
		const full = await snapshot();
		// As a database seeded before the newsroom tables existed looks.
		await env.DB.batch(
			[
				"UPDATE articles SET lead_image_id = NULL, updated_at = created_at",
				"DELETE FROM article_media",
				"DELETE FROM article_authors",
				"DELETE FROM article_corrections",
				"DELETE FROM media",
				"DELETE FROM authors",
				"UPDATE topics SET description = ''",
				"UPDATE regions SET description = ''",
			].map((sql) => env.DB.prepare(sql)),
		);
		await seed();
		const again = await snapshot();
		for (const t of ["topics", "regions", "media", "article_media"]) expect(again[t], t).toEqual(full[t]);
		expect(again.article_authors).toHaveLength(full.article_authors?.length ?? 0);
		expect(again.article_corrections).toHaveLength(2);
		expect(again.articles).toEqual(full.articles);
	});

	it("leaves an editor's byline, lead picture and description alone", async () => {
		await seed();
		const slug = seedPictures[0]?.article ?? "";
		const [article] = await all<{ id: number }>("SELECT id FROM articles WHERE slug = ?", slug);
		await env.DB.batch(
			[
				"UPDATE articles SET lead_image_id = NULL WHERE slug = ?1",
				"DELETE FROM article_authors WHERE article_id = (SELECT id FROM articles WHERE slug = ?1) AND position > 0",
			]
				.map((sql) => env.DB.prepare(sql).bind(slug))
				.concat(env.DB.prepare("UPDATE topics SET description = 'Edited' WHERE slug = 'policy'")),
		);
		await seed();
		const [row] = await all<{ lead_image_id: string | null }>(
			"SELECT lead_image_id FROM articles WHERE slug = ?",
			slug,
		);
		expect(row?.lead_image_id).toBeNull();
		const byline = await all("SELECT * FROM article_authors WHERE article_id = ?", article?.id);
		expect(byline).toHaveLength(1);
		const [topic] = await all<{ description: string }>("SELECT description FROM topics WHERE slug = 'policy'");
		expect(topic?.description).toBe("Edited");
	});
});

function published() {
	return seedArticles.filter((a) => a.status === "published" && !isScheduled(a));
}

/** Published with a time still to come when the seed runs. */
function isScheduled(a: (typeof seedArticles)[number]): boolean {
	return typeof a.publishedAt === "object" && a.publishedAt.daysFromNow > 0;
}
