import { describe, expect, it } from "vitest";
import {
	articlesChildPath,
	childIdRange,
	childOfArticle,
	parseArticlesChild,
	SITEMAP_CHUNK_SIZE,
} from "../../src/lib/sitemaps";

describe("sitemap addresses", () => {
	it("puts every id in exactly one child, whose range holds it", () => {
		for (const id of [1, SITEMAP_CHUNK_SIZE - 1, SITEMAP_CHUNK_SIZE, SITEMAP_CHUNK_SIZE + 1, 123_456]) {
			const { from, until } = childIdRange(childOfArticle(id));
			expect(from <= id && id < until, String(id)).toBe(true);
			expect(until - from).toBe(SITEMAP_CHUNK_SIZE);
		}
		expect(childOfArticle(SITEMAP_CHUNK_SIZE - 1)).toBe(1);
		expect(childOfArticle(SITEMAP_CHUNK_SIZE)).toBe(2);
	});

	it("keeps a child well inside the protocol's limits by construction", () => {
		// 50,000 URLs; and 50 MB even if every URL had the protocol's maximum length (2,048 characters).
		expect(SITEMAP_CHUNK_SIZE).toBeLessThanOrEqual(50_000);
		expect(SITEMAP_CHUNK_SIZE * (2048 + 100)).toBeLessThan(50 * 1024 * 1024);
	});

	it("reads back the address it writes, and nothing else", () => {
		for (const n of [1, 7, 10, 999_999_999_999]) expect(parseArticlesChild(articlesChildPath(n).slice(10))).toBe(n);
		for (const name of [
			"articles-0.xml",
			"articles-01.xml",
			"articles--1.xml",
			"articles-+1.xml",
			"articles-1e3.xml",
			"articles-1.5.xml",
			"articles- 1.xml",
			"articles-1.xml.gz",
			"articles-1.XML",
			"Articles-1.xml",
			"articles-1000000000000.xml",
			"articles-.xml",
			"pages.xml",
			"../sitemap.xml",
		]) {
			expect(parseArticlesChild(name), name).toBeNull();
		}
	});
});
