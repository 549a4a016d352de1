import type { ArticleSummaryRow } from "../db/queries/articles";
import { ArticleList } from "./components/ArticleCard";
import { Pager } from "./components/Pager";

export function HomePage(props: { articles: ArticleSummaryRow[]; nextCursor: string | null; isFirstPage: boolean }) {
	return (
		<>
			<h1>{props.isFirstPage ? "Latest news" : "Older news"}</h1>
			{props.articles.length === 0 ? (
				<p class="empty">No articles have been published yet.</p>
			) : (
				<ArticleList articles={props.articles} heading="h2" showTaxa />
			)}
			<Pager basePath="/" nextCursor={props.nextCursor} isFirstPage={props.isFirstPage} />
		</>
	);
}
