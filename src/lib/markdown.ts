import MarkdownIt from "markdown-it";

// Rendered once at save (or seed) time; the stored HTML is what readers get. Raw HTML in the
// source is shown as text (html: false), and only http(s), mailto and site-relative links survive.
// This module imports nothing from the project so that Node scripts (the seed) can load it as-is.

const SAFE_LINK = /^(?:https?:|mailto:)/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const IGNORED_BY_BROWSERS = /[\u0000-\u0020\u007f]+/g;

const md = new MarkdownIt({ html: false, linkify: false, typographer: true, breaks: false });

md.validateLink = (url: string): boolean => {
	// Browsers ignore tabs, newlines and leading control characters inside a scheme
	// ("java\nscript:"), so look at the URL the way they will.
	const normalized = url.replace(IGNORED_BY_BROWSERS, "");
	if (SAFE_LINK.test(normalized)) return true;
	return !SCHEME.test(normalized);
};

const defaultLinkOpen =
	md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));

md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
	const token = tokens[idx];
	const href = String(token?.attrGet("href") ?? "");
	if (token && /^https?:/i.test(href)) token.attrSet("rel", "noopener noreferrer");
	return defaultLinkOpen(tokens, idx, options, env, self);
};

/** A library picture's size, by media id: what an embedded picture needs so that nothing shifts. */
export type PictureSizes = Record<string, { width: number; height: number }>;

// A library picture's site-relative URL (src/lib/images.ts; repeated here, as this module imports nothing).
const LIBRARY_SRC = /^\/media\/([0-9a-f]{32})\.(?:jpg|png|webp|avif)$/;

const defaultImage =
	md.renderer.rules.image ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));

// A picture of the library gets its width and height (the space is kept while it loads) and loads
// lazily, below the fold as a body's pictures are. Others are left as written.
md.renderer.rules.image = (tokens, idx, options, env, self) => {
	const token = tokens[idx];
	const id = LIBRARY_SRC.exec(String(token?.attrGet("src") ?? ""))?.[1];
	const pictures = (env as { pictures?: PictureSizes } | undefined)?.pictures;
	const size = id ? pictures?.[id] : undefined;
	if (token && size) {
		token.attrSet("width", String(size.width));
		token.attrSet("height", String(size.height));
		token.attrSet("loading", "lazy");
		token.attrSet("decoding", "async");
	}
	return defaultImage(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
	return md.render(source.replace(/\r\n?/g, "\n"));
}

/** What an article's body is stored as: the HTML readers get, and the plain text search indexes. */
export type RenderedBody = { html: string; text: string };

// Blocks that end a run of words: their text must not run into the next block's.
const BLOCK_END = /_close$|^(?:fence|code_block|hr)$/;

/**
 * The body as HTML and as plain text, from one parse. The text is what a reader sees, without
 * markup: the words of links and images (not their URLs), code as written, entities decoded,
 * blocks separated by a newline. Search indexes it and quotes from it, so snippets show no
 * Markdown syntax and no term matches a URL the reader never sees.
 */
export function renderBody(source: string, pictures: PictureSizes = {}): RenderedBody {
	const env = { pictures };
	const tokens = md.parse(source.replace(/\r\n?/g, "\n"), env);
	const words: string[] = [];
	for (const token of tokens) {
		if (token.type === "inline") {
			for (const child of token.children ?? []) {
				if (child.type === "text" || child.type === "code_inline") words.push(child.content);
				else if (child.type === "softbreak" || child.type === "hardbreak") words.push(" ");
				// An image's alt text is its children's text (markdown-it keeps it in content too).
				else if (child.type === "image") words.push(child.content);
			}
		} else if (token.type === "fence" || token.type === "code_block") {
			words.push(token.content);
		}
		if (BLOCK_END.test(token.type)) words.push("\n");
	}
	const text = words
		.join("")
		.split("\n")
		.map((line) => line.replace(/\s+/g, " ").trim())
		.filter((line) => line !== "")
		.join("\n");
	return { html: md.renderer.render(tokens, md.options, env), text };
}
