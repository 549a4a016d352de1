import { describe, expect, it } from "vitest";
import { renderBody, renderMarkdown } from "../../src/lib/markdown";

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

describe("renderBody", () => {
	const source = [
		"# Heading & *more*",
		"",
		"Some **bold** [link words](https://example.com/secret-url) and `code <b>` &amp; ![alt text](/p.png).",
		"Next line.",
		"",
		"- item one",
		"- item two",
		"",
		"```",
		"let a = 1 < 2;",
		"```",
		"",
		"> quoted",
	].join("\r\n");

	it("gives the same HTML as renderMarkdown", () => {
		expect(renderBody(source).html).toBe(renderMarkdown(source));
	});

	it("gives the text a reader sees: no markup, no URLs, entities decoded, one line per block", () => {
		expect(renderBody(source).text).toBe(
			[
				"Heading & more",
				"Some bold link words and code <b> & alt text. Next line.",
				"item one",
				"item two",
				"let a = 1 < 2;",
				"quoted",
			].join("\n"),
		);
	});

	it("is empty for an empty body", () => {
		expect(renderBody("")).toEqual({ html: "", text: "" });
	});
});
