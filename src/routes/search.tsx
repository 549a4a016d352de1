import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import { tag } from "../cache/tags";
import { SEARCH_CANDIDATES, type SearchHitRow, type SearchPageResult, searchArticles } from "../db/queries/search";
import { badRequest } from "../lib/errors";
import { decodeSearchCursor, encodeSearchCursor, hasMark, parseSearch, snippetHtml } from "../lib/search";
import { PAGE_SIZE } from "../lib/site";
import { parseQuery } from "../lib/validation";
import type { AppEnv } from "../types";
import { toArticleSummaryJson } from "../views/json";
import { type SearchHit, SearchPage } from "../views/SearchPage";
import { limitParam, opaqueCursorParam, slugParam, unknownFilters } from "./params";

/** `GET /search` (HTML) and `GET /api/search` (JSON): docs/api.md#search. */
export const search = new Hono<AppEnv>();

/** An empty topic or region is "all of them": what the search form sends for its first option. */
const filterParam = z.optional(z.union([z.literal(""), slugParam]));

const searchCursorParam = opaqueCursorParam((text) => decodeSearchCursor(text, SEARCH_CANDIDATES), "a search response");

const searchQuery = z.object({
	q: z.optional(z.string()),
	topic: filterParam,
	region: filterParam,
	cursor: z.optional(searchCursorParam),
	limit: z.optional(limitParam),
});

type SearchRequest = {
	raw: string;
	topicSlug: string | undefined;
	regionSlug: string | undefined;
	offset: number;
	limit: number;
};

function readRequest(c: Context<AppEnv>, limited: boolean): SearchRequest {
	const query = parseQuery(searchQuery, c.req.query());
	return {
		raw: query.q ?? "",
		topicSlug: query.topic || undefined,
		regionSlug: query.region || undefined,
		offset: query.cursor ?? 0,
		limit: limited ? (query.limit ?? PAGE_SIZE) : PAGE_SIZE,
	};
}

/** The snippet that shows why it matched: the body's, else the summary's, else the body's opening words. */
function toHit(row: SearchHitRow): SearchHit {
	const { summarySnippet, bodySnippet, ...summary } = row;
	const best = hasMark(bodySnippet) || !hasMark(summarySnippet) ? bodySnippet || summarySnippet : summarySnippet;
	return { ...summary, snippet: snippetHtml(best) };
}

function nextCursor(request: SearchRequest, result: SearchPageResult): string | null {
	return result.more ? encodeSearchCursor(request.offset + request.limit) : null;
}

search.get("/api/search", async (c) => {
	const request = readRequest(c, true);
	const parsed = parseSearch(request.raw);
	if (!parsed.ok) throw badRequest(parsed.message, { q: parsed.message });
	if (parsed.text === "") {
		const message = "Give the words to search for in q.";
		throw badRequest(message, { q: message });
	}
	const result = await searchArticles(c.var.db, { ...request, match: parsed.match, now: Date.now() });
	const fields = unknownFilters({ topic: request.topicSlug, region: request.regionSlug }, result);
	if (Object.keys(fields).length > 0) throw badRequest("Unknown filter value.", fields);
	c.header("cache-tag", tag.search);
	return c.json({
		results: result.hits.map((row) => {
			const hit = toHit(row);
			return { ...toArticleSummaryJson(hit, c.var.siteUrl), snippet: hit.snippet };
		}),
		nextCursor: nextCursor(request, result),
	});
});

search.get("/search", async (c) => {
	const request = readRequest(c, false);
	const parsed = parseSearch(request.raw);
	const searching = parsed.ok && parsed.text !== "";
	const result = await searchArticles(c.var.db, {
		...request,
		match: searching ? parsed.match : null,
		now: Date.now(),
		listTaxa: true,
	});
	const fields = unknownFilters({ topic: request.topicSlug, region: request.regionSlug }, result);
	const error = parsed.ok ? (Object.values(fields)[0] ?? null) : parsed.message;
	if (error) c.status(400);
	c.header("cache-tag", tag.search);

	const href = (offset: number) => {
		const params = new URLSearchParams({ q: parsed.text });
		if (request.topicSlug) params.set("topic", request.topicSlug);
		if (request.regionSlug) params.set("region", request.regionSlug);
		if (offset > 0) params.set("cursor", encodeSearchCursor(offset));
		return `/search?${params}`;
	};
	const showResults = searching && !error;
	const next = showResults ? nextCursor(request, result) : null;
	return c.render(
		<SearchPage
			q={parsed.text}
			topic={request.topicSlug}
			region={request.regionSlug}
			topics={result.topics ?? []}
			regions={result.regions ?? []}
			error={error}
			hits={showResults ? result.hits.map(toHit) : null}
			offset={request.offset}
			nextHref={next && href(request.offset + PAGE_SIZE)}
			firstHref={href(0)}
		/>,
		{
			title: showResults ? `Search: ${parsed.text}` : "Search",
			description: showResults
				? `Samarium articles that mention ${parsed.text}.`
				: "Search every article Samarium has published.",
			canonical: `${c.var.siteUrl}${searching ? href(request.offset) : "/search"}`,
			noindex: request.offset > 0 || Boolean(error),
		},
	);
});
