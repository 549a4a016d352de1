// What a load-test save writes, and how a reader's page says which save it shows. Each save puts
// the version it produces into the title ("… (edit v12)") and into the first paragraph of the body,
// so that a page or JSON answer can be dated without asking the database; a page with no marker
// shows the seeded text (version 1). Titles also appear in other articles' Related Articles lists,
// so a page dates those entries too.
import { extraMarkdown, extraTitle } from "../seed/extra-articles.ts";

export function markedTitle(article: number, version: number): string {
	return `${extraTitle(article)} (edit v${version})`;
}

export function markedBody(article: number, version: number, writer: number): string {
	return `Edit v${version} of article ${article}, saved by load writer ${writer}.\n\n${extraMarkdown(article)}`;
}

const TITLE = /Benchmark article (\d+): magnet supply holds steady(?: \(edit v(\d+)\))?/g;
const ONE_TITLE = new RegExp(`^${TITLE.source}$`);
const BODY = /Edit v(\d+) of article (\d+), saved by load writer \d+\./;
const H1 = /<h1\b[^>]*>([^<]*)<\/h1>/;

/** What one response shows of the extra articles. */
export type Shown = {
	/** The requested article's version by its title (h1 or JSON title); null when none was found. */
	title: number | null;
	/** Its version by its body's marker (1 without one); null when its body was not found. */
	body: number | null;
	/** The oldest version each other article is shown at (Related Articles), by article number. */
	others: Map<number, number>;
};

function titleVersion(title: string, article: number): number | null {
	const match = ONE_TITLE.exec(title);
	if (!match || Number(match[1]) !== article) return null;
	return match[2] ? Number(match[2]) : 1;
}

function bodyVersion(html: string, article: number): number {
	const match = BODY.exec(html);
	if (!match) return 1;
	// A marker naming another article would be another article's body: as good as none.
	return Number(match[2]) === article ? Number(match[1]) : 0;
}

/**
 * Reads an article page (`/articles/:slug`). Its title is printed in the h1 and again in the head
 * (title, OpenGraph, JSON-LD): the page is dated by the oldest of them.
 */
export function readHtml(html: string, article: number): Shown {
	const h1 = H1.exec(html);
	const h1Version = h1?.[1] !== undefined ? titleVersion(h1[1], article) : null;
	let title = h1Version;
	const others = new Map<number, number>();
	for (const match of html.matchAll(TITLE)) {
		const n = Number(match[1]);
		const version = match[2] ? Number(match[2]) : 1;
		if (n !== article) others.set(n, Math.min(version, others.get(n) ?? version));
		else if (title !== null) title = Math.min(title, version);
	}
	return { title, body: h1 ? bodyVersion(html, article) : null, others };
}

type ArticleJson = { title?: unknown; bodyHtml?: unknown; related?: { title?: unknown }[] };

/** Reads an article's JSON (`/api/articles/:slug`). */
export function readJson(text: string, article: number): Shown {
	let json: ArticleJson;
	try {
		json = JSON.parse(text) as ArticleJson;
	} catch {
		return { title: null, body: null, others: new Map() };
	}
	const others = new Map<number, number>();
	for (const entry of Array.isArray(json.related) ? json.related : []) {
		const match = typeof entry?.title === "string" ? ONE_TITLE.exec(entry.title) : null;
		if (!match || Number(match[1]) === article) continue;
		const version = match[2] ? Number(match[2]) : 1;
		others.set(Number(match[1]), Math.min(version, others.get(Number(match[1])) ?? version));
	}
	return {
		title: typeof json.title === "string" ? titleVersion(json.title, article) : null,
		body: typeof json.bodyHtml === "string" ? bodyVersion(json.bodyHtml, article) : null,
		others,
	};
}
