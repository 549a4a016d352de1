import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { SITE_NAME, SITE_TAGLINE } from "../lib/site";
import { SiteFooter } from "./components/SiteFooter";
import { type HeaderLink, SiteHeader } from "./components/SiteHeader";
import { FAVICON_PATH } from "./favicon";
import { css } from "./styles";

export type ArticleMetaProps = {
	publishedAt: string;
	updatedAt: string;
	section: string | null;
};

export type HeadProps = {
	/** The page's own title; the site name is appended. */
	title: string;
	description: string;
	/** Absolute canonical URL; omitted for error pages. */
	canonical?: string;
	ogType?: "website" | "article";
	article?: ArticleMetaProps;
	jsonLd?: object;
	/** Which header link is the current page. */
	current?: HeaderLink;
	/** Keep error and paginated pages out of search results. */
	noindex?: boolean;
	/** The page's picture for link previews (og:image, a large Twitter card); `url` absolute. */
	image?: { url: string; width: number; height: number; alt: string };
	/** A feed of this page's own, announced beside the site's. */
	feed?: { title: string; href: string };
};

/** JSON inside <script> must not be able to close the element: escape "<" (and U+2028/9). */
function jsonForScript(value: object): string {
	return JSON.stringify(value)
		.replace(/</g, "\\u003c")
		.replace(/\u2028/g, "\\u2028")
		.replace(/\u2029/g, "\\u2029");
}

export function Layout(props: HeadProps & { children?: Child }) {
	const fullTitle = props.title === SITE_NAME ? `${SITE_NAME} — ${SITE_TAGLINE}` : `${props.title} · ${SITE_NAME}`;
	return (
		<html lang="en">
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<title>{fullTitle}</title>
				<meta name="description" content={props.description} />
				{props.noindex && <meta name="robots" content="noindex" />}
				{props.canonical && <link rel="canonical" href={props.canonical} />}
				<link rel="icon" href={FAVICON_PATH} type="image/svg+xml" />
				<link rel="alternate" type="application/rss+xml" title="Samarium" href="/feed.xml" />
				{props.feed && (
					<link rel="alternate" type="application/rss+xml" title={props.feed.title} href={props.feed.href} />
				)}
				<meta name="theme-color" content="#fbfaf7" media="(prefers-color-scheme: light)" />
				<meta name="theme-color" content="#151412" media="(prefers-color-scheme: dark)" />
				<meta property="og:site_name" content={SITE_NAME} />
				<meta property="og:type" content={props.ogType ?? "website"} />
				<meta property="og:title" content={props.title} />
				<meta property="og:description" content={props.description} />
				{props.canonical && <meta property="og:url" content={props.canonical} />}
				<meta property="og:locale" content="en_US" />
				{props.article && <meta property="article:published_time" content={props.article.publishedAt} />}
				{props.article && <meta property="article:modified_time" content={props.article.updatedAt} />}
				{props.article?.section && <meta property="article:section" content={props.article.section} />}
				{props.image && <meta property="og:image" content={props.image.url} />}
				{props.image && <meta property="og:image:width" content={String(props.image.width)} />}
				{props.image && <meta property="og:image:height" content={String(props.image.height)} />}
				{props.image && <meta property="og:image:alt" content={props.image.alt} />}
				<meta name="twitter:card" content={props.image ? "summary_large_image" : "summary"} />
				<meta name="twitter:title" content={props.title} />
				<meta name="twitter:description" content={props.description} />
				{props.image && <meta name="twitter:image" content={props.image.url} />}
				{props.image && <meta name="twitter:image:alt" content={props.image.alt} />}
				<style>{raw(css)}</style>
				{props.jsonLd && <script type="application/ld+json">{raw(jsonForScript(props.jsonLd))}</script>}
			</head>
			<body>
				<a class="skip" href="#main">
					Skip to content
				</a>
				<SiteHeader current={props.current} />
				<main id="main" class="wrap" tabindex={-1}>
					{props.children}
				</main>
				<SiteFooter />
			</body>
		</html>
	);
}
