// The sitemap's address scheme. `/sitemap.xml` is always an index; the articles are split into
// children by fixed ranges of article id, so a child's address and contents never depend on how
// many articles exist: a new article (the highest id) changes only the newest child.

/**
 * Article ids per child: child n (from 1) holds the live articles with
 * `(n - 1) * SIZE <= id < n * SIZE`. At most 5,000 URLs of at most 2,048 characters each keeps a
 * child far below the protocol's 50,000 URLs and 50 MB by construction, and a typical child
 * (~120 bytes a URL) near 600 KB, cheap to render and to keep in the cache. Changing it moves
 * every article to another address (and changes the articles_sitemap_idx expression, so
 * drizzle-kit writes a migration): crawlers just follow the index again.
 */
export const SITEMAP_CHUNK_SIZE = 5000;

export const SITEMAP_INDEX_PATH = "/sitemap.xml";
/** Home, pages, topics and regions: the addresses that are not articles. */
export const SITEMAP_PAGES_PATH = "/sitemaps/pages.xml";

/** The largest child number with a safe integer range of ids (the parser refuses more digits). */
const MAX_DIGITS = 12;
const ARTICLES_CHILD = new RegExp(`^articles-([1-9][0-9]{0,${MAX_DIGITS - 1}})\\.xml$`);

export function articlesChildPath(child: number): string {
	return `/sitemaps/articles-${child}.xml`;
}

/**
 * The child number of a `/sitemaps/<name>` file name, or null for anything else: no leading
 * zeros, no signs, no child 0, so each child has exactly one address.
 */
export function parseArticlesChild(name: string): number | null {
	const match = ARTICLES_CHILD.exec(name);
	return match?.[1] ? Number(match[1]) : null;
}

/** The child that lists the article with this id. */
export function childOfArticle(id: number): number {
	return Math.floor(id / SITEMAP_CHUNK_SIZE) + 1;
}

/** The ids child n covers: `from <= id < until`. */
export function childIdRange(child: number): { from: number; until: number } {
	return { from: (child - 1) * SITEMAP_CHUNK_SIZE, until: child * SITEMAP_CHUNK_SIZE };
}

/**
 * The Google News sitemap: the live articles published in the last 48 hours (Google's window),
 * newest first, at most 1,000 (the most one news sitemap may list). Always 200, empty or not:
 * Google takes an empty news sitemap as "nothing new", which is true after two quiet days.
 */
export const NEWS_SITEMAP_PATH = "/news-sitemap.xml";
export const NEWS_WINDOW_MS = 48 * 3_600_000;
export const NEWS_SITEMAP_MAX = 1000;
