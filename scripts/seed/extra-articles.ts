// Extra published articles on top of the sample content, for the benchmark and the load test: enough
// of them that lists paginate and a load spreads over hundreds of distinct pages, each about the
// size and shape of a real one. Numbered from 1 (the newest, an hour old) to `count`, an hour apart.
import { executeSql } from "./apply.ts";
import { articleInsert } from "./build.ts";
import { seedRegions, seedTopics } from "./content.ts";

/** How many the benchmark adds (the load test's default too). */
export const EXTRA_ARTICLES = 300;

const HOUR_MS = 3_600_000;

const SLUG_PREFIX = "bench-article-";

export function extraSlug(i: number): string {
	return `${SLUG_PREFIX}${String(i).padStart(3, "0")}`;
}

/** The number of an extra article from its slug; null for any other slug. */
export function extraNumber(slug: string): number | null {
	const digits = slug.startsWith(SLUG_PREFIX) ? slug.slice(SLUG_PREFIX.length) : "";
	return /^\d+$/.test(digits) ? Number(digits) : null;
}

export function extraTitle(i: number): string {
	return `Benchmark article ${i}: magnet supply holds steady`;
}

// About the size and shape of a sample article (~1 KB of Markdown with a heading and a list), so
// the rendered page weighs what a real one does.
export function extraMarkdown(i: number): string {
	const paragraph = `Article ${i} of the benchmark set. Suppliers reported steady orders for sintered magnets this quarter, while buyers in motor and electronics supply chains said lead times were unchanged. Several distributors noted that inventories held at the start of the year were still being drawn down.`;
	return [
		paragraph,
		"Analysts expect prices to track oxide costs closely over the coming months, with separation capacity the main constraint on any sustained increase in supply.",
		"## What to watch",
		"- Quarterly export figures and licence approvals.\n- Spot prices for oxide and metal.\n- New separation capacity coming online.",
		paragraph,
	].join("\n\n");
}

/** Adds `count` published articles to a local state folder, round-robin over the sample content's taxa. */
export function seedExtraArticles(stateDir: string, count: number = EXTRA_ARTICLES): void {
	const now = Date.now();
	const statements = Array.from({ length: count }, (_, n) => {
		const i = n + 1;
		const published = now - i * HOUR_MS;
		return articleInsert({
			slug: extraSlug(i),
			title: extraTitle(i),
			summary: `Article ${i} of the benchmark set: suppliers report steady orders and unchanged lead times.`,
			bodyMarkdown: extraMarkdown(i),
			region: seedRegions[i % seedRegions.length]?.slug ?? "global",
			topic: seedTopics[i % seedTopics.length]?.slug ?? "policy",
			status: "published",
			publishedAt: published,
			writtenAt: published,
		});
	});
	executeSql({ persistTo: stateDir }, statements);
}
