// The site icon: an "S" in a rounded square, in the site's accent colour for readers and near
// black for the admin, so that an editor's tabs are told apart from the public site's at a glance.
// Served from its own address (src/routes/icons.ts) rather than as a data: URL in every page.

/** Where the layouts link the icons; /favicon.ico answers the reader's icon too. */
export const FAVICON_PATH = "/favicon.svg";
/** Not under /admin, which needs a session: the sign-in page shows it too. */
export const ADMIN_FAVICON_PATH = "/favicon-admin.svg";

const icon = (fill: string) =>
	[
		'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">',
		`<rect width="32" height="32" rx="6" fill="${fill}"/>`,
		'<text x="16" y="23" font-family="sans-serif" font-size="20" font-weight="700" text-anchor="middle" fill="#fff">S</text>',
		"</svg>",
		"",
	].join("\n");

export const FAVICON_SVG = icon("#8f3512");
export const ADMIN_FAVICON_SVG = icon("#1b1b1a");
