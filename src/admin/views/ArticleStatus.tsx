import type { ArticleState } from "../services/article-state";

const LABELS: Record<ArticleState, string> = {
	draft: "Draft",
	scheduled: "Scheduled",
	published: "Published",
	trash: "In trash",
};

export function ArticleStatusBadge(props: { state: ArticleState }) {
	return <span class={`badge badge-${props.state}`}>{LABELS[props.state]}</span>;
}
