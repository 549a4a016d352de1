import type { AdminArticle } from "../services/articles";

/** Where an article stands for a reader: a published article with a future time is scheduled. */
export type ArticleState = "draft" | "scheduled" | "published" | "trash";

export function articleState(
	article: Pick<AdminArticle, "status" | "publishedAt" | "deletedAt">,
	now: number,
): ArticleState {
	if (article.deletedAt !== null) return "trash";
	if (article.status === "draft") return "draft";
	return article.publishedAt !== null && article.publishedAt > now ? "scheduled" : "published";
}

const LABELS: Record<ArticleState, string> = {
	draft: "Draft",
	scheduled: "Scheduled",
	published: "Published",
	trash: "In trash",
};

export function ArticleStatusBadge(props: { state: ArticleState }) {
	return <span class={`badge badge-${props.state}`}>{LABELS[props.state]}</span>;
}
