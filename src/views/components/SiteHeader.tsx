import { SITE_NAME, SITE_TAGLINE } from "../../lib/site";

export function SiteHeader(props: { current?: "about" | "services" | undefined }) {
	return (
		<header class="site-header">
			<div class="wrap">
				<a class="brand" href="/">
					<span class="brand-name">{SITE_NAME.toUpperCase()}</span>
					<span class="brand-tagline">{SITE_TAGLINE}</span>
				</a>
				<nav class="site-nav" aria-label="Site">
					<ul>
						<li>
							<a href="/about" aria-current={props.current === "about" ? "page" : undefined}>
								About
							</a>
						</li>
						<li>
							<a href="/services" aria-current={props.current === "services" ? "page" : undefined}>
								Services
							</a>
						</li>
					</ul>
				</nav>
			</div>
		</header>
	);
}
