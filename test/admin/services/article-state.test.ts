import { describe, expect, it } from "vitest";
import { articleState, factsOf, isLive, isScheduled } from "../../../src/admin/services/article-state";
import type { AdminArticle } from "../../../src/db/queries/article-writes";
import { NOW } from "./helpers";

// Where an article stands at a given time: one rule for the admin's badges, its JSON and the purge plan.

type Lifecycle = Pick<AdminArticle, "status" | "deletedAt" | "publishedAt">;

const published = (publishedAt: number | null): Lifecycle => ({ status: "published", deletedAt: null, publishedAt });

describe("articleState, isLive and isScheduled", () => {
	it.each<[string, Lifecycle, string, boolean, boolean]>([
		["published a moment ago", published(NOW - 1), "published", true, false],
		["published at exactly now", published(NOW), "published", true, false],
		["published a millisecond from now", published(NOW + 1), "scheduled", false, true],
		["a draft", { status: "draft", deletedAt: null, publishedAt: null }, "draft", false, false],
		// A draft keeps a time it once had: it is still a draft, not scheduled.
		["a draft with a time to come", { status: "draft", deletedAt: null, publishedAt: NOW + 1 }, "draft", false, false],
		["published, in the trash", { ...published(NOW - 1), deletedAt: NOW }, "trash", false, false],
		["scheduled, in the trash", { ...published(NOW + 1), deletedAt: NOW }, "trash", false, false],
		["a draft in the trash", { status: "draft", deletedAt: NOW, publishedAt: null }, "trash", false, false],
		// Refused by the schema's check; should one exist, readers cannot see it.
		["published without a time", published(null), "published", false, false],
	])("%s", (_name, article, state, live, scheduled) => {
		expect(articleState(article, NOW)).toBe(state);
		expect(isLive(article, NOW)).toBe(live);
		expect(isScheduled(article, NOW)).toBe(scheduled);
	});

	it("moves from scheduled to published as the clock passes its time", () => {
		const article = published(NOW);
		expect([NOW - 1, NOW, NOW + 1].map((now) => articleState(article, now))).toEqual([
			"scheduled",
			"published",
			"published",
		]);
	});
});

describe("factsOf", () => {
	const article: AdminArticle = {
		id: 1,
		slug: "prices-rise",
		title: "Prices rise",
		summary: "",
		bodyMarkdown: "",
		bodyHtml: "",
		status: "published",
		publishedAt: NOW,
		updatedAt: NOW,
		createdAt: NOW,
		version: 2,
		deletedAt: null,
		region: { slug: "china", name: "China" },
		topic: null,
		retiredSlugs: ["old"],
		corrections: [],
		authors: [{ slug: "ada", name: "Ada" }],
		leadImage: null,
	};

	it("gives the purge plan the article's addresses, taxa and whether readers see it at that time", () => {
		expect(factsOf(article, NOW)).toEqual({
			slug: "prices-rise",
			topic: null,
			region: "china",
			live: true,
			publishedAt: NOW,
			retiredSlugs: ["old"],
			authors: ["ada"],
		});
		expect(factsOf(article, NOW - 1).live).toBe(false);
		expect(factsOf({ ...article, deletedAt: NOW }, NOW).live).toBe(false);
	});
});
