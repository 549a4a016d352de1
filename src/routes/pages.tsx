import { Hono } from "hono";
import { articlePageTags, formatTags, listTags, tag } from "../cache/tags";
import { getArticlePage, listArticles, listAuthorArticles, readerModifiedAt } from "../db/queries/articles";
import { listCorrections } from "../db/queries/corrections";
import { getPageBySlug } from "../db/queries/pages";
import { listTaxonIndex } from "../db/queries/taxonomies";
import { encodeCursor } from "../lib/cursor";
import { toIso } from "../lib/dates";
import { notFound } from "../lib/errors";
import { articlePath, authorPath } from "../lib/paths";
import { PAGE_SIZE, SITE_DESCRIPTION, SITE_NAME } from "../lib/site";
import { isSlug } from "../lib/slugs";
import { plainExcerpt } from "../lib/text";
import { parseQuery } from "../lib/validation";
import type { AppEnv } from "../types";
import { ArticlePage } from "../views/ArticlePage";
import { AuthorPage } from "../views/AuthorPage";
import { CorrectionsPage } from "../views/CorrectionsPage";
import { HomePage } from "../views/HomePage";
import { toArticleSummaryJson, toLeadImageJson } from "../views/json";
import { StaticPage } from "../views/StaticPage";
import { TaxaIndexPage } from "../views/TaxaIndexPage";
import { TaxonPage } from "../views/TaxonPage";
import { pageQuery } from "./params";

/** The reader's HTML pages. */
export const pages = new Hono<AppEnv>();

pages.get("/", async (c) => {
	const { cursor } = parseQuery(pageQuery, c.req.query());
	const { page } = await listArticles(c.var.db, { now: Date.now(), limit: PAGE_SIZE, cursor: cursor ?? null });
	const nextCursor = page.next && encodeCursor(page.next);
	const isFirstPage = !cursor;
	c.header("cache-tag", formatTags(listTags(page.items)));
	return c.render(<HomePage articles={page.items} nextCursor={nextCursor} isFirstPage={isFirstPage} />, {
		title: SITE_NAME,
		description: SITE_DESCRIPTION,
		canonical: `${c.var.siteUrl}/`,
		noindex: !isFirstPage,
		jsonLd: isFirstPage
			? { "@context": "https://schema.org", "@type": "WebSite", name: SITE_NAME, url: `${c.var.siteUrl}/` }
			: undefined,
	});
});

pages.get("/articles/:slug", async (c) => {
	const slug = c.req.param("slug");
	if (!isSlug(slug)) throw notFound("There is no article at this address.");
	const { article, related, redirectTo, dependsOn } = await getArticlePage(c.var.db, slug, Date.now());
	if (redirectTo) {
		c.header("cache-tag", tag.article(redirectTo));
		return c.redirect(articlePath(redirectTo), 301);
	}
	if (!article) throw notFound("There is no article at this address.");
	c.header("cache-tag", formatTags(articlePageTags(article, related, dependsOn)));

	const summary = toArticleSummaryJson(article, c.var.siteUrl);
	// Reader-facing: moved only by a correction (summary.updatedAt is the last content change).
	const modifiedAt = toIso(readerModifiedAt(article));
	const lead = toLeadImageJson(article.leadImage, c.var.siteUrl);
	const resizing = c.env.IMAGE_RESIZING === "on";
	return c.render(<ArticlePage article={article} related={related} resizing={resizing} />, {
		title: article.title,
		...(lead ? { image: lead } : {}),
		description: article.summary,
		canonical: summary.url,
		ogType: "article",
		article: { publishedAt: summary.publishedAt, updatedAt: modifiedAt, section: article.topicName },
		jsonLd: {
			"@context": "https://schema.org",
			"@type": "NewsArticle",
			headline: article.title,
			description: article.summary,
			datePublished: summary.publishedAt,
			dateModified: modifiedAt,
			url: summary.url,
			mainEntityOfPage: summary.url,
			...(lead ? { image: { "@type": "ImageObject", url: lead.url, width: lead.width, height: lead.height } } : {}),
			...(article.topicName ? { articleSection: article.topicName } : {}),
			...(article.regionName ? { contentLocation: { "@type": "Place", name: article.regionName } } : {}),
			// The byline's people, in order; the site itself when an article has none.
			author:
				summary.authors.length > 0
					? summary.authors.map((a) => ({ "@type": "Person", name: a.name, url: a.url }))
					: { "@type": "Organization", name: SITE_NAME, url: `${c.var.siteUrl}/` },
			publisher: { "@type": "Organization", name: SITE_NAME, url: `${c.var.siteUrl}/` },
		},
	});
});

