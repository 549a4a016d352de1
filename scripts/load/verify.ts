// After the load: every article a writer saved must hold exactly its last acknowledged save (text
// and version), keep every acknowledged version in its history, and show that text to an anonymous
// reader, page and JSON alike.
import type { Ack, Ledger } from "./ledger.ts";
import { readHtml, readJson } from "./markers.ts";
import type { Editable } from "./writers.ts";

type Revision = { version: number; title: string; bodyMarkdown: string };
type AdminArticle = { version: number; title: string; bodyMarkdown: string };

export type Verification = { articles: number; acknowledged: number; problems: string[] };

function jsonTitle(text: string): unknown {
	try {
		return (JSON.parse(text) as { title?: unknown }).title;
	} catch {
		return undefined;
	}
}

export async function verifyWrites(
	origin: string,
	token: string,
	ledger: Ledger,
	editable: Map<number, Editable>,
): Promise<Verification> {
	const problems: string[] = [];
	const auth = { authorization: `Bearer ${token}` };
	const getJson = async <T>(path: string, headers: Record<string, string> = auth): Promise<T | null> => {
		const res = await fetch(`${origin}${path}`, { headers });
		if (res.status !== 200) {
			problems.push(`GET ${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
			return null;
		}
		return (await res.json()) as T;
	};
	let acknowledged = 0;

	for (const article of ledger.articles()) {
		const target = editable.get(article);
		const acks = ledger.acksOf(article);
		const last = ledger.last(article) as Ack;
		acknowledged += acks.length;
		if (!target) {
			problems.push(`article ${article}: saved, but not one of the editable articles`);
			continue;
		}
		const label = `article ${article} (id ${target.id}, ${target.slug})`;

		const stored = await getJson<AdminArticle>(`/api/admin/articles/${target.id}`);
		if (stored) {
			if (stored.version !== last.version) {
				problems.push(`${label}: stored at v${stored.version}, the last acknowledged save was v${last.version}`);
			}
			if (stored.title !== last.title) problems.push(`${label}: stored title "${stored.title}" ≠ "${last.title}"`);
			if (stored.bodyMarkdown !== last.bodyMarkdown) {
				problems.push(`${label}: stored body is not the last acknowledged save's (v${last.version})`);
			}
		}

		const history = await getJson<{ revisions: Revision[] }>(`/api/admin/articles/${target.id}/revisions`);
		if (history) {
			const byVersion = new Map(history.revisions.map((r) => [r.version, r]));
			for (const ack of acks) {
				const revision = byVersion.get(ack.version);
				if (!revision) problems.push(`${label}: acknowledged v${ack.version} is missing from its revisions`);
				else if (revision.title !== ack.title || revision.bodyMarkdown !== ack.bodyMarkdown) {
					problems.push(`${label}: revision v${ack.version} does not hold the text that save acknowledged`);
				}
			}
		}

		// Anonymous, as a reader: whatever the edge cache answers must be the final text.
		const page = await fetch(`${origin}/articles/${target.slug}`);
		const html = await page.text();
		const pageShows = readHtml(html, article);
		if (page.status !== 200 || pageShows.title !== last.version || pageShows.body !== last.version) {
			problems.push(
				`${label}: the public page (${page.status}, x-cache ${page.headers.get("x-cache")}) shows v${pageShows.title}, expected v${last.version}`,
			);
		}
		const api = await fetch(`${origin}/api/articles/${target.slug}`);
		const text = await api.text();
		const apiShows = readJson(text, article);
		const apiTitle = api.status === 200 ? jsonTitle(text) : undefined;
		if (api.status !== 200 || apiTitle !== last.title || apiShows.body !== last.version) {
			problems.push(
				`${label}: the public JSON (${api.status}, x-cache ${api.headers.get("x-cache")}) shows "${String(apiTitle)}", expected "${last.title}"`,
			);
		}
	}
	return { articles: ledger.articles().length, acknowledged, problems };
}

/**
 * Every extra article's page and JSON, read anonymously once the writers have stopped: each must
 * show the last acknowledged save of itself and of every article in its Related Articles. Catches
 * an old copy left in the cache that no reader happened to ask for during the run.
 */
export async function sweepPages(
	origin: string,
	ledger: Ledger,
	articles: number,
	slugOf: (article: number) => string,
): Promise<{ checked: number; problems: string[] }> {
	const problems: string[] = [];
	const expected = (n: number) => ledger.last(n)?.version ?? 1;
	let checked = 0;
	const queue = Array.from({ length: articles }, (_, i) => i + 1);
	// A few at a time: quick, without becoming a second load test.
	const worker = async () => {
		for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
			for (const path of [`/articles/${slugOf(n)}`, `/api/articles/${slugOf(n)}`]) {
				const res = await fetch(`${origin}${path}`);
				const text = await res.text();
				checked += 1;
				const shows = path.startsWith("/api/") ? readJson(text, n) : readHtml(text, n);
				const where = `GET ${path} (${res.status}, x-cache ${res.headers.get("x-cache")})`;
				if (res.status !== 200 || shows.title !== expected(n) || shows.body !== expected(n)) {
					problems.push(`${where}: shows v${shows.title}, expected v${expected(n)}`);
				}
				for (const [other, version] of shows.others) {
					if (version !== expected(other)) {
						problems.push(`${where}: lists article ${other} at v${version}, expected v${expected(other)}`);
					}
				}
			}
		}
	};
	await Promise.all(Array.from({ length: 4 }, worker));
	return { checked, problems };
}
