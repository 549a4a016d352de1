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

describe("renderBody: library pictures", () => {
	const id = "a".repeat(32);
	it("gives a library picture its size and lazy loading; leaves other images as written", () => {
		const { html } = renderBody(
			`![A chart](/media/${id}.png) ![Not ours](https://example.com/media/${id}.png) ![Unknown](/media/${"b".repeat(32)}.png)`,
			{ [id]: { width: 640, height: 480 } },
		);
		expect(html).toContain(
			`<img src="/media/${id}.png" alt="A chart" width="640" height="480" loading="lazy" decoding="async">`,
		);
		expect(html).toContain(`<img src="https://example.com/media/${id}.png" alt="Not ours">`);
		expect(html).toContain(`<img src="/media/${"b".repeat(32)}.png" alt="Unknown">`);
	});

	it("escapes hostile alt text", () => {
		const { html } = renderBody(`![<script>x</script>"](/media/${id}.png)`, { [id]: { width: 1, height: 1 } });
		expect(html).not.toContain("<script>");
		expect(html).toContain('alt="&lt;script&gt;x&lt;/script&gt;&quot;"');
	});
});
