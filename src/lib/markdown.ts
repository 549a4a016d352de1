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

export function renderMarkdown(source: string): string {
	return md.render(source.replace(/\r\n?/g, "\n"));
}
