import { describe, expect, it } from "vitest";
import { plainExcerpt } from "../../src/lib/text";

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
