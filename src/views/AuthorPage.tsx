import type { ArticleSummaryRow } from "../db/queries/articles";
import type { AuthorInfo } from "../db/queries/authors";
import { authorPath } from "../lib/paths";
import { ArticleList } from "./components/ArticleCard";
import { Pager } from "./components/Pager";

/** An author's own page: name, one-line description, bio and link, then their newest articles. */
export function AuthorPage(props: {
	author: AuthorInfo;
	articles: ArticleSummaryRow[];
	nextCursor: string | null;
	isFirstPage: boolean;
}) {
	const { author } = props;
	// Plain text: a blank line starts a paragraph (escaped like every other text).
	const paragraphs = author.bio.split(/\n\s*\n/).filter((p) => p.trim() !== "");
	return (
		<>
			<p class="kicker">Author</p>
			<h1>{author.name}</h1>
			{author.description && <p class="page-intro">{author.description}</p>}
			{props.isFirstPage && paragraphs.map((p) => <p>{p}</p>)}
			{props.isFirstPage && author.url && (
				<p>
					<a href={author.url} rel="me nofollow noopener">
						{linkText(author.url)}
					</a>
				</p>
			)}
			<h2>Articles</h2>
			{props.articles.length === 0 ? (
				<p class="empty">Nothing by {author.name} has been published yet.</p>
			) : (
				<ArticleList articles={props.articles} heading="h3" showTaxa />
			)}
			<Pager basePath={authorPath(author.slug)} nextCursor={props.nextCursor} isFirstPage={props.isFirstPage} />
		</>
	);
}

/** A link's host and path, without the scheme: what a reader recognises. */
function linkText(url: string): string {
	const parsed = new URL(url);
	const path = parsed.pathname === "/" ? "" : parsed.pathname;
	return `${parsed.host}${path}`;
}
