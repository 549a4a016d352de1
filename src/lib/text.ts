/**
 * A plain-text excerpt of Markdown for meta descriptions: the first ordinary paragraph with
 * links, emphasis and code marks removed, cut at a word boundary.
 */
export function plainExcerpt(markdown: string, max = 200): string {
	const paragraph =
		markdown
			.replace(/\r\n?/g, "\n")
			.split(/\n\s*\n/)
			.map((block) => block.trim())
			.find((block) => block !== "" && !/^(?:#|[-*+] |\d+\. |>|```)/.test(block)) ?? "";
	const text = paragraph
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
		.replace(/[*_`~]+/g, "")
		.replace(/\s+/g, " ")
		.trim();
	if (text.length <= max) return text;
	const cut = text.slice(0, max - 1);
	const space = cut.lastIndexOf(" ");
	return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, "")}…`;
}
