import { raw } from "hono/html";
import type { ArticleRow, ArticleSummaryRow } from "../db/queries/articles";
import { ArticleList } from "./components/ArticleCard";
import { Dot } from "./components/Dot";
import { Time } from "./components/Time";

/** Edits within a minute of publication are part of publishing, not a correction worth showing. */
const CORRECTION_THRESHOLD_MS = 60_000;

export function ArticlePage(props: { article: ArticleRow; related: ArticleSummaryRow[] }) {
	const { article } = props;
	const hasTaxa = article.regionSlug !== null || article.topicSlug !== null;
	return (
		<>
			<article aria-labelledby="article-title">
				<header>
					{hasTaxa && (
						<p class="kicker">
							{article.regionSlug && <a href={`/regions/${article.regionSlug}`}>{article.regionName}</a>}
							{article.regionSlug && article.topicSlug && <Dot />}
							{article.topicSlug && <a href={`/topics/${article.topicSlug}`}>{article.topicName}</a>}
						</p>
					)}
					<h1 id="article-title">{article.title}</h1>
					<p class="standfirst">{article.summary}</p>
					<p class="meta">
						Published <Time ms={article.publishedAt} /> UTC
						{article.updatedAt - article.publishedAt > CORRECTION_THRESHOLD_MS && (
							<>
								<Dot />
								Updated <Time ms={article.updatedAt} /> UTC
							</>
						)}
					</p>
				</header>
				{/* Rendered from Markdown at save time with raw HTML disabled: safe to emit as-is. */}
				<div class="prose">{raw(article.bodyHtml)}</div>
			</article>
			{props.related.length > 0 && (
				<section class="related" aria-labelledby="related-title">
					<h2 id="related-title">Related Articles</h2>
					<ArticleList articles={props.related} heading="h3" />
				</section>
			)}
		</>
	);
}
