// Cache tags name what a cached response shows, so that a content change can purge exactly the
// responses that show it. Routes attach them (`cache-tag`), the purge plan asks for them; both
// build them here so the two can never drift apart. Slugs are [a-z0-9-], so every tag is
// printable ASCII without spaces or commas, as Cloudflare requires.

export const tag = {
	/** Every cached response: the global "purge everything" handle. */
	site: "site",
	/** The article page and JSON of a slug (also its 404 and a retired slug's 301). */
	article: (slug: string) => `article:${slug}`,
	/** Article responses whose Related Articles list shows this slug. */
	shows: (slug: string) => `shows:${slug}`,
	/** Article responses whose Related Articles were drawn from a pool: a new entrant there changes them. */
	poolTopic: (slug: string) => `pool:topic:${slug}`,
	poolRegion: (slug: string) => `pool:region:${slug}`,
	poolNewest: "pool:newest",
	/** List pages (HTML and JSON, every cursor): all articles, one topic, one region. */
	listHome: "list:home",
	listTopic: (slug: string) => `list:topic:${slug}`,
	listRegion: (slug: string) => `list:region:${slug}`,
	/** Any response that prints this topic's or region's name. */
	topic: (slug: string) => `topic:${slug}`,
	region: (slug: string) => `region:${slug}`,
	/** Any response that prints this author's name in a byline (their articles, and lists showing them). */
	author: (slug: string) => `author:${slug}`,
	/** The author's page (every cursor): their name, bio and newest articles. */
	listAuthor: (slug: string) => `list:author:${slug}`,
	/** /api/topics and /api/regions. */
	taxa: "taxa",
	/** /topics and /regions: every name and description, with each one's count and newest headline. */
	topicsIndex: "index:topics",
	regionsIndex: "index:regions",
	page: (slug: string) => `page:${slug}`,
	feed: "feed",
	/** The sitemap index and every child (`/sitemaps/*`, their 404s too). */
	sitemap: "sitemap",
	/** /news-sitemap.xml: the articles published in the last 48 hours, with their titles. */
	newsSitemap: "news-sitemap",
	/** Every search result page, HTML and JSON, whatever the query. */
	search: "search",
	/** /corrections (every cursor) and /corrections.xml: they print live articles' titles. */
	corrections: "corrections",
	/** A picture at /media/<id>.<ext> (Workers Cache and the zone keep it; the Worker's own cache does not). */
	media: (id: string) => `media:${id}`,
} as const;

/**
 * The tags of the taxa an article mentions (its region and topic), and of the authors in its
 * byline, for any response that lists it.
 */
export function taxonTags(row: {
	topicSlug: string | null;
	regionSlug: string | null;
	authors?: readonly { slug: string }[];
}): string[] {
	const tags: string[] = [];
	if (row.topicSlug) tags.push(tag.topic(row.topicSlug));
	if (row.regionSlug) tags.push(tag.region(row.regionSlug));
	for (const author of row.authors ?? []) tags.push(tag.author(author.slug));
	return tags;
}

/** One `cache-tag` header value: distinct tags, comma-separated. */
export function formatTags(tags: Iterable<string>): string {
	return [...new Set(tags)].join(",");
}

export function parseTags(value: string | null): string[] {
	if (!value) return [];
	return value
		.split(",")
		.map((t) => t.trim())
		.filter((t) => t.length > 0);
}

type Listed = {
	slug: string;
	topicSlug: string | null;
	regionSlug: string | null;
	authors?: readonly { slug: string }[];
};

/** An article page (HTML or JSON): itself, what its Related Articles show, and the pools they came from. */
export function articlePageTags(
	article: Listed,
	related: Listed[],
	dependsOn: { region: boolean; newest: boolean },
): string[] {
	const tags = [tag.article(article.slug), ...taxonTags(article)];
	for (const row of related) tags.push(tag.shows(row.slug), ...taxonTags(row));
	if (article.topicSlug) tags.push(tag.poolTopic(article.topicSlug));
	if (dependsOn.region && article.regionSlug) tags.push(tag.poolRegion(article.regionSlug));
	if (dependsOn.newest) tags.push(tag.poolNewest);
	return tags;
}

/** A list page: the names of every topic and region its entries print. */
export function listTags(rows: Listed[]): string[] {
	return rows.flatMap(taxonTags);
}
