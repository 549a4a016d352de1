export function SiteFooter() {
	return (
		<footer class="site-footer">
			<div class="wrap">
				<p>Samarium is published by samarium.dev, a software development company.</p>
				<ul>
					<li>
						<a href="/">Latest</a>
					</li>
					<li>
						<a href="/about">About</a>
					</li>
					<li>
						<a href="/services">Services</a>
					</li>
					<li>
						<a href="/feed.xml">RSS feed</a>
					</li>
					<li>
						<a href="/api/articles">JSON API</a>
					</li>
				</ul>
			</div>
		</footer>
	);
}
