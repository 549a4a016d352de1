import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { buildSeedStatements } from "../scripts/seed/build";
import { seedArticles, seedPages, seedRegions, seedTopics } from "../scripts/seed/content";
import { isSlug } from "../src/lib/slugs";
import { fetchApp, resetDb } from "./helpers";

async function seed(now = Date.now()) {
	await env.DB.batch(buildSeedStatements(now).map((sql) => env.DB.prepare(sql)));
}

async function snapshot() {
	const tables = ["regions", "topics", "articles", "pages"];
	const out: Record<string, unknown[]> = {};
	for (const t of tables) out[t] = (await env.DB.prepare(`SELECT * FROM ${t} ORDER BY id`).all()).results;
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

	it("has one draft and one scheduled article, and About and Services pages", () => {
		expect(seedArticles.filter((a) => a.status === "draft")).toHaveLength(1);
		expect(seedArticles.filter((a) => typeof a.publishedAt === "object")).toHaveLength(1);
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
	});

	it("shows readers the published articles only, and renders bodies to paragraphs", async () => {
		await seed();
		const body = await (await fetchApp("/api/articles?limit=50")).json<{ articles: { slug: string }[] }>();
		expect(body.articles).toHaveLength(published().length);
		const hidden = seedArticles.filter((a) => a.status === "draft" || typeof a.publishedAt === "object");
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

function published() {
	return seedArticles.filter((a) => a.status === "published" && typeof a.publishedAt === "string");
}
