import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { CurrentEditor } from "../../db/schema";
import { SITE_NAME } from "../../lib/site";
import { ADMIN_FAVICON_PATH } from "../../views/favicon";
import { adminCss } from "./styles";

/** A one-line message at the top of a page, e.g. what a save purged. */
export type Flash = { kind: "ok" | "error"; text: string };

/** A message box: announced at once for an error, politely otherwise. */
export function FlashMessage(props: { flash: Flash }) {
	const { kind, text } = props.flash;
	return (
		<div class={`flash flash-${kind}`} role={kind === "error" ? "alert" : "status"}>
			<p>{text}</p>
		</div>
	);
}

export type AdminSection =
	| "articles"
	| "new"
	| "topics"
	| "regions"
	| "authors"
	| "pages"
	| "media"
	| "tokens"
	| "editors"
	| "audit"
	| "purge";

type NavItem = { section: AdminSection; href: string; label: string; adminOnly?: boolean };

const NAV: NavItem[] = [
	{ section: "articles", href: "/admin", label: "Articles" },
	{ section: "new", href: "/admin/articles/new", label: "New article" },
	{ section: "topics", href: "/admin/topics", label: "Topics", adminOnly: true },
	{ section: "regions", href: "/admin/regions", label: "Regions", adminOnly: true },
	{ section: "authors", href: "/admin/authors", label: "Authors", adminOnly: true },
	{ section: "pages", href: "/admin/pages", label: "Pages" },
	{ section: "media", href: "/admin/media", label: "Media" },
	{ section: "purge", href: "/admin/purge", label: "Purge" },
	{ section: "tokens", href: "/admin/tokens", label: "Tokens", adminOnly: true },
	{ section: "editors", href: "/admin/editors", label: "Editors", adminOnly: true },
	{ section: "audit", href: "/admin/audit", label: "Audit log", adminOnly: true },
];

function AdminNav(props: { editor: CurrentEditor; current?: AdminSection | undefined }) {
	const items = NAV.filter((item) => !item.adminOnly || props.editor.role === "admin");
	return (
		<nav class="admin-nav" aria-label="Admin">
			<ul>
				{items.map((item) => (
					<li>
						<a href={item.href} aria-current={props.current === item.section ? "page" : undefined}>
							{item.label}
						</a>
					</li>
				))}
			</ul>
		</nav>
	);
}

export function AdminLayout(props: {
	title: string;
	editor: CurrentEditor | null;
	current?: AdminSection | undefined;
	flash?: Flash | null | undefined;
	children?: Child;
}) {
	const { editor, flash } = props;
	return (
		<html lang="en">
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<meta name="robots" content="noindex" />
				<title>{`${props.title} · ${SITE_NAME} admin`}</title>
				<link rel="icon" href={ADMIN_FAVICON_PATH} type="image/svg+xml" />
				<style>{raw(adminCss)}</style>
			</head>
			<body>
				<a class="skip" href="#main">
					Skip to content
				</a>
				<header class="admin-header">
					<div class="admin-header-inner">
						<a class="admin-brand" href={editor ? "/admin" : "/"}>
							{SITE_NAME.toUpperCase()} <span>admin</span>
						</a>
						{editor && <AdminNav editor={editor} current={props.current} />}
						{editor && (
							<form class="admin-user" method="post" action="/admin/logout">
								{/* A long name is cut short on screen; the whole of it stays in the title. */}
								<span title={`${editor.name} (${editor.role})`}>
									{editor.name} ({editor.role})
								</span>
								<button type="submit" class="button-secondary button-small">
									Sign out
								</button>
							</form>
						)}
					</div>
				</header>
				<main id="main" class="admin-main" tabindex={-1}>
					{flash && <FlashMessage flash={flash} />}
					{props.children}
				</main>
			</body>
		</html>
	);
}
