import { raw } from "hono/html";
import type { Page } from "../db/schema";

/** About, Services and any other page from the `pages` table. */
export function StaticPage(props: { page: Page }) {
	return (
		<article aria-labelledby="page-title">
			<h1 id="page-title">{props.page.title}</h1>
			<div class="prose">{raw(props.page.bodyHtml)}</div>
		</article>
	);
}
