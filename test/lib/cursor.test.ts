import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../src/lib/cursor";

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
