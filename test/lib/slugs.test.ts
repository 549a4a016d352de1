import { describe, expect, it } from "vitest";
import { isReservedArticleSlug, isSlug, SLUG_MAX_LENGTH, slugify } from "../../src/lib/slugs";

describe("slugify", () => {
	it.each([
		["Magnet prices rise", "magnet-prices-rise"],
		["  Rare-earth  prices: up 12% (again)!  ", "rare-earth-prices-up-12-again"],
		["Élan über café façade naïve", "elan-uber-cafe-facade-naive"],
		["Straße, Æsir, Œuvre, Ørsted, Łódź", "strasse-aesir-oeuvre-orsted-lodz"],
		["ＦＵＬＬ－ＷＩＤＴＨ ① ﬁ", "full-width-1-fi"],
		["China’s “magnet” deal — 2025", "chinas-magnet-deal-2025"],
		["The magnets' owners' share", "the-magnets-owners-share"],
		["___", ""],
		["稀土价格", ""],
	])("%j → %j", (title, slug) => {
		expect(slugify(title)).toBe(slug);
		if (slug !== "") expect(isSlug(slug)).toBe(true);
	});

	it("cuts a long title at a word boundary within the limit", () => {
		const title = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
		const slug = slugify(title);
		expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
		expect(slug.length).toBeGreaterThan(SLUG_MAX_LENGTH - 8);
		expect(title.toLowerCase().replaceAll(" ", "-").startsWith(`${slug}-`)).toBe(true);
		expect(isSlug(slug)).toBe(true);
	});

	it("cuts a single word longer than a slug", () => {
		expect(slugify("x".repeat(300))).toBe("x".repeat(SLUG_MAX_LENGTH));
	});

	it("knows the reserved slugs", () => {
		expect(isReservedArticleSlug("new")).toBe(true);
		expect(isReservedArticleSlug("news")).toBe(false);
	});

	it.each(["topics", "regions", "authors", "media", "corrections", "sitemaps"])(
		"keeps the site's section %j free",
		(slug) => {
			expect(isSlug(slug)).toBe(true);
			expect(isReservedArticleSlug(slug)).toBe(true);
		},
	);

	it.each(["news-sitemap.xml", "corrections.xml", "sitemap.xml", "feed.xml"])(
		"needs no entry for %j: a dot is never in a slug",
		(name) => {
			expect(isSlug(name)).toBe(false);
			expect(slugify(name)).not.toBe(name);
		},
	);
});

describe("isSlug", () => {
	it.each(["a", "rare-earth-2026", "x1-y2"])("accepts %j", (s) => expect(isSlug(s)).toBe(true));
	it.each(["", "A", "a--b", "-a", "a-", "a_b", "..", "a/b", "é", "a%00", "a".repeat(121)])("refuses %j", (s) =>
		expect(isSlug(s)).toBe(false),
	);
});
