// The public JSON shapes (docs/api.md), built from query rows.
import type { ArticleRow, ArticleSummaryRow, CorrectionRow } from "../db/queries/articles";
import type { BylineAuthor } from "../db/queries/authors";
import type { LeadImage } from "../db/queries/media";
import { toIso } from "../lib/dates";
import { mediaPath } from "../lib/images";
import { articlePath, authorPath } from "../lib/paths";

export type TaxonJson = { slug: string; name: string };

/** An author in a byline: `url` is their page on this site. */
export type AuthorJson = { slug: string; name: string; url: string };

export type ArticleSummaryJson = {
	slug: string;
	title: string;
	summary: string;
	publishedAt: string;
	updatedAt: string;
	url: string;
	region: TaxonJson | null;
	topic: TaxonJson | null;
	/** The byline, in order ([] for none). */
	authors: AuthorJson[];
};

/** A public correction: the editor's note, and when it was made. */
export type CorrectionJson = { note: string; at: string };

/** The picture above an article's body; `url` absolute. */
export type LeadImageJson = {
	url: string;
	width: number;
	height: number;
	alt: string;
	caption: string;
	credit: string;
};

export type ArticleJson = ArticleSummaryJson & {
	bodyHtml: string;
	/** Oldest first. */
	corrections: CorrectionJson[];
	leadImage: LeadImageJson | null;
	related: ArticleSummaryJson[];
};

export type PageJson = { slug: string; title: string; bodyHtml: string; updatedAt: string };

export type ErrorJson = { error: { code: string; message: string; fields?: Record<string, string> } };

function taxon(slug: string | null, name: string | null): TaxonJson | null {
	return slug !== null && name !== null ? { slug, name } : null;
}

export function toArticleSummaryJson(row: ArticleSummaryRow, siteUrl: string): ArticleSummaryJson {
	return {
		slug: row.slug,
		title: row.title,
		summary: row.summary,
		publishedAt: toIso(row.publishedAt),
		updatedAt: toIso(row.updatedAt),
		url: `${siteUrl}${articlePath(row.slug)}`,
		region: taxon(row.regionSlug, row.regionName),
		topic: taxon(row.topicSlug, row.topicName),
		authors: toAuthorsJson(row.authors, siteUrl),
	};
}

export function toAuthorsJson(authors: readonly BylineAuthor[], siteUrl: string): AuthorJson[] {
	return authors.map((a) => ({ slug: a.slug, name: a.name, url: `${siteUrl}${authorPath(a.slug)}` }));
}

export function toArticleJson(row: ArticleRow, related: ArticleSummaryRow[], siteUrl: string): ArticleJson {
	return {
		...toArticleSummaryJson(row, siteUrl),
		bodyHtml: row.bodyHtml,
		corrections: row.corrections.map(toCorrectionJson),
		leadImage: toLeadImageJson(row.leadImage, siteUrl),
		related: related.map((r) => toArticleSummaryJson(r, siteUrl)),
	};
}

export function toCorrectionJson(c: CorrectionRow): CorrectionJson {
	return { note: c.note, at: toIso(c.at) };
}

export function toLeadImageJson(image: LeadImage, siteUrl: string): LeadImageJson;
export function toLeadImageJson(image: LeadImage | null, siteUrl: string): LeadImageJson | null;
export function toLeadImageJson(image: LeadImage | null, siteUrl: string): LeadImageJson | null {
	if (!image) return null;
	const { width, height, alt, caption, credit } = image;
	return { url: `${siteUrl}${mediaPath(image.id, image.ext)}`, width, height, alt, caption, credit };
}