for (const kind of ["topic", "region"] as const) {
	// The index of them all; its cache tag (src/cache/policy.ts) is purged by any live article's
	// change and any change of one of them.
	pages.get(`/${kind}s`, async (c) => {
		const taxa = await listTaxonIndex(c.var.db, kind, Date.now());
		const title = kind === "topic" ? "Topics" : "Regions";
		return c.render(<TaxaIndexPage kind={kind} taxa={taxa} />, {
			title,
			description: `Every ${kind} Samarium covers, with its newest article.`,
			canonical: `${c.var.siteUrl}/${kind}s`,
			current: `${kind}s`,
		});
	});

	pages.get(`/${kind}s/:slug`, async (c) => {
		const slug = c.req.param("slug");
		const missing = `There is no ${kind} at this address.`;
		if (!isSlug(slug)) throw notFound(missing);
		const { cursor } = parseQuery(pageQuery, c.req.query());
		const filter = kind === "topic" ? { topicSlug: slug } : { regionSlug: slug };
		const result = await listArticles(c.var.db, {
			now: Date.now(),
			limit: PAGE_SIZE,
			cursor: cursor ?? null,
			...filter,
		});
		const taxon = result[kind];
		if (!taxon) throw notFound(missing);
		const nextCursor = result.page.next && encodeCursor(result.page.next);
		c.header("cache-tag", formatTags(listTags(result.page.items)));
		return c.render(
			<TaxonPage
				kind={kind}
				taxon={taxon}
				articles={result.page.items}
				nextCursor={nextCursor}
				isFirstPage={!cursor}
			/>,
			{
				title: taxon.name,
				description: taxon.description || `The latest Samarium news ${kind === "topic" ? "on" : "from"} ${taxon.name}.`,
				canonical: `${c.var.siteUrl}/${kind}s/${taxon.slug}`,
				noindex: Boolean(cursor),
			},
		);
	});
}

pages.get("/authors/:slug", async (c) => {
	const slug = c.req.param("slug");
	const missing = "There is no author at this address.";
	if (!isSlug(slug)) throw notFound(missing);
	const { cursor } = parseQuery(pageQuery, c.req.query());
	const { page, author } = await listAuthorArticles(c.var.db, {
		slug,
		now: Date.now(),
		limit: PAGE_SIZE,
		cursor: cursor ?? null,
	});
	if (!author) throw notFound(missing);
	const nextCursor = page.next && encodeCursor(page.next);
	// Its own list tag comes from the address (src/cache/policy.ts); its name, from the author's tag.
	c.header("cache-tag", formatTags([tag.author(author.slug), ...listTags(page.items)]));
	const canonical = `${c.var.siteUrl}${authorPath(author.slug)}`;
	return c.render(<AuthorPage author={author} articles={page.items} nextCursor={nextCursor} isFirstPage={!cursor} />, {
		title: author.name,
		description: author.description || `The latest Samarium articles by ${author.name}.`,
		canonical,
		noindex: Boolean(cursor),
		jsonLd: cursor
			? undefined
			: {
					"@context": "https://schema.org",
					"@type": "ProfilePage",
					url: canonical,
					mainEntity: {
						"@type": "Person",
						name: author.name,
						url: canonical,
						...(author.description ? { description: author.description } : {}),
						...(author.url ? { sameAs: [author.url] } : {}),
					},
				},
	});
});

pages.get("/corrections", async (c) => {
	const { cursor } = parseQuery(pageQuery, c.req.query());
	const page = await listCorrections(c.var.db, { now: Date.now(), limit: PAGE_SIZE, cursor: cursor ?? null });
	const nextCursor = page.next && encodeCursor(page.next);
	return c.render(<CorrectionsPage corrections={page.items} nextCursor={nextCursor} isFirstPage={!cursor} />, {
		title: "Corrections",
		description: `Every correction ${SITE_NAME} has made to a published article, newest first.`,
		canonical: `${c.var.siteUrl}/corrections`,
		noindex: Boolean(cursor),
		feed: { title: `${SITE_NAME}: corrections`, href: "/corrections.xml" },
	});
});

for (const slug of ["about", "services"] as const) {
	pages.get(`/${slug}`, async (c) => {
		const page = await getPageBySlug(c.var.db, slug);
		if (!page) throw notFound("This page has not been written yet.");
		return c.render(<StaticPage page={page} />, {
			title: page.title,
			description: plainExcerpt(page.bodyMarkdown) || page.title,
			canonical: `${c.var.siteUrl}/${slug}`,
			current: slug,
		});
	});
}
