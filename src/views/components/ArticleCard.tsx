import type { ArticleSummaryRow } from "../../db/queries/articles";
import { articlePath } from "../../lib/paths";
import { Dot } from "./Dot";
import { Time } from "./Time";

/** One entry of a list: title link, date (with region and topic where shown), summary. */
export function ArticleCard(props: { article: ArticleSummaryRow; heading: "h2" | "h3"; showTaxa?: boolean }) {
	const { article } = props;
	const Heading = props.heading;
	return (
		<li class="card">
			<Heading>
				<a href={articlePath(article.slug)}>{article.title}</a>
			</Heading>
			<CardMeta article={article} showTaxa={props.showTaxa} />
			<p class="card-summary">{article.summary}</p>
		</li>
	);
}

/** A card's date line: the publication time, with the region and topic where shown. */
export function CardMeta(props: { article: ArticleSummaryRow; showTaxa?: boolean }) {
	const { article } = props;
	return (
		<p class="card-meta">
			<Time ms={article.publishedAt} />
			{props.showTaxa &&
				[article.regionName, article.topicName].map(
					(name) =>
						name && (
							<>
								<Dot />
								<span class="taxon">{name}</span>
							</>
						),
				)}
		</p>
	);
}

export function ArticleList(props: { articles: ArticleSummaryRow[]; heading: "h2" | "h3"; showTaxa?: boolean }) {
	return (
		<ul class="cards">
			{props.articles.map((article) => (
				<ArticleCard article={article} heading={props.heading} showTaxa={props.showTaxa} />
			))}
		</ul>
	);
}
