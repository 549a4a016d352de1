import { describe, expect, it } from "vitest";
import {
	decodeSearchCursor,
	encodeSearchCursor,
	normalizeSearchText,
	parseSearch,
	SEARCH_MAX_LENGTH,
	SEARCH_MAX_TERMS,
	snippetHtml,
} from "../../src/lib/search";

describe("normalizeSearchText", () => {
	it("trims, lowercases, collapses white space and drops control characters", () => {
		expect(normalizeSearchText("  Rare\t\tEARTH\nMagnets  ")).toBe("rare earth magnets");
		expect(normalizeSearchText("a\u0000b\u0085c")).toBe("a b c");
		// NFC: a decomposed é and a composed one are one query.
		expect(normalizeSearchText("Que\u0301bec")).toBe(normalizeSearchText("Québec"));
		expect(normalizeSearchText(normalizeSearchText(" X  y "))).toBe("x y");
	});
});

describe("parseSearch", () => {
	const match = (raw: string) => {
		const parsed = parseSearch(raw);
		if (!parsed.ok) throw new Error(parsed.message);
		return parsed.match;
	};

	it("quotes every word, so that all of them are required and none is syntax", () => {
		expect(match("rare earth magnets")).toBe('"rare" "earth" "magnets"');
		expect(match("NEAR(a b) AND c* -d col:e ^f")).toBe('"near" "a" "b" "and" "c" "d" "col" "e" "f"');
	});

	it("keeps a quoted phrase together, and an unclosed quote runs to the end", () => {
		expect(match('"rare earth" magnets')).toBe('"rare earth" "magnets"');
		expect(match('magnets "rare earth')).toBe('"magnets" "rare earth"');
		expect(match('"single"')).toBe('"single"');
	});

	it("drops repeated terms, and has no match for a query without words", () => {
		expect(match("magnets Magnets MAGNETS")).toBe('"magnets"');
		for (const raw of ["", "   ", '"', "*", "-", "😀", "«»", "\u0000"]) expect(match(raw), raw).toBeNull();
	});

	it("keeps letters and digits of every script", () => {
		expect(match("稀土 2026 Québec")).toBe('"稀土" "2026" "québec"');
	});

	it("refuses a query over the length or term limit with a message", () => {
		expect(parseSearch("a".repeat(SEARCH_MAX_LENGTH)).ok).toBe(true);
		expect(parseSearch("a".repeat(SEARCH_MAX_LENGTH + 1))).toMatchObject({ ok: false, message: expect.any(String) });
		const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
		expect(parseSearch(words(SEARCH_MAX_TERMS)).ok).toBe(true);
		expect(parseSearch(words(SEARCH_MAX_TERMS + 1))).toMatchObject({ ok: false });
		// Measured after normalising: white space padding is not held against it.
		expect(parseSearch(`   ${"a".repeat(SEARCH_MAX_LENGTH)}   `).ok).toBe(true);
	});
});

describe("search cursors", () => {
	it("round-trip an offset and refuse anything else", () => {
		expect(decodeSearchCursor(encodeSearchCursor(20), 2000)).toBe(20);
		expect(decodeSearchCursor(encodeSearchCursor(1999), 2000)).toBe(1999);
		expect(decodeSearchCursor(encodeSearchCursor(2000), 2000)).toBeNull();
		expect(decodeSearchCursor(encodeSearchCursor(0), 2000)).toBeNull();
		for (const text of ["", "x", "!!!!", btoa("s1.-1"), btoa("s1.01"), btoa("v1.1.1"), "a".repeat(64)]) {
			expect(decodeSearchCursor(text, 2000), text).toBeNull();
		}
	});
});

describe("snippetHtml", () => {
	it("escapes the text and turns only the marks into <mark>", () => {
		expect(snippetHtml('a \uE000<b>\uE001 & "c"')).toBe("a <mark>&lt;b&gt;</mark> &amp; &quot;c&quot;");
	});

	it("separates the blocks a snippet spans", () => {
		expect(snippetHtml("Open questions\nGovernance is \uE000key\uE001")).toBe(
			"Open questions · Governance is <mark>key</mark>",
		);
	});

	it("keeps the markup balanced whatever marks the text holds", () => {
		expect(snippetHtml("\uE001x")).toBe("x");
		expect(snippetHtml("\uE000x")).toBe("<mark>x</mark>");
		expect(snippetHtml("\uE000\uE000x\uE001\uE001y")).toBe("<mark>x</mark>y");
	});
});
