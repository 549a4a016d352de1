// Reaches a page deep in the home page's list the way a reader or a crawler does: by following
// each page's next cursor from page 1, never by making one up. The walk goes through the JSON API
// (/api/articles), whose cursors are the HTML pages' too (both encode the same list's keyset, PAGE_SIZE
// rows a page); checkSameCursors() holds the HTML page to that at both ends of the walk.

export type DeepPage = {
	/** The page number reached: `pages` when the list is that long, else the deepest page with a next one. */
	depth: number;
	/** Its path on the HTML side (the home page with that cursor). */
	htmlPath: string;
	/** Its path on the API side. */
	apiPath: string;
	/** Pages the list has beyond page 1 that the walk saw (it stops at `pages`). */
	hops: number;
	ms: number;
};

type ApiPage = { articles: { slug: string }[]; nextCursor: string | null };

async function apiPage(origin: string, cursor: string | null, headers: Record<string, string>): Promise<ApiPage> {
	const path = cursor === null ? "/api/articles" : `/api/articles?cursor=${encodeURIComponent(cursor)}`;
	const res = await fetch(`${origin}${path}`, { headers });
	if (!res.ok) throw new Error(`${path} answered ${res.status} during the walk`);
	return (await res.json()) as ApiPage;
}

/**
 * Follows next cursors from page 1 until page `pages`, or until the list ends; then the deepest
 * full page (one with a next page) is the one returned, so that a short list is measured on a page
 * as heavy as a deep one rather than on its short last page.
 */
export async function walkToPage(origin: string, pages: number, headers: Record<string, string>): Promise<DeepPage> {
	const started = performance.now();
	// cursors[i] opens page i + 2.
	const cursors: string[] = [];
	let next = (await apiPage(origin, null, headers)).nextCursor;
	while (next !== null && cursors.length < pages - 1) {
		cursors.push(next);
		next = (await apiPage(origin, next, headers)).nextCursor;
	}
	// Page `cursors.length + 1` was reached; unless that is `pages`, it may be the short last one.
	const depth = cursors.length === pages - 1 ? pages : Math.max(1, cursors.length);
	const cursor = depth >= 2 ? (cursors[depth - 2] as string) : null;
	const query = cursor === null ? "" : `?cursor=${encodeURIComponent(cursor)}`;
	return {
		depth,
		htmlPath: `/${query}`,
		apiPath: `/api/articles${query}`,
		hops: cursors.length,
		ms: Math.round(performance.now() - started),
	};
}

/** The "Older articles" link's cursor on an HTML list page (Pager.tsx), or null without one. */
function htmlNextCursor(html: string): string | null {
	const match = /href="[^"]*\?cursor=([^"&]+)"[^>]*rel="next"/.exec(html);
	return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/**
 * Problems, if any, with walking the HTML pages by the API's cursors: on page 1 and on the deep
 * page, the HTML page must list the same articles as the API page and link to the same next cursor.
 */
export async function checkSameCursors(
	origin: string,
	deep: DeepPage,
	headers: Record<string, string>,
): Promise<string[]> {
	const problems: string[] = [];
	for (const [htmlPath, apiPath] of [
		["/", "/api/articles"],
		[deep.htmlPath, deep.apiPath],
	] as const) {
		const [htmlRes, apiRes] = await Promise.all([
			fetch(`${origin}${htmlPath}`, { headers }),
			fetch(`${origin}${apiPath}`, { headers }),
		]);
		const html = await htmlRes.text();
		const api = (await apiRes.json()) as ApiPage;
		const label = htmlPath === "/" ? "page 1" : `page ${deep.depth}`;
		if (htmlNextCursor(html) !== api.nextCursor) {
			problems.push(
				`${label}: the HTML page's next cursor is not the API's (${htmlNextCursor(html)} vs ${api.nextCursor})`,
			);
		}
		const missing = api.articles.filter((a) => !html.includes(`/articles/${a.slug}"`));
		if (api.articles.length === 0 || missing.length > 0) {
			problems.push(`${label}: the HTML page does not list the API page's ${api.articles.length} articles`);
		}
	}
	return problems;
}
