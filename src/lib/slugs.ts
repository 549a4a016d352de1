/** Lowercase ASCII words joined by single hyphens: the only form a slug is ever stored in. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 120;

export function isSlug(text: string): boolean {
	return text.length <= SLUG_MAX_LENGTH && SLUG_PATTERN.test(text);
}

// Letters that NFKD leaves whole (they are not a base letter plus an accent), spelled the way
// an English reader would type them.
const LETTERS: Record<string, string> = {
	ß: "ss",
	æ: "ae",
	œ: "oe",
	ø: "o",
	đ: "d",
	ð: "d",
	ł: "l",
	þ: "th",
	ı: "i",
};
const SPELLED = new RegExp(`[${Object.keys(LETTERS).join("")}]`, "g");

/**
 * A slug from a title: accents dropped (NFKD, then the combining marks removed), apostrophes
 * dropped, everything else but ASCII letters and digits turned into single hyphens, and cut at
 * a word boundary to fit SLUG_MAX_LENGTH. "" when the title has nothing usable (e.g. only CJK):
 * the caller then asks for a slug.
 */
export function slugify(title: string): string {
	const words = title
		.normalize("NFKD")
		.replace(/\p{M}/gu, "")
		.toLowerCase()
		.replace(SPELLED, (letter) => LETTERS[letter] ?? "")
		// "China's" is one word, not "china-s".
		.replace(/['\u2019]/g, "")
		.split(/[^a-z0-9]+/)
		.filter((word) => word !== "");
	let slug = "";
	for (const word of words) {
		const longer = slug === "" ? word : `${slug}-${word}`;
		if (longer.length > SLUG_MAX_LENGTH) break;
		slug = longer;
	}
	// A first word longer than a whole slug can only be cut.
	if (slug === "" && words[0]) slug = words[0].slice(0, SLUG_MAX_LENGTH);
	return slug;
}

// Words kept free under /articles/ for addresses the site may want for itself (an index, a
// feed, an editing page), so that no article's URL can ever stand in their way; with them the
// names of the site's own top-level sections, so that /articles/<slug> never reads as one.
// (File-like addresses such as news-sitemap.xml or corrections.xml need no entry: a dot is never
// in a slug. Pages are only /about and /services, fixed routes, so no page slug can clash.)
const RESERVED_ARTICLE_SLUGS = new Set([
	"new",
	"edit",
	"index",
	"feed",
	"rss",
	"page",
	"search",
	"admin",
	"api",
	"topics",
	"regions",
	"authors",
	"media",
	"corrections",
	"sitemaps",
]);

export function isReservedArticleSlug(slug: string): boolean {
	return RESERVED_ARTICLE_SLUGS.has(slug);
}
