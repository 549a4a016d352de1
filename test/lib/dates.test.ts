import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../src/lib/cursor";
import { formatHumanUtc, toIso, toRfc822 } from "../../src/lib/dates";
import { renderMarkdown } from "../../src/lib/markdown";
import { isSlug } from "../../src/lib/slugs";
import { plainExcerpt } from "../../src/lib/text";
import { escapeXml } from "../../src/lib/xml";

describe("formatHumanUtc", () => {
	it("matches the original site's en-US UTC form", () => {
		expect(formatHumanUtc(Date.UTC(2025, 8, 17, 14, 33, 11))).toBe("9/17/2025, 2:33:11 PM");
	});

	it("handles midnight, noon and single digits", () => {
		expect(formatHumanUtc(Date.UTC(2026, 0, 5, 0, 4, 9))).toBe("1/5/2026, 12:04:09 AM");
		expect(formatHumanUtc(Date.UTC(2026, 11, 31, 12, 0, 0))).toBe("12/31/2026, 12:00:00 PM");
	});

	it("uses a plain space before AM/PM (not ICU's narrow no-break space)", () => {
		expect(formatHumanUtc(Date.UTC(2026, 1, 1, 9, 0, 0))).not.toMatch(/\u202f/);
	});

	it("has ISO and RFC 822 companions", () => {
		const ms = Date.UTC(2025, 8, 17, 14, 33, 11);
		expect(toIso(ms)).toBe("2025-09-17T14:33:11.000Z");
		expect(toRfc822(ms)).toBe("Wed, 17 Sep 2025 14:33:11 GMT");
	});
});

describe("cursor", () => {
	it("round-trips and is opaque", () => {
		const text = encodeCursor({ publishedAt: 1_758_119_591_000, id: 42 });
		expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(text).not.toContain("42");
		expect(decodeCursor(text)).toEqual({ publishedAt: 1_758_119_591_000, id: 42 });
	});

	it.each([
		"",
		"abc",
		"not base64!",
		btoa("v1.123"),
		btoa("v2.1.2"),
		btoa("v1.-5.3"),
		btoa("v1.1.0"),
		btoa("v1.1.2; drop table articles"),
		"A".repeat(500),
	])("refuses %j", (text) => {
		expect(decodeCursor(text)).toBeNull();
	});
});

describe("renderMarkdown", () => {
	it("renders paragraphs, never literal newlines", () => {
		expect(renderMarkdown("One.\n\nTwo.")).toBe("<p>One.</p>\n<p>Two.</p>\n");
	});

	it("shows raw HTML as text", () => {
		const html = renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">');
		expect(html).not.toMatch(/<script|<img/i);
		expect(html).toContain("&lt;script&gt;");
		expect(html).toContain("&lt;img src=x onerror=");
	});

	it.each([
		"[x](javascript:alert(1))",
		"[x](JAVASCRIPT:alert(1))",
		"[x](java\tscript:alert(1))",
		"[x](data:text/html;base64,PHNjcmlwdD4=)",
		"[x](vbscript:msgbox)",
		"![x](data:image/svg+xml,<svg onload=alert(1)>)",
		"<javascript:alert(1)>",
	])("refuses the link in %j", (source) => {
		const html = renderMarkdown(source);
		expect(html).not.toMatch(/href="\s*(javascript|data|vbscript)/i);
		expect(html).not.toMatch(/src="\s*data/i);
	});

	it("keeps http(s), mailto and relative links, marking external ones noopener", () => {
		const html = renderMarkdown("[a](https://example.org/x) [b](/about) [c](mailto:news@samarium.dev)");
		expect(html).toContain('<a href="https://example.org/x" rel="noopener noreferrer">a</a>');
		expect(html).toContain('<a href="/about">b</a>');
		expect(html).toContain('<a href="mailto:news@samarium.dev">c</a>');
	});
});

describe("isSlug", () => {
	it.each(["a", "rare-earth-2026", "x1-y2"])("accepts %j", (s) => expect(isSlug(s)).toBe(true));
	it.each(["", "A", "a--b", "-a", "a-", "a_b", "..", "a/b", "é", "a%00", "a".repeat(121)])("refuses %j", (s) =>
		expect(isSlug(s)).toBe(false),
	);
});

describe("plainExcerpt", () => {
	it("takes the first prose paragraph without Markdown marks", () => {
		expect(plainExcerpt("## Heading\n\nWe build **fast** [sites](https://x.test).\n\nMore.")).toBe(
			"We build fast sites.",
		);
	});

	it("cuts long text at a word boundary", () => {
		const text = plainExcerpt("word ".repeat(100), 50);
		expect(text.length).toBeLessThanOrEqual(50);
		expect(text.endsWith("word…")).toBe(true);
	});
});

describe("escapeXml", () => {
	it("escapes markup and drops characters XML forbids", () => {
		expect(escapeXml(`<a href="x">'&'</a>\u0000\u0008`)).toBe(
			"&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;",
		);
	});
});
