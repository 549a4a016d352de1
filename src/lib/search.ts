import { fromBase64Url, toBase64Url } from "./cursor";
import { escapeXml } from "./xml";

// What a reader types into the search box, turned into an FTS5 query that can only ever mean
// "all of these words and phrases". No character of the input reaches FTS5's syntax: the words
// are cut out of it here (letters, digits and private-use characters, as FTS5's unicode61
// tokenizer cuts them) and each is written back as a quoted string, so `"`, `*`, `AND`,
// `NEAR(`, `-` or `col:` are at most separators between words.

/** Longest query accepted, in characters after normalising: longer is a 400, not a slow query. */
export const SEARCH_MAX_LENGTH = 200;
/** Most words and phrases a query may have; each is one more index lookup. */
export const SEARCH_MAX_TERMS = 12;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const WORD = /[\p{L}\p{N}\p{Co}]+/gu;

/**
 * The query as the cache keys it and the page shows it: control characters dropped, trimmed,
 * lowercased, runs of white space as one space. Searching is case-insensitive, so nothing is lost.
 */
export function normalizeSearchText(raw: string): string {
	return raw.replace(CONTROL, " ").normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();
}

export type ParsedSearch =
	| { ok: true; text: string; match: string | null }
	| { ok: false; text: string; message: string };

/**
 * The words and "quoted phrases" of a query, and the FTS5 MATCH expression that requires all of
 * them (null when the query has no word at all, such as `"*"` or an emoji).
 */
export function parseSearch(raw: string): ParsedSearch {
	const text = normalizeSearchText(raw);
	if (text.length > SEARCH_MAX_LENGTH) {
		return { ok: false, text, message: `Search for at most ${SEARCH_MAX_LENGTH} characters.` };
	}
	const terms: string[] = [];
	// Between every other pair of double quotes is a phrase; an unpaired quote opens one that runs to the end.
	text.split('"').forEach((part, i) => {
		const words = part.match(WORD) ?? [];
		if (i % 2 === 1 && words.length > 1) terms.push(words.join(" "));
		else terms.push(...words);
	});
	const unique = [...new Set(terms)];
	if (unique.length > SEARCH_MAX_TERMS) {
		return { ok: false, text, message: `Search for at most ${SEARCH_MAX_TERMS} words.` };
	}
	// A term holds only word characters and spaces, so wrapping it in quotes needs no escaping.
	const match = unique.length > 0 ? unique.map((term) => `"${term}"`).join(" ") : null;
	return { ok: true, text, match };
}

// ---- result pages ------------------------------------------------------------------------------

/** Search results are ranked, not in a stable order: a cursor is just how many came before. */
const CURSOR_PREFIX = "s1.";

export function encodeSearchCursor(offset: number): string {
	return toBase64Url(`${CURSOR_PREFIX}${offset}`);
}

/** The offset, or null when the text is not a search cursor this site issued (or is past `max`). */
export function decodeSearchCursor(text: string, max: number): number | null {
	const match = fromBase64Url(text)?.match(/^s1\.([1-9]\d{0,6})$/);
	const offset = match ? Number(match[1]) : null;
	return offset !== null && offset < max ? offset : null;
}

// ---- snippets ----------------------------------------------------------------------------------

// What FTS5's snippet() is told to put around a matched term: private-use characters, which the
// HTML-escaping below leaves alone and then replaces. Text that holds them already can at worst
// move a highlight; the markup stays balanced.
export const MARK_OPEN = "\uE000";
export const MARK_CLOSE = "\uE001";

/** A snippet as HTML: the text escaped, with `<mark>` around the matched terms and nothing else. */
export function snippetHtml(snippet: string): string {
	let html = "";
	let open = false;
	for (const part of snippet.split(/([\uE000\uE001])/)) {
		if (part === MARK_OPEN || part === MARK_CLOSE) {
			const opening = part === MARK_OPEN;
			if (opening !== open) html += opening ? "<mark>" : "</mark>";
			open = opening;
		} else {
			// body_text puts each block (heading, paragraph, item) on a line of its own.
			html += escapeXml(part).replace(/\n+/g, " · ");
		}
	}
	return open ? `${html}</mark>` : html;
}

/** Whether FTS5 marked a term in this snippet (a column with no match comes back unmarked). */
export function hasMark(snippet: string): boolean {
	return snippet.includes(MARK_OPEN);
}
