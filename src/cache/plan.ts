import { mediaPath } from "../lib/images";
import { articlePath, authorPath } from "../lib/paths";
import { NEWS_SITEMAP_PATH, SITEMAP_INDEX_PATH, SITEMAP_PAGES_PATH } from "../lib/sitemaps";
import { cacheTarget } from "./policy";
import { tag } from "./tags";

// The purge plan: from a content change to exactly the cached responses that show it. Pure, so
// that every kind of change can be checked by a unit test; the transports carry it out.

/** What the cache needs to know of an article in one state (before or after a change). */
export type ArticleFacts = {
	slug: string;
	topic: string | null;
	region: string | null;
	/** Published, not deleted, and its publication time has come: readers can see it. */
	live: boolean;
	publishedAt: number | null;
	/** Earlier slugs that answer with a 301 to this one. */
	retiredSlugs?: string[];
	/** The slugs of its byline's authors: their pages list it while it is live. */
	authors?: string[];
};

/** An article before and after a change: null before for a new one, null after for one deleted for good. */
export type ArticleChange = { kind: "article"; before: ArticleFacts | null; after: ArticleFacts | null };

export type ContentChange =
	| ArticleChange
	/** An editor's explicit purge of a slug: its own page and JSON go, whatever the article's state. */
	| { kind: "purge"; article: ArticleFacts }
	| { kind: "page"; slug: string }
	| { kind: "taxon"; taxon: "topic" | "region"; slug: string; previousSlug?: string }
	/** An author created or changed (name, bio, link, description): everything printing their byline, and their page. */
	| { kind: "author"; slug: string }
	/** A picture deleted from the library: its file's URL (which only Workers Cache and the zone keep). */
	| { kind: "media"; id: string; ext: string };

/**
 * Keys for the local Cache API (and the zone's purge by URL); tags for purges by tag. With
 * `everything`, every cached response of the site goes (an editor's "purge all").
 */
export type PurgePlan = { keys: string[]; tags: string[]; everything?: boolean };

export function planPurge(siteOrigin: string, change: ContentChange): PurgePlan {
	const keys = new Set<string>();
	const tags = new Set<string>();
	const key = (path: string) => {
		const target = cacheTarget(new URL(path, siteOrigin), siteOrigin);
		if (target) keys.add(target.key);
	};

	if (change.kind === "media") {
		// Not a key of the Worker's own cache (cacheTarget leaves /media to Workers Cache): the
		// absolute URL, for the zone's purge by URL, and the tag every copy of the file carries.
		keys.add(new URL(mediaPath(change.id, change.ext), siteOrigin).href);
		tags.add(tag.media(change.id));
	} else if (change.kind === "page") {
		key(`/${change.slug}`);
		key(`/api/pages/${change.slug}`);
		tags.add(tag.page(change.slug));
	} else if (change.kind === "taxon") {
		// A name is printed on its list pages, on every article of it, and in every list or
		// Related Articles entry that shows one of those articles: all carry the taxon's tag.
		for (const slug of new Set([change.slug, change.previousSlug ?? change.slug])) {
			if (change.taxon === "topic") {
				tags.add(tag.topic(slug)).add(tag.listTopic(slug)).add(tag.topicsIndex);
				key(`/topics/${slug}`);
				key("/topics");
				key(`/api/articles?topic=${slug}`);
			} else {
				tags.add(tag.region(slug)).add(tag.listRegion(slug)).add(tag.regionsIndex);
				key(`/regions/${slug}`);
				key("/regions");
				key(`/api/articles?region=${slug}`);
			}
		}
		// Search pages print names too, and offer every topic and region in their form.
		tags.add(tag.taxa).add(tag.sitemap).add(tag.search);
		key("/api/topics");
		key("/api/regions");
		key(SITEMAP_INDEX_PATH);
		key(SITEMAP_PAGES_PATH);
	} else if (change.kind === "author") {
		// The name is in the byline of every article of theirs, and in every list, feed, search
		// result or Related Articles entry showing one: all carry the author's tag. Their page
		// (a cached 404 before they existed, too) carries the list tag.
		tags.add(tag.author(change.slug)).add(tag.listAuthor(change.slug)).add(tag.search);
		key(authorPath(change.slug));
		key(`/api${authorPath(change.slug)}`);
		// The pages sitemap lists every author's page (a new one joins it).
		tags.add(tag.sitemap);
		key(SITEMAP_PAGES_PATH);
	} else if (change.kind === "purge") {
		planArticle({ kind: "article", before: change.article, after: change.article }, key, tags, true);
	} else {
		planArticle(change, key, tags, false);
	}
	return { keys: [...keys], tags: [...tags] };
}

