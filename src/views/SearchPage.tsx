import { raw } from "hono/html";
import type { ArticleSummaryRow } from "../db/queries/articles";
import type { Taxon } from "../db/queries/taxonomies";
import { articlePath } from "../lib/paths";
import { SEARCH_MAX_LENGTH } from "../lib/search";
import { CardMeta } from "./components/ArticleCard";

export type SearchHit = ArticleSummaryRow & { snippet: string };

export type SearchPageProps = {
	/** The query as normalised (what the box shows). */
	q: string;
	topic: string | undefined;
	region: string | undefined;
	topics: Taxon[];
	regions: Taxon[];
	/** Why the query cannot be run (shown by the box), or null. */
	error: string | null;
	/** null before anything was searched for: the page then explains itself. */
	hits: SearchHit[] | null;
	/** How many results came before this page. */
	offset: number;
	/** The address of the next page of results, or null. */
	nextHref: string | null;
	firstHref: string;
};

/** /search: the form, then the ranked results with their snippets, or what to do when there are none. */
export function SearchPage(props: SearchPageProps) {
	const { hits } = props;
	return (
		<>
			<h1>{props.q && !props.error ? <>Search results for “{props.q}”</> : "Search"}</h1>
			{props.q && !props.error && (props.topic || props.region) && (
				<p class="page-intro">
					{[nameOf(props.topics, props.topic), nameOf(props.regions, props.region)].filter(Boolean).join(" · ")} only
				</p>
			)}
			<form class="search-form" action="/search" method="get">
				<label class="q">
					Words to find
					<input
						type="search"
						name="q"
						value={props.q}
						maxlength={SEARCH_MAX_LENGTH}
						aria-invalid={props.error ? "true" : undefined}
						aria-describedby={props.error ? "search-error" : undefined}
					/>
				</label>
				<TaxonSelect name="topic" label="Topic" any="All topics" taxa={props.topics} selected={props.topic} />
				<TaxonSelect name="region" label="Region" any="All regions" taxa={props.regions} selected={props.region} />
				<button type="submit">Search</button>
			</form>
			{props.error && (
				<p id="search-error" class="field-error" role="alert">
					{props.error}
				</p>
			)}
			{!props.error && hits === null && (
				<p class="page-intro">
					Find any published article by the words of its title, summary or text. Every word must appear; put “quotes”
					around words that must appear together.
				</p>
			)}
			{hits !== null && hits.length === 0 && (
				<p class="empty">
					{props.offset > 0
						? "There are no more results."
						: "No published article contains all of these words. Try fewer or other words, or all topics and regions."}
				</p>
			)}
			{hits !== null && hits.length > 0 && (
				<ol class="cards" start={props.offset + 1}>
					{hits.map((hit) => (
						<li class="card">
							<h2>
								<a href={articlePath(hit.slug)}>{hit.title}</a>
							</h2>
							<CardMeta article={hit} showTaxa />
							{/* Escaped text with only <mark> in it (src/lib/search.ts snippetHtml). */}
							<p class="card-summary">{raw(hit.snippet)}</p>
						</li>
					))}
				</ol>
			)}
			{(props.nextHref || props.offset > 0) && (
				<nav class="pager" aria-label="Pagination">
					{props.offset > 0 ? <a href={props.firstHref}>← First results</a> : <span />}
					{props.nextHref && (
						<a href={props.nextHref} rel="next">
							More results →
						</a>
					)}
				</nav>
			)}
		</>
	);
}

function nameOf(taxa: Taxon[], slug: string | undefined): string | undefined {
	return taxa.find((taxon) => taxon.slug === slug)?.name;
}

function TaxonSelect(props: { name: string; label: string; any: string; taxa: Taxon[]; selected: string | undefined }) {
	return (
		<label>
			{props.label}
			<select name={props.name}>
				<option value="">{props.any}</option>
				{props.taxa.map((taxon) => (
					<option value={taxon.slug} selected={taxon.slug === props.selected}>
						{taxon.name}
					</option>
				))}
			</select>
		</label>
	);
}
