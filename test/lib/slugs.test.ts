import { describe, expect, it } from "vitest";
import { parseDateTime } from "../../src/lib/dates";
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
});

describe("parseDateTime", () => {
	it.each([
		["2025-09-17T14:33:11Z", Date.UTC(2025, 8, 17, 14, 33, 11)],
		["2025-09-17T14:33:11.5Z", Date.UTC(2025, 8, 17, 14, 33, 11, 500)],
		["2025-09-17T14:33:11.123456Z", Date.UTC(2025, 8, 17, 14, 33, 11, 123)],
		["2025-09-17T16:33:11+02:00", Date.UTC(2025, 8, 17, 14, 33, 11)],
		["2025-09-17T09:03-05:30", Date.UTC(2025, 8, 17, 14, 33)],
		["2025-09-17T14:33", Date.UTC(2025, 8, 17, 14, 33)],
		["2024-02-29T00:00", Date.UTC(2024, 1, 29)],
		[" 2025-09-17t14:33z ", Date.UTC(2025, 8, 17, 14, 33)],
		// Date.UTC reads years 0-99 as 1900-1999; these must stay the years written (and then be refused as out of range).
		["0099-12-31T23:59Z", Date.parse("0099-12-31T23:59:00Z")],
		["0000-01-01T00:00", Date.parse("0000-01-01T00:00:00Z")],
	])("reads %j", (text, ms) => {
		expect(parseDateTime(text)).toBe(ms);
	});

	it.each([
		"2025-02-29T00:00",
		"2025-13-01T00:00",
		"2025-09-31T00:00",
		"2025-09-17T24:00",
		"2025-09-17T14:60",
		"2025-09-17T14:33:60",
		"2025-09-17T14:33+24:00",
		"2025-09-17",
		"17/09/2025 14:33",
		"2025-09-17T14:33:11+0200",
		"",
	])("refuses %j", (text) => {
		expect(parseDateTime(text)).toBeNull();
	});
});
