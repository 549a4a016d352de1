import { type Context, Hono } from "hono";
import { formatTags, listTags } from "../cache/tags";
import { listArticles } from "../db/queries/articles";
import { listAuthorChoices } from "../db/queries/authors";
import { listCorrections } from "../db/queries/corrections";
import { homeLastChange, listNewsArticles, listSitemapChild, listSitemapChildren } from "../db/queries/sitemap";
import { listRegions, listTopics } from "../db/queries/taxonomies";
import { toIso, toRfc822 } from "../lib/dates";
import { notFound } from "../lib/errors";
import { articlePath, authorPath } from "../lib/paths";
import { PAGE_SIZE, SITE_DESCRIPTION, SITE_NAME } from "../lib/site";
import {
	articlesChildPath,
	NEWS_SITEMAP_PATH,
	parseArticlesChild,
	SITEMAP_INDEX_PATH,
	SITEMAP_PAGES_PATH,
} from "../lib/sitemaps";
import { escapeXml } from "../lib/xml";
import type { AppEnv } from "../types";

/** RSS, sitemap and robots.txt: the machine-readable front door. */
export const feeds = new Hono<AppEnv>();

export const FEED_SIZE = 20;

feeds.get("/feed.xml", async (c) => {
	const site = c.var.siteUrl;
	const { page } = await listArticles(c.var.db, { now: Date.now(), limit: FEED_SIZE, cursor: null });
	const items = page.items.map((a) => {
		const url = `${site}${articlePath(a.slug)}`;
		const categories = [a.topicName, a.regionName].filter((name): name is string => name !== null);
		return rssItem({ title: a.title, link: url, guid: url, at: a.publishedAt, description: a.summary }, [
			// One per author, in byline order (RSS's own <author> wants an email address).
			...a.authors.map((author) => `<dc:creator>${escapeXml(author.name)}</dc:creator>`),
			...categories.map((name) => `<category>${escapeXml(name)}</category>`),
		]);
	});
	c.header("cache-tag", formatTags(listTags(page.items)));
	const lastBuild = page.items.length > 0 ? Math.max(...page.items.map((a) => a.updatedAt)) : null;
	return rss(
		c,
		{ title: SITE_NAME, link: `${site}/`, self: `${site}/feed.xml`, description: SITE_DESCRIPTION },
		lastBuild,
		items,
	);
});

/** The public corrections log as a feed: each correction an item, newest first. */
feeds.get("/corrections.xml", async (c) => {
	const site = c.var.siteUrl;
	const { items } = await listCorrections(c.var.db, { now: Date.now(), limit: FEED_SIZE, cursor: null });
	const entries = items.map((k) => {
		const url = `${site}${articlePath(k.slug)}`;
		return rssItem({
			title: `Correction: ${k.title}`,
			link: `${url}#corrections`,
			guid: `${url}#correction-${k.id}`,
			at: k.at,
			description: k.note,
		});
	});
	const channel = {
		title: `${SITE_NAME}: corrections`,
		link: `${site}/corrections`,
		self: `${site}/corrections.xml`,
		description: `Every correction ${SITE_NAME} has made to a published article, newest first.`,
	};
	return rss(c, channel, items[0]?.at ?? null, entries);
});

type RssEntry = { title: string; link: string; guid: string; at: number; description: string };

function rssItem(entry: RssEntry, extra: string[] = []): string {
	return [
		"<item>",
		`<title>${escapeXml(entry.title)}</title>`,
		`<link>${escapeXml(entry.link)}</link>`,
		`<guid isPermaLink="${entry.guid === entry.link}">${escapeXml(entry.guid)}</guid>`,
		`<pubDate>${toRfc822(entry.at)}</pubDate>`,
		`<description>${escapeXml(entry.description)}</description>`,
		...extra,
		"</item>",
	].join("");
}

/** An RSS 2.0 document of `items` (each from rssItem). */
function rss(
	c: Context<AppEnv>,
	channel: { title: string; link: string; self: string; description: string },
	lastBuild: number | null,
	items: string[],
) {
	const xml = [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
		"<channel>",
		`<title>${escapeXml(channel.title)}</title>`,
		`<link>${escapeXml(channel.link)}</link>`,
		`<description>${escapeXml(channel.description)}</description>`,
		"<language>en-us</language>",
		`<atom:link href="${escapeXml(channel.self)}" rel="self" type="application/rss+xml"/>`,
		lastBuild !== null ? `<lastBuildDate>${toRfc822(lastBuild)}</lastBuildDate>` : "",
		...items,
		"</channel>",
		"</rss>",
	].join("\n");
	return c.body(xml, 200, { "content-type": "application/rss+xml; charset=utf-8" });
}

// Always an index, even for a handful of articles: crawlers and caches see one shape whatever
// the site's size, and crossing 50,000 articles changes nothing but the number of children.
// docs/api.md#sitemaps has the whole scheme.

