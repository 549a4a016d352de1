import { SEARCH_MAX_LENGTH } from "../../lib/search";
import { SITE_NAME, SITE_TAGLINE } from "../../lib/site";

const LINKS = [
	["/topics", "Topics"],
	["/regions", "Regions"],
	["/about", "About"],
	["/services", "Services"],
] as const;

export type HeaderLink = "topics" | "regions" | "about" | "services";

export function SiteHeader(props: { current?: HeaderLink | undefined }) {
	return (
		<header class="site-header">
			<div class="wrap">
				<a class="brand" href="/">
					<span class="brand-name">{SITE_NAME.toUpperCase()}</span>
					<span class="brand-tagline">{SITE_TAGLINE}</span>
				</a>
				<nav class="site-nav" aria-label="Site">
					<ul>
						{LINKS.map(([href, label]) => (
							<li>
								<a href={href} aria-current={props.current === href.slice(1) ? "page" : undefined}>
									{label}
								</a>
							</li>
						))}
					</ul>
				</nav>
				{/* A plain GET form: search works without JavaScript, from every page. */}
				<search class="site-search">
					<form action="/search" method="get">
						<label class="vh" for="site-search-q">
							Search articles
						</label>
						<input id="site-search-q" type="search" name="q" maxlength={SEARCH_MAX_LENGTH} placeholder="Search" />
						<button type="submit">Search</button>
					</form>
				</search>
			</div>
		</header>
	);
}
