import { raw } from "hono/html";
import { type ArticleRow, type ArticleSummaryRow, readerModifiedAt } from "../db/queries/articles";
import { ArticleList } from "./components/ArticleCard";
import { Byline } from "./components/Byline";
import { Dot } from "./components/Dot";
import { Time } from "./components/Time";

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
						{article.authors.length > 0 && (
							<>
								<Byline authors={article.authors} />
								<Dot />
							</>
						)}
						Published <Time ms={article.publishedAt} /> UTC
						{/* Only a correction moves it: a typo fixed quietly is not news to readers. */}
						{article.corrections.length > 0 && (
							<>
								<Dot />
								<a href="#corrections">
									Updated <Time ms={readerModifiedAt(article)} /> UTC
								</a>
							</>
						)}
					</p>
				</header>
				{/* Rendered from Markdown at save time with raw HTML disabled: safe to emit as-is. */}
				<div class="prose">{raw(article.bodyHtml)}</div>
				{article.corrections.length > 0 && (
					<aside class="corrections" id="corrections" aria-labelledby="corrections-title">
						<h2 id="corrections-title">Corrections</h2>
						<ul>
							{article.corrections.map((c) => (
								<li>
									<strong>
										Corrected <Time ms={c.at} /> UTC:
									</strong>{" "}
									{c.note}
								</li>
							))}
						</ul>
					</aside>
				)}
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
