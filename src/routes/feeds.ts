import { Hono } from "hono";
import { formatTags, listTags } from "../cache/tags";
import { listArticles, listForSitemap } from "../db/queries/articles";
import { listRegions, listTopics } from "../db/queries/taxonomies";
import { toIso, toRfc822 } from "../lib/dates";
import { articlePath } from "../lib/paths";
import { SITE_DESCRIPTION, SITE_NAME } from "../lib/site";
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
		return [
			"<item>",
			`<title>${escapeXml(a.title)}</title>`,
			`<link>${escapeXml(url)}</link>`,
			`<guid isPermaLink="true">${escapeXml(url)}</guid>`,
			`<pubDate>${toRfc822(a.publishedAt)}</pubDate>`,
			`<description>${escapeXml(a.summary)}</description>`,
			...categories.map((name) => `<category>${escapeXml(name)}</category>`),
			"</item>",
		].join("");
	});
	const newest = page.items[0];
	c.header("cache-tag", formatTags(listTags(page.items)));
	const xml = [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
		"<channel>",
		`<title>${SITE_NAME}</title>`,
		`<link>${escapeXml(`${site}/`)}</link>`,
		`<description>${escapeXml(SITE_DESCRIPTION)}</description>`,
		"<language>en-us</language>",
		`<atom:link href="${escapeXml(`${site}/feed.xml`)}" rel="self" type="application/rss+xml"/>`,
		newest ? `<lastBuildDate>${toRfc822(Math.max(...page.items.map((a) => a.updatedAt)))}</lastBuildDate>` : "",
		...items,
		"</channel>",
		"</rss>",
	].join("\n");
	return c.body(xml, 200, { "content-type": "application/rss+xml; charset=utf-8" });
});

feeds.get("/sitemap.xml", async (c) => {
	const site = c.var.siteUrl;
	const db = c.var.db;
	const [articles, topics, regions] = await db.batch([
		listForSitemap(db, Date.now()),
		listTopics(db),
		listRegions(db),
	] as const);
	const url = (path: string, lastmod?: number) =>
		`<url><loc>${escapeXml(`${site}${path}`)}</loc>${lastmod ? `<lastmod>${toIso(lastmod)}</lastmod>` : ""}</url>`;
	const xml = [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
		url("/", articles[0]?.updatedAt),
		url("/about"),
		url("/services"),
		...topics.map((t) => url(`/topics/${t.slug}`)),
		...regions.map((r) => url(`/regions/${r.slug}`)),
		...articles.map((a) => url(articlePath(a.slug), a.updatedAt)),
		"</urlset>",
	].join("\n");
	return c.body(xml, 200, { "content-type": "application/xml; charset=utf-8" });
});

feeds.get("/robots.txt", (c) =>
	c.text(
		[
			"User-agent: *",
			"Allow: /",
			"Disallow: /admin",
			"Disallow: /api/admin",
			"",
			`Sitemap: ${c.var.siteUrl}/sitemap.xml`,
			"",
		].join("\n"),
	),
);
