import { describe, expect, it } from "vitest";
import { escapeXml } from "../../src/lib/xml";

describe("escapeXml", () => {
	it("escapes markup and drops characters XML forbids", () => {
		expect(escapeXml(`<a href="x">'&'</a>\u0000\u0008`)).toBe(
			"&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;",
		);
	});
});
