import { describe, expect, it } from "vitest";
import { formatHumanUtc, parseDateTime, toIso, toRfc822 } from "../../src/lib/dates";

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