const XML_HEADERS = { "content-type": "application/xml; charset=utf-8" };
const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
const lastmodOf = (ms: number | null | undefined) => (ms ? `<lastmod>${toIso(ms)}</lastmod>` : "");

const NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9";

function xmlDocument(root: "sitemapindex" | "urlset", entries: string[], extraNs = ""): string {
	const open = `<${root} xmlns="${SITEMAP_NS}"${extraNs}>`;
	return ['<?xml version="1.0" encoding="UTF-8"?>', open, ...entries, `</${root}>`].join("\n");
}

feeds.get(SITEMAP_INDEX_PATH, async (c) => {
	const site = c.var.siteUrl;
	const children = await listSitemapChildren(c.var.db, Date.now());
	const entry = (path: string, lastmod: number | undefined) =>
		`<sitemap><loc>${escapeXml(`${site}${path}`)}</loc>${lastmodOf(lastmod)}</sitemap>`;
	// The pages child has no time of its own (topics and regions keep none); its home entry
	// changes with the articles, so the newest article change bounds it.
	const newest = children.reduce<number | undefined>((max, ch) => Math.max(max ?? 0, ch.lastmod), undefined);
	// The news sitemap is a urlset like the others (an index may list only urlsets of its own site);
	// Google reads its news tags wherever it finds it. No lastmod: it changes with the clock too.
	const entries = [
		entry(SITEMAP_PAGES_PATH, newest),
		entry(NEWS_SITEMAP_PATH, undefined),
		...children.map((ch) => entry(articlesChildPath(ch.child), ch.lastmod)),
	];
	return c.body(xmlDocument("sitemapindex", entries), 200, XML_HEADERS);
});

const urlEntry = (site: string, path: string, lastmod?: number | null) =>
	`<url><loc>${escapeXml(`${site}${path}`)}</loc>${lastmodOf(lastmod)}</url>`;

feeds.get(SITEMAP_PAGES_PATH, async (c) => {
	const site = c.var.siteUrl;
	const db = c.var.db;
	const [[home], topics, regions, authors] = await db.batch([
		homeLastChange(db, Date.now(), PAGE_SIZE),
		listTopics(db),
		listRegions(db),
		listAuthorChoices(db),
	] as const);
	const entries = [
		urlEntry(site, "/", home?.lastmod),
		urlEntry(site, "/about"),
		urlEntry(site, "/services"),
		urlEntry(site, "/topics"),
		urlEntry(site, "/regions"),
		...topics.map((t) => urlEntry(site, `/topics/${t.slug}`)),
		...regions.map((r) => urlEntry(site, `/regions/${r.slug}`)),
		...authors.map((a) => urlEntry(site, authorPath(a.slug))),
	];
	return c.body(xmlDocument("urlset", entries), 200, XML_HEADERS);
});

feeds.get("/sitemaps/:name", async (c) => {
	const child = parseArticlesChild(c.req.param("name"));
	if (child === null) throw notFound("There is no sitemap at this address.");
	const site = c.var.siteUrl;
	const rows = await listSitemapChild(c.var.db, child, Date.now());
	// A child with no live article is not in the index; an empty urlset would not be valid XML
	// for the sitemap schema (it needs one url), and "gone" is what a crawler should hear.
	if (rows.length === 0) throw notFound("There is no sitemap at this address.");
	const entries = rows.map((a) => urlEntry(site, articlePath(a.slug), a.lastmod));
	return c.body(xmlDocument("urlset", entries), 200, XML_HEADERS);
});

// Google News: what was published in the last 48 hours (docs/api.md#news-sitemap). Empty is still
// a valid answer here (Google's own guidance), unlike an articles child.
feeds.get(NEWS_SITEMAP_PATH, async (c) => {
	const site = c.var.siteUrl;
	const rows = await listNewsArticles(c.var.db, Date.now());
	const publication = `<news:publication><news:name>${SITE_NAME}</news:name><news:language>en</news:language></news:publication>`;
	const entries = rows.map(
		(a) =>
			`<url><loc>${escapeXml(`${site}${articlePath(a.slug)}`)}</loc><news:news>${publication}` +
			`<news:publication_date>${toIso(a.publishedAt)}</news:publication_date>` +
			`<news:title>${escapeXml(a.title)}</news:title></news:news></url>`,
	);
	return c.body(xmlDocument("urlset", entries, ` xmlns:news="${NEWS_NS}"`), 200, XML_HEADERS);
});

feeds.get("/robots.txt", (c) =>
	c.text(
		[
			"User-agent: *",
			"Allow: /",
			"Disallow: /admin",
			"Disallow: /api/admin",
			"",
			`Sitemap: ${c.var.siteUrl}${SITEMAP_INDEX_PATH}`,
			`Sitemap: ${c.var.siteUrl}${NEWS_SITEMAP_PATH}`,
			"",
		].join("\n"),
	),
);
