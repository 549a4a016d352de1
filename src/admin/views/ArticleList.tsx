import type { Taxon } from "../../db/queries/taxonomies";
import { SEARCH_MAX_LENGTH } from "../../lib/search";
import { articleState } from "../services/article-state";
import type { AdminArticle } from "../services/articles";
import { articleAdminPath } from "./ArticleEditor";
import { ArticleStatusBadge } from "./ArticleStatus";
import type { FieldAria, FieldErrors } from "./Field";
import { FlashMessage } from "./Layout";
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

/** What a filter's control is described by: its hint and the message when its value was refused. */
function describedBy(name: string, hint: boolean, error: string | undefined): FieldAria {
	const ids = [hint ? `filter-${name}-hint` : "", error ? `filter-${name}-error` : ""].filter(Boolean).join(" ");
	return { ...(ids ? { "aria-describedby": ids } : {}), ...(error ? { "aria-invalid": "true" as const } : {}) };
}

function FilterError(props: { name: string; error: string | undefined }) {
	return props.error ? (
		<p class="field-error" id={`filter-${props.name}-error`}>
			{props.error}
		</p>
	) : null;
}

function TaxonFilter(props: {
	name: "topic" | "region";
	label: string;
	any: string;
	value: string;
	options: Taxon[];
	error: string | undefined;
}) {
	return (
		<div>
			<label for={`filter-${props.name}`}>{props.label}</label>
			<select id={`filter-${props.name}`} name={props.name} {...describedBy(props.name, false, props.error)}>
				<option value="">{props.any}</option>
				{props.options.map((option) => (
					<option value={option.slug} selected={props.value === option.slug}>
						{option.name}
					</option>
				))}
			</select>
			<FilterError name={props.name} error={props.error} />
		</div>
	);
}

function Filters(props: { filters: ArticleFilters; fields: FieldErrors; topics: Taxon[]; regions: Taxon[] }) {
	const { filters, fields } = props;
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
			<TaxonFilter
				name="topic"
				label="Topic"
				any="Any topic"
				value={filters.topic}
				options={props.topics}
				error={fields.topic}
			/>
			<TaxonFilter
				name="region"
				label="Region"
				any="Any region"
				value={filters.region}
				options={props.regions}
				error={fields.region}
			/>
			<div class="filters-q">
				<label for="filter-q">Search</label>
				<input
					type="search"
					id="filter-q"
					name="q"
					value={filters.q}
					maxlength={SEARCH_MAX_LENGTH}
					{...describedBy("q", true, fields.q)}
				/>
				<p class="hint" id="filter-q-hint">
					Words in the title, summary or text; "quotes" for a phrase.
				</p>
				<FilterError name="q" error={fields.q} />
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
	/** Filters the list refused, each shown by its control (a cursor's above the list). */
	fields?: FieldErrors | undefined;
	/** The search has no word in it, so nothing matched: say so rather than "no match". */
	noWords?: boolean;
	topics: Taxon[];
	regions: Taxon[];
	nextCursor: string | null;
	isFirstPage: boolean;
	now: number;
}) {
	const { articles, filters } = props;
	const fields = props.fields ?? {};
	return (
		<>
			<div class="page-head">
				<h1>Articles</h1>
				<a class="button" href="/admin/articles/new">
					New article
				</a>
			</div>
			<Filters filters={filters} fields={fields} topics={props.topics} regions={props.regions} />
			{fields.cursor && <FlashMessage flash={{ kind: "error", text: fields.cursor }} />}
			{articles.length === 0 ? (
				<p class="muted">
					{props.noWords
						? `Nothing to search for in “${filters.q}”: a search needs a word (letters or digits). No articles are shown.`
						: isFiltered(filters)
							? "No articles match these filters."
							: "No articles yet."}{" "}
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