function planArticle(change: ArticleChange, key: (path: string) => void, tags: Set<string>, explicit: boolean): void {
	const { before, after } = change;
	const states = [before, after].filter((s): s is ArticleFacts => s !== null);
	// Its own page and JSON under every slug it had or has: a 200 that must go, a cached 404
	// that must not hide a newly published article, a retired slug's 301. Only when readers can
	// see a difference, though: an article that is live on neither side answers 404 under every
	// one of its slugs before and after, and purging them anyway would let anyone who guesses an
	// embargoed draft's slug watch its `x-cache` and `age` change while an editor works on it.
	const addresses = (s: ArticleFacts) => [s.slug, ...(s.retiredSlugs ?? [])];
	const readersSeeIt =
		explicit || states.some((s) => s.live) || (before !== null && after !== null && !sameAddresses(before, after));
	if (readersSeeIt) {
		for (const s of states) {
			for (const slug of addresses(s)) {
				key(articlePath(slug));
				key(`/api/articles/${slug}`);
				tags.add(tag.article(slug));
			}
		}
	}
	const shown = states.filter((s) => s.live);
	// A draft's edits show nowhere else.
	if (shown.length === 0) return;

	for (const s of shown) {
		// Any search might find it (or have found it): search pages are keyed by query, so they go by their one tag.
		tags.add(tag.shows(s.slug)).add(tag.listHome).add(tag.feed).add(tag.sitemap).add(tag.search);
		// The corrections log prints live articles' titles and links; a correction is an article save.
		tags.add(tag.corrections);
		key("/");
		key("/api/articles");
		key("/feed.xml");
		key("/corrections");
		key("/corrections.xml");
		// Whether it is within the news sitemap's 48 hours is a matter of the clock, which a plan
		// does not read; listing it or not, the purge is one key and one tag.
		tags.add(tag.newsSitemap);
		key(NEWS_SITEMAP_PATH);
		// The index, and the pages child (its home entry's lastmod). The article's own child is
		// reached by the sitemap tag, which every child carries.
		key(SITEMAP_INDEX_PATH);
		key(SITEMAP_PAGES_PATH);
		if (s.topic) {
			// The index of topics prints each one's count and newest headline.
			tags.add(tag.listTopic(s.topic)).add(tag.topicsIndex);
			key(`/topics/${s.topic}`);
			key("/topics");
			key(`/api/articles?topic=${s.topic}`);
		}
		// Each author's page lists it (old and new byline alike: one left, one joined).
		for (const author of s.authors ?? []) {
			tags.add(tag.listAuthor(author));
			key(authorPath(author));
			key(`/api${authorPath(author)}`);
		}
		if (s.region) {
			tags.add(tag.listRegion(s.region)).add(tag.regionsIndex);
			key(`/regions/${s.region}`);
			key("/regions");
			key(`/api/articles?region=${s.region}`);
		}
	}

	// When it enters, leaves or moves within the pools that Related Articles draw from, pages
	// that do not show it yet (or show it in another place) change too.
	const moved =
		before?.live !== after?.live ||
		before?.publishedAt !== after?.publishedAt ||
		before?.topic !== after?.topic ||
		before?.region !== after?.region;
	if (!moved) return;
	tags.add(tag.poolNewest);
	for (const s of shown) {
		if (s.topic) tags.add(tag.poolTopic(s.topic));
		if (s.region) tags.add(tag.poolRegion(s.region));
	}
}

function sameAddresses(a: ArticleFacts, b: ArticleFacts): boolean {
	const retired = (s: ArticleFacts) => [...(s.retiredSlugs ?? [])].sort().join(" ");
	return a.slug === b.slug && retired(a) === retired(b);
}
