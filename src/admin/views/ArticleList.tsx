import type { Taxon } from "../../db/queries/taxonomies";
import { SEARCH_MAX } from "../limits";
import { articleState } from "../services/article-state";
import type { AdminArticle } from "../services/articles";
import { articleAdminPath } from "./ArticleEditor";
import { ArticleStatusBadge } from "./ArticleStatus";
import { Table } from "./Table";
import { AdminTime } from "./Time";

export const LIST_STATUSES = ["all", "draft", "scheduled", "published", "trash"] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

/** The list's filters as the GET form sends them ("" for "any"). */
export type ArticleFilters = { status: ListStatus; topic: string; region: string; q: string };

const STATUS_LABELS: Record<ListStatus, string> = {
	all: "All but trash",
	draft: "Drafts",
	scheduled: "Scheduled",
	published: "Published",
	trash: "Trash",
};

/** `/admin?…` with only the filters that are set, so links stay short and shareable. */
export function listHref(filters: ArticleFilters, cursor?: string): string {
	const params = new URLSearchParams();
	if (filters.status !== "all") params.set("status", filters.status);
	if (filters.topic !== "") params.set("topic", filters.topic);
	if (filters.region !== "") params.set("region", filters.region);
	if (filters.q !== "") params.set("q", filters.q);
	if (cursor) params.set("cursor", cursor);
	const query = params.toString();
	return query === "" ? "/admin" : `/admin?${query}`;
}

function TaxonFilter(props: { name: "topic" | "region"; label: string; any: string; value: string; options: Taxon[] }) {
	return (
		<div>
			<label for={`filter-${props.name}`}>{props.label}</label>
			<select id={`filter-${props.name}`} name={props.name}>
				<option value="">{props.any}</option>
				{props.options.map((option) => (
					<option value={option.slug} selected={props.value === option.slug}>
						{option.name}
					</option>
				))}
			</select>
		</div>
	);
}

function Filters(props: { filters: ArticleFilters; topics: Taxon[]; regions: Taxon[] }) {
	const { filters } = props;
	return (
		<form class="filters" method="get" action="/admin" aria-label="Filter articles">
			<div>
				<label for="filter-status">Status</label>
				<select id="filter-status" name="status">
					{LIST_STATUSES.map((status) => (
						<option value={status} selected={filters.status === status}>
							{STATUS_LABELS[status]}
						</option>
					))}
				</select>
			</div>
			<TaxonFilter name="topic" label="Topic" any="Any topic" value={filters.topic} options={props.topics} />
			<TaxonFilter name="region" label="Region" any="Any region" value={filters.region} options={props.regions} />
			<div class="filters-q">
				<label for="filter-q">Title contains</label>
				<input type="search" id="filter-q" name="q" value={filters.q} maxlength={SEARCH_MAX} />
			</div>
			<div class="actions">
				<button type="submit">Filter</button>
				<a href="/admin">Clear</a>
			</div>
		</form>
	);
}

function isFiltered(filters: ArticleFilters): boolean {
	return filters.status !== "all" || filters.topic !== "" || filters.region !== "" || filters.q !== "";
}

export function ArticleList(props: {
	articles: AdminArticle[];
	filters: ArticleFilters;
	topics: Taxon[];
	regions: Taxon[];
	nextCursor: string | null;
	isFirstPage: boolean;
	now: number;
}) {
	const { articles, filters } = props;
	return (
		<>
			<div class="page-head">
				<h1>Articles</h1>
				<a class="button" href="/admin/articles/new">
					New article
				</a>
			</div>
			<Filters filters={filters} topics={props.topics} regions={props.regions} />
			{articles.length === 0 ? (
				<p class="muted">
					{isFiltered(filters) ? "No articles match these filters." : "No articles yet."}{" "}
					{!props.isFirstPage && <a href={listHref(filters)}>Back to the first page</a>}
				</p>
			) : (
				<Table
					columns={["Title", "Status", "Topic", "Region", "Updated", "Published"]}
					caption="Articles, most recently updated first"
				>
					{articles.map((article) => (
						<tr>
							<td>
								<a href={articleAdminPath(article.id)}>{article.title}</a>
							</td>
							<td>
								<ArticleStatusBadge state={articleState(article, props.now)} />
							</td>
							<td>{article.topic?.name ?? <span class="muted">—</span>}</td>
							<td>{article.region?.name ?? <span class="muted">—</span>}</td>
							<td>
								<AdminTime ms={article.updatedAt} />
							</td>
							<td>
								<AdminTime ms={article.publishedAt} />
							</td>
						</tr>
					))}
				</Table>
			)}
			{(props.nextCursor || !props.isFirstPage) && (
				<nav class="pager" aria-label="Pages">
					{!props.isFirstPage ? <a href={listHref(filters)}>First page</a> : <span />}
					{props.nextCursor && (
						<a href={listHref(filters, props.nextCursor)} rel="next">
							Next page
						</a>
					)}
				</nav>
			)}
		</>
	);
}
