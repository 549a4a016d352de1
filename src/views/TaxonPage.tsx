import type { ArticleSummaryRow } from "../db/queries/articles";
import type { TaxonInfo } from "../db/queries/taxonomies";
import { ArticleList } from "./components/ArticleCard";
import { Pager } from "./components/Pager";

/** The newest articles of one topic or region. */
export function TaxonPage(props: {
	kind: "topic" | "region";
	taxon: TaxonInfo;
	articles: ArticleSummaryRow[];
	nextCursor: string | null;
	isFirstPage: boolean;
}) {
	const label = props.kind === "topic" ? "Topic" : "Region";
	return (
		<>
			<p class="kicker">{label}</p>
			<h1>{props.taxon.name}</h1>
			{props.taxon.description && <p class="page-intro">{props.taxon.description}</p>}
			{props.articles.length === 0 ? (
				<p class="empty">Nothing has been published here yet.</p>
			) : (
				<ArticleList articles={props.articles} heading="h2" showTaxa />
			)}
			<Pager
				basePath={`/${props.kind}s/${props.taxon.slug}`}
				nextCursor={props.nextCursor}
				isFirstPage={props.isFirstPage}
			/>
		</>
	);
}
