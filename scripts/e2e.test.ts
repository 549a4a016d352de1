// End to end in a real browser: one `wrangler dev` (fresh local state, sample content, an admin
// made with the editor CLI) driven through Debian's Chromium with playwright-core. Readers click
// their way through the site at phone and desktop widths; an editor writes, publishes, retitles,
// moves, trashes and restores an article, and a separate anonymous browser checks after each
// change that readers see it on their next load (a signed-in browser bypasses the edge cache, so
// only an anonymous one proves the purge); two tabs collide on one article; hostile text never
// runs as script anywhere. Screenshots of the main pages go to test-results/screenshots/.
//   npm run test:e2e        (CHROME_PATH=/path/to/chromium to use another build)
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page, Response } from "playwright-core";
import { DESKTOP, launchBrowser, PHONE, type WatchedContext, watchedContext } from "./e2e/browser.ts";
import {
	assertClean,
	type Expected,
	expectPage,
	flash,
	goto,
	h1,
	horizontalOverflow,
	injectedMarkup,
	linkTexts,
	navigation,
	pathOf,
	press,
	SCREENSHOT_DIR,
	searchFromHeader,
	signIn,
	snap,
} from "./e2e/pages.ts";
import { type E2EServer, startE2EServer } from "./e2e/server.ts";
import { drawPicture, encodePng, mediaId } from "./seed/images.ts";

/** Each `it` is one step; a stuck step fails on its own instead of hanging the run. */
const STEP = { timeout: 90_000 };
/** Tells this run's articles apart in lists (the database is fresh, but a screenshot is not). */
const RUN = randomBytes(3).toString("hex");

let env: E2EServer | undefined;
let browser: Browser | undefined;

function running(): { env: E2EServer; browser: Browser } {
	assert.ok(env && browser, "the server and the browser did not start (see the first failure)");
	return { env, browser };
}

async function stopAll(): Promise<void> {
	const [b, e] = [browser, env];
	browser = undefined;
	env = undefined;
	await b?.close().catch((error: unknown) => console.error("closing Chromium failed:", error));
	await e?.server.stop();
}

// Interrupted (Ctrl-C, a CI timeout): wrangler runs in its own process group, so stop it here.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
	process.once(signal, () => {
		void stopAll().finally(() => process.exit(130));
	});
}

const xCache = (res: Response) => res.headers()["x-cache"];

/** The article page's parts a reader reads. */
const relatedList = (page: Page) => page.getByRole("region", { name: "Related Articles" });
const homeCards = (page: Page) => page.locator("main .cards");
/** A search page's result list. */
const results = (page: Page) => page.locator("main ol.cards");

/**
 * The header's search form fills the width of the column (on its own row, under the brand and the
 * nav), as wide as the search page's own box; the page's Topic and Region filters sit side by side.
 */
async function assertSearchLayout(page: Page): Promise<void> {
	const header = await page.getByRole("search").locator("form").boundingBox();
	const own = await page.getByRole("main").getByRole("searchbox", { name: "Words to find" }).boundingBox();
	assert.ok(header && own, "both search boxes are shown");
	assert.ok(
		Math.abs(header.x - own.x) < 1 && Math.abs(header.width - own.width) < 1,
		`the header's search form spans ${header.x}+${header.width}, the column ${own.x}+${own.width}`,
	);
	const [topic, region] = [await page.getByLabel("Topic").boundingBox(), await page.getByLabel("Region").boundingBox()];
	assert.ok(topic && region && topic.y === region.y && topic.x < region.x, "Topic and Region sit side by side");
}

describe("Samarium in Chromium", () => {
	before(
		async () => {
			mkdirSync(SCREENSHOT_DIR, { recursive: true });
			// Only this suite's own files: a failed run must not leave an older screenshot looking current.
			for (const file of readdirSync(SCREENSHOT_DIR)) {
				if (/^(phone|desktop)-[a-z-]+\.png$/.test(file)) rmSync(join(SCREENSHOT_DIR, file));
			}
			env = await startE2EServer();
			browser = await launchBrowser();
		},
		{ timeout: 180_000 },
	);

	after(async () => {
		await stopAll();
		const files = readdirSync(SCREENSHOT_DIR).filter((file) => file.endsWith(".png"));
		console.log(`screenshots (${files.length}) in ${SCREENSHOT_DIR}:\n  ${files.sort().join("\n  ")}`);
	});

	for (const width of [PHONE, DESKTOP]) {
		describe(`a reader at ${width.name} width`, () => {
			let reader: WatchedContext;
			let page: Page;
			/** The article the reader came from, to find it again on its topic page. */
			let relatedTitle = "";

			before(async () => {
				reader = await watchedContext(running().browser, width, running().env.server.origin);
				page = await reader.newPage();
			});
			after(async () => {
				await reader?.context.close();
			});

			it("opens the home page", STEP, async () => {
				const res = await goto(page, "/");
				await expectPage(reader, page, res, { path: "/", h1: "Latest news", shot: "home" });
				assert.ok((await homeCards(page).getByRole("link").count()) >= 10, "the home page lists the sample articles");
			});

			it("follows the first article on the home page", STEP, async () => {
				const link = homeCards(page).getByRole("link").first();
				const [title, href] = [((await link.textContent()) ?? "").trim(), await link.getAttribute("href")];
				assert.match(href ?? "", /^\/articles\/[a-z0-9-]+$/);
				const res = await press(reader, page, link);
				await expectPage(reader, page, res, { path: href ?? "", h1: title, shot: "article" });
				assert.ok((await relatedList(page).getByRole("link").count()) > 0, "the article has Related Articles");
				assert.equal(await page.locator("article time[datetime]").count(), 1, "the article shows its publication time");
			});

			it("follows one of its Related Articles", STEP, async () => {
				const from = pathOf(page);
				const link = relatedList(page).getByRole("link").first();
				const [title, href] = [((await link.textContent()) ?? "").trim(), await link.getAttribute("href")];
				assert.notEqual(href, from, "an article is not related to itself");
				const res = await press(reader, page, link);
				await expectPage(reader, page, res, { path: href ?? "", h1: title });
				relatedTitle = title;
			});

			it("follows that article's topic link to the topic page", STEP, async () => {
				const link = page.locator("article header .kicker a[href^='/topics/']");
				const [name, href] = [((await link.textContent()) ?? "").trim(), await link.getAttribute("href")];
				const res = await press(reader, page, link);
				await expectPage(reader, page, res, { path: href ?? "", h1: name, shot: "topic" });
				assert.ok(
					(await linkTexts(homeCards(page))).includes(relatedTitle),
					"the topic page lists the article the reader came from",
				);
			});

			it(`reaches About from the ${width.name === "phone" ? "header" : "footer"} links`, STEP, async () => {
				const links =
					width.name === "phone"
						? page.getByRole("navigation", { name: "Site" })
						: page.getByRole("contentinfo").getByRole("list");
				const res = await press(reader, page, links.getByRole("link", { name: "About", exact: true }));
				await expectPage(reader, page, res, { path: "/about", h1: "About Samarium", shot: "about" });
			});
		});
	}

	for (const width of [PHONE, DESKTOP]) {
		describe(`a reader searching at ${width.name} width`, () => {
			let reader: WatchedContext;
			let page: Page;
			/** How many results the unfiltered search had, to compare the filtered one with. */
			let unfiltered = 0;

			before(async () => {
				reader = await watchedContext(running().browser, width, running().env.server.origin);
				page = await reader.newPage();
			});
			after(async () => {
				await reader?.context.close();
			});

			it("types words into the header's search box on the home page and presses Enter", STEP, async () => {
				await goto(page, "/");
				const res = await searchFromHeader(reader, page, "Magnets");
				await expectPage(reader, page, res, {
					path: "/search?q=Magnets",
					h1: "Search results for “magnets”",
					shot: "search",
				});
				unfiltered = await results(page).getByRole("link").count();
				assert.ok(unfiltered >= 2, `the sample content has articles about magnets, not ${unfiltered}`);
				const marked = await results(page).locator("mark").allTextContents();
				assert.ok(marked.length >= unfiltered, "each result's snippet shows a matched word");
				for (const word of marked) assert.match(word, /^magnet/i, "only the matched words are highlighted");
				assert.equal(
					await page.getByRole("main").getByRole("searchbox", { name: "Words to find" }).inputValue(),
					"magnets",
					"the search page's own box holds the query",
				);
				await assertSearchLayout(page);
			});

			it("follows a result to its article", STEP, async () => {
				const link = results(page).getByRole("link").first();
				const [title, href] = [((await link.textContent()) ?? "").trim(), await link.getAttribute("href")];
				assert.match(href ?? "", /^\/articles\/[a-z0-9-]+$/);
				const res = await press(reader, page, link);
				await expectPage(reader, page, res, { path: href ?? "", h1: title });
				assert.match((await page.getByRole("article").textContent()) ?? "", /magnet/i, "the article has the word");
			});

			it("goes back and narrows the search to one topic", STEP, async () => {
				await page.goBack();
				assert.equal(pathOf(page), "/search?q=Magnets");
				await page.getByLabel("Topic").selectOption({ label: "Recycling" });
				const res = await press(reader, page, page.getByRole("main").getByRole("button", { name: "Search" }));
				await expectPage(reader, page, res, {
					path: "/search?q=magnets&topic=recycling&region=",
					h1: "Search results for “magnets”",
				});
				assert.equal(await page.getByLabel("Topic").inputValue(), "recycling", "the filter stays chosen");
				const metas = await results(page).locator(".card-meta").allTextContents();
				assert.ok(
					metas.length > 0 && metas.length < unfiltered,
					`${metas.length} of ${unfiltered} results are in Recycling`,
				);
				for (const meta of metas) assert.match(meta, /Recycling/, "every result is in the topic chosen");
			});

			it("pages on to More results when a search has more than a page", STEP, async () => {
				// Every sample article has "the" in it, and there are more of them than one page holds.
				let res = await searchFromHeader(reader, page, "the");
				await expectPage(reader, page, res, { path: "/search?q=the", h1: "Search results for “the”" });
				const first = await linkTexts(results(page));
				assert.equal(first.length, 20, "a full first page");
				const more = page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: "More results" });
				const href = (await more.getAttribute("href")) ?? "";
				res = await press(reader, page, more);
				await expectPage(reader, page, res, { path: href, h1: "Search results for “the”", shot: "search-more" });
				const second = await linkTexts(results(page));
				assert.ok(second.length > 0, "the second page has results");
				assert.deepEqual(
					second.filter((title) => first.includes(title)),
					[],
					"the second page repeats none of the first",
				);
				assert.equal(await results(page).getAttribute("start"), "21", "its numbering goes on from the first page");
				const back = page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: "First results" });
				assert.equal(await back.count(), 1, "it leads back to the first results");
			});

			it("searches for a word no article has: the page says so", STEP, async () => {
				const box = page.getByRole("main").getByRole("searchbox", { name: "Words to find" });
				await box.fill("");
				await (width.options.hasTouch ? box.tap() : box.click());
				await page.keyboard.type("xylophonic");
				const res = await navigation(page, () => page.keyboard.press("Enter"));
				await expectPage(reader, page, res, {
					path: "/search?q=xylophonic&topic=&region=",
					h1: "Search results for “xylophonic”",
				});
				assert.equal(await results(page).count(), 0, "no result list");
				assert.match(
					((await page.locator("main .empty").textContent()) ?? "").trim(),
					/^No published article contains all of these words\./,
				);
				await snap(page, reader, "search-none");
			});

			it("types search syntax and quotes into the box: a page, not an error", STEP, async () => {
				const typed = '"*" NEAR( -x title:';
				let res = await searchFromHeader(reader, page, typed);
				assert.equal(res.status(), 200);
				assert.equal(new URL(page.url()).searchParams.get("q"), typed, "the query went as typed");
				assert.match(await h1(page), /^Search results for “/);
				assert.equal(
					await page.getByRole("main").getByRole("searchbox", { name: "Words to find" }).inputValue(),
					'"*" near( -x title:',
				);
				assert.deepEqual(await injectedMarkup(page), []);
				assertClean(reader);

				// The box stops at 200 characters; a longer query by address gets the 400 page with its form.
				res = await goto(page, `/search?q=${"magnets ".repeat(30)}`);
				assert.equal(res.status(), 400);
				assert.equal(await h1(page), "Search");
				assert.equal(
					((await page.getByRole("alert").textContent()) ?? "").trim(),
					"Search for at most 200 characters.",
				);
				assert.equal(await page.getByRole("main").getByRole("searchbox", { name: "Words to find" }).count(), 1);
				await snap(page, reader, "search-400");
				assertClean(reader, { status: 400 });
			});
		});
	}

	/** The article the editor works on, as it changes step by step. */
	const story = {
		id: 0,
		slug: "",
		title: `Pilot line turns scrap magnets into new alloy ${RUN}`,
		newTitle: `Pilot line scales up magnet-to-magnet recycling ${RUN}`,
		newSlug: `magnet-to-magnet-recycling-${RUN}`,
		summary: "A pilot line in Europe recovers magnet alloy from scrap drives and feeds it back into production.",
		/** A word that only this article has, for readers to search by. */
		word: `sintermix${RUN}`,
		body: `The pilot line recovers alloy from scrap hard-drive magnets.\n\n## What changed\n\nIt now runs in two shifts (${RUN}) on sintermix${RUN} feedstock.`,
		/** Where the article is edited. */
		editPath: () => `/admin/articles/${story.id}`,
		publicPath: () => `/articles/${story.slug}`,
	};

	describe("an editor at desktop width, checked by an anonymous reader", () => {
		let editor: WatchedContext;
		let reader: WatchedContext;
		let page: Page;
		let readerPage: Page;
		/** A page whose Related Articles list the story. */
		let relatedPath = "";

		before(async () => {
			const { browser, env } = running();
			editor = await watchedContext(browser, DESKTOP, env.server.origin);
			reader = await watchedContext(browser, DESKTOP, env.server.origin);
			page = await editor.newPage();
			readerPage = await reader.newPage();
		});
		after(async () => {
			await editor?.context.close();
			await reader?.context.close();
		});

		/** An anonymous reader's load of `path`, which must answer `status` without browser problems. */
		async function read(path: string, status = 200): Promise<Response> {
			const res = await goto(readerPage, path);
			assert.equal(res.status(), status, `reader: ${path}`);
			assertClean(reader, status === 200 ? {} : { status });
			return res;
		}

		/** Loads `path` until the edge cache answers it (the second load at the latest). */
		async function readCached(path: string): Promise<void> {
			await read(path);
			assert.equal(xCache(await read(path)), "HIT", `reader: ${path} is cached before the change`);
		}

		/** The reader searches for the story's word from the header of the page they are on: the titles found. */
		async function searchStory(): Promise<{ res: Response; titles: string[] }> {
			const res = await searchFromHeader(reader, readerPage, story.word);
			assert.equal(res.status(), 200, `reader: search for ${story.word}`);
			assert.equal(pathOf(readerPage), `/search?q=${story.word}`);
			assertClean(reader);
			return { res, titles: await linkTexts(results(readerPage)) };
		}

		it("refuses a wrong password, then signs the admin in", STEP, async () => {
			const { env } = running();
			await goto(page, "/admin/login");
			await page.getByLabel("Email").fill(env.admin.email);
			await page.getByLabel("Password").fill(`not-${env.admin.password}`);
			const refused = await press(editor, page, page.getByRole("button", { name: "Sign in" }));
			assert.equal(refused.status(), 401);
			assert.equal(await h1(page), "Sign in");
			assert.equal(await page.getByRole("alert").count(), 1, "the form says why");
			assert.equal(await page.getByLabel("Email").inputValue(), env.admin.email, "the email is kept");
			assertClean(editor, { status: 401 });

			await signIn(editor, page, env.admin, "login");
			assert.ok((await page.locator("main table").getByRole("link").count()) > 0, "the list shows the articles");
			await snap(page, editor, "admin-list");
			assertClean(editor);
		});

		it("the reader's home page is cached before anything changes", STEP, async () => {
			await readCached("/");
			assert.ok(!(await linkTexts(homeCards(readerPage))).includes(story.title));
		});

		it("the reader's search for the story's word finds nothing yet, and is cached", STEP, async () => {
			assert.deepEqual((await searchStory()).titles, []);
			assert.match((await readerPage.locator("main .empty").textContent()) ?? "", /No published article contains/);
			const again = await searchStory();
			assert.equal(xCache(again.res), "HIT", "the search page is cached before the change");
		});

		it("writes a new article and previews it", STEP, async () => {
			const nav = page.getByRole("navigation", { name: "Admin" });
			let res = await press(editor, page, nav.getByRole("link", { name: "New article" }));
			assert.equal(res.status(), 200);
			assert.equal(await h1(page), "New article");
			await page.getByLabel("Title").fill(story.title);
			await page.getByLabel("Summary").fill(story.summary);
			await page.getByLabel("Region").selectOption({ label: "Europe" });
			await page.getByLabel("Topic").selectOption({ label: "Energy" });
			await page.getByLabel("Body (Markdown)").fill(story.body);
			res = await press(editor, page, page.getByRole("button", { name: "Preview" }));
			assert.equal(res.status(), 200);
			assert.match(await flash(page), /Nothing has been saved/);
			const preview = page.getByRole("region", { name: "Preview" });
			assert.equal((await preview.locator(".preview-title").textContent())?.trim(), story.title);
			assert.equal(await preview.getByRole("heading", { name: "What changed" }).count(), 1, "Markdown is rendered");
			assert.equal(await page.getByLabel("Title").inputValue(), story.title, "the form keeps the text");
			assert.equal(await page.getByLabel("Body (Markdown)").inputValue(), story.body);
			await snap(page, editor, "preview");
			assertClean(editor);
		});

		it("saves it as a draft, which readers cannot see", STEP, async () => {
			const res = await press(editor, page, page.getByRole("button", { name: "Save draft" }));
			assert.equal(res.status(), 200);
			const id = /^\/admin\/articles\/(\d+)(\?|$)/.exec(pathOf(page))?.[1];
			assert.ok(id, `the editor lands on the article's edit page, not ${pathOf(page)}`);
			story.id = Number(id);
			assert.equal(await h1(page), "Edit article");
			assert.match(await flash(page), /^Draft created \(version 1\)\./);
			story.slug = await page.getByLabel("Slug").inputValue();
			assert.equal(story.slug, `pilot-line-turns-scrap-magnets-into-new-alloy-${RUN}`, "the slug comes from the title");
			await snap(page, editor, "edit");
			assertClean(editor);

			await read(story.publicPath(), 404);
			assert.equal(await h1(readerPage), "Page not found");
			assert.equal(xCache(await read(story.publicPath(), 404)), "HIT", "the 404 is cached (briefly)");
			// The search page for the word is cached from before, so ask the API, which has not been asked yet.
			const api = await goto(readerPage, `/api/search?q=${story.word}`);
			assert.equal(api.status(), 200);
			assert.deepEqual(((await api.json()) as { results: unknown[] }).results, [], "search does not find a draft");
			assertClean(reader);
		});

		it("publishes it: readers find it on the home page and on its own page", STEP, async () => {
			const res = await press(editor, page, page.getByRole("button", { name: "Publish" }));
			assert.equal(res.status(), 200);
			assert.match(await flash(page), /^Published \(version 2\)\./);
			assertClean(editor);

			const home = await read("/");
			assert.equal(xCache(home), "MISS", "the publish purged the cached home page");
			assert.equal((await linkTexts(homeCards(readerPage)))[0], story.title, "the newest article comes first");
			const own = await read(story.publicPath());
			assert.equal(xCache(own), "MISS", "the publish purged the cached 404");
			assert.equal(await h1(readerPage), story.title);
			assert.equal((await readerPage.locator(".standfirst").textContent())?.trim(), story.summary);
		});

		it("finds a page whose Related Articles list it, and caches both", STEP, async () => {
			// Related articles are the newest of the same topic first, so an older Energy article
			// lists this one; the story's own list leads to one.
			const candidates = relatedList(readerPage).getByRole("link");
			relatedPath = (await candidates.first().getAttribute("href")) ?? "";
			assert.match(relatedPath, /^\/articles\//);
			await read(relatedPath);
			assert.ok(
				(await linkTexts(relatedList(readerPage))).includes(story.title),
				`${relatedPath} lists the story in its Related Articles`,
			);
			await readCached(relatedPath);
			await readCached(story.publicPath());
		});

		it("a reader's search for its word finds it, the word highlighted, and leads to it", STEP, async () => {
			const found = await searchStory();
			assert.equal(xCache(found.res), "MISS", "the publish purged the search cached before it");
			assert.deepEqual(found.titles, [story.title]);
			assert.deepEqual(await results(readerPage).locator("mark").allTextContents(), [story.word]);
			const res = await press(reader, readerPage, results(readerPage).getByRole("link", { name: story.title }));
			assert.equal(res.status(), 200);
			assert.equal(pathOf(readerPage), story.publicPath());
			assert.equal(await h1(readerPage), story.title);
			assertClean(reader);
		});

		it("retitles it", STEP, async () => {
			await page.getByLabel("Title").fill(story.newTitle);
			const res = await press(editor, page, page.getByRole("button", { name: "Save (stays published)" }));
			assert.equal(res.status(), 200);
			assert.match(await flash(page), /^Saved \(version 3\)\./);
			assert.equal(await page.getByLabel("Title").inputValue(), story.newTitle);
			assertClean(editor);
		});

		it("readers see the new title on the next load: its page, the related page, the home page", STEP, async () => {
			const own = await read(story.publicPath());
			assert.equal(xCache(own), "MISS", "the article's page was purged");
			assert.equal(await h1(readerPage), story.newTitle);

			const related = await read(relatedPath);
			assert.equal(xCache(related), "MISS", `${relatedPath} was purged`);
			const listed = await linkTexts(relatedList(readerPage));
			assert.ok(listed.includes(story.newTitle), `${relatedPath} lists the new title`);
			assert.ok(!listed.includes(story.title), `${relatedPath} no longer lists the old title`);

			await read("/");
			const home = await linkTexts(homeCards(readerPage));
			assert.ok(home.includes(story.newTitle) && !home.includes(story.title), "the home page has the new title");
		});

		it("changes its slug: the old address redirects (301) to the new one", STEP, async () => {
			const oldPath = story.publicPath();
			await readCached(oldPath);
			await page.getByLabel("Slug").fill(story.newSlug);
			const saved = await press(editor, page, page.getByRole("button", { name: "Save (stays published)" }));
			assert.equal(saved.status(), 200);
			assert.match(await flash(page), /^Saved \(version 4\)\./);
			assertClean(editor);
			story.slug = story.newSlug;

			const res = await read(oldPath);
			assert.equal(pathOf(readerPage), story.publicPath(), "the reader ends up at the new address");
			assert.equal(await h1(readerPage), story.newTitle);
			const hop = res.request().redirectedFrom();
			assert.ok(hop, "the old address answered with a redirect");
			assert.equal(new URL(hop.url()).pathname, oldPath);
			assert.equal((await hop.response())?.status(), 301);
		});

		it("the reader's search finds it under its new title, and is cached", STEP, async () => {
			assert.deepEqual((await searchStory()).titles, [story.newTitle]);
			assert.equal(xCache((await searchStory()).res), "HIT", "the search is cached before the trash");
		});

		it("moves it to the trash: readers get the 404 page", STEP, async () => {
			await readCached(story.publicPath());
			const res = await press(editor, page, page.getByRole("button", { name: "Move to trash" }));
			assert.equal(res.status(), 200);
			assert.match(await flash(page), /^Moved to the trash \(version 5\)\./);
			assert.equal(await page.getByRole("heading", { name: "In the trash" }).count(), 1);
			assertClean(editor);

			await read(story.publicPath(), 404);
			assert.equal(await h1(readerPage), "Page not found");
			await read("/");
			assert.ok(!(await linkTexts(homeCards(readerPage))).includes(story.newTitle), "the home page dropped it");
		});

		it("the reader's next search no longer finds it", STEP, async () => {
			const gone = await searchStory();
			assert.equal(xCache(gone.res), "MISS", "the trash purged the cached search");
			assert.deepEqual(gone.titles, []);
			assert.match((await readerPage.locator("main .empty").textContent()) ?? "", /No published article contains/);
		});

		it("restores it: readers get the article back", STEP, async () => {
			const res = await press(editor, page, page.getByRole("button", { name: "Restore" }));
			assert.equal(res.status(), 200);
			assert.match(await flash(page), /^Restored from the trash \(version 6\)\./);
			assertClean(editor);

			await read(story.publicPath());
			assert.equal(await h1(readerPage), story.newTitle);
			assert.match((await readerPage.locator(".prose").textContent()) ?? "", /runs in two shifts/);
			await read("/");
			assert.equal((await linkTexts(homeCards(readerPage)))[0], story.newTitle, "back at the top of the home page");
			assert.deepEqual((await searchStory()).titles, [story.newTitle], "search finds it again");
		});

		const tabs = { summary: `Tab A's summary: the line now also takes scrap motors (${RUN}).`, body: "" };

		it("two tabs edit it: the second save gets the conflict screen, its text kept", STEP, async () => {
			const [tabA, tabB] = [await editor.newPage(), await editor.newPage()];
			await goto(tabA, story.editPath());
			await goto(tabB, story.editPath());

			await tabA.getByLabel("Summary").fill(tabs.summary);
			const saved = await press(editor, tabA, tabA.getByRole("button", { name: "Save (stays published)" }));
			assert.equal(saved.status(), 200);
			assert.match(await flash(tabA), /^Saved \(version 7\)\./);
			await tabA.close();

			tabs.body = `${story.body}\n\nTab B's paragraph, typed while tab A saved (${RUN}).`;
			await tabB.getByLabel("Body (Markdown)").fill(tabs.body);
			const conflict = await press(editor, tabB, tabB.getByRole("button", { name: "Save (stays published)" }));
			assert.equal(conflict.status(), 409);
			assert.equal(await h1(tabB), "This article changed while you were editing");
			assert.match(await flash(tabB), /^Not saved: someone else saved this article/);
			assert.equal(await tabB.getByLabel("Body (Markdown)").inputValue(), tabs.body, "tab B's body is kept");
			assert.equal(await tabB.getByLabel("Summary").inputValue(), tabs.summary, "tab A's summary is taken in");
			assert.match(
				(await tabB.getByRole("heading", { name: "What the form below holds" }).locator("..").textContent()) ?? "",
				/Taken from version 7.*Summary/s,
			);
			await snap(tabB, editor, "conflict");
			assertClean(editor, { status: 409 });
			page = tabB;
		});

		it("saves again from the conflict screen: readers get both edits", STEP, async () => {
			const res = await press(editor, page, page.getByRole("button", { name: "Save (stays published)" }));
			assert.equal(res.status(), 200);
			assert.match(await flash(page), /^Saved \(version 8\)\./);
			assertClean(editor);

			await read(story.publicPath());
			assert.equal((await readerPage.locator(".standfirst").textContent())?.trim(), tabs.summary);
			assert.match((await readerPage.locator(".prose").textContent()) ?? "", /typed while tab A saved/);
		});
	});

	/** The newsroom's story: a library picture as its lead, two authors, then a public correction. */
	const news = {
		id: 0,
		slug: "",
		mediaId: "",
		title: `Recycler opens a second magnet line ${RUN}`,
		summary: "A magnet recycler adds a second line for motor magnets recovered from scrapped cars.",
		body: `The recycler's second line takes motor magnets from scrapped cars (${RUN}).\n\nIt can handle 500 tonnes a year.`,
		alt: `Bar chart of six blue bars rising from left to right on a pale background (${RUN})`,
		caption: "Illustrative output of the line by quarter.",
		credit: "Illustration: Samarium e2e",
		correction: `An earlier version of this article gave the line's capacity as 500 tonnes a year; it is 300 tonnes (${RUN}).`,
		authors: ["Kenji Arakawa", "Ines Calloway"],
		publicPath: () => `/articles/${news.slug}`,
		editPath: () => `/admin/articles/${news.id}`,
	};

	describe("a newsroom at desktop width: a picture, two authors and a correction, as an anonymous reader sees them", () => {
		let editor: WatchedContext;
		let reader: WatchedContext;
		let page: Page;
		let readerPage: Page;

		before(async () => {
			const { browser, env } = running();
			editor = await watchedContext(browser, DESKTOP, env.server.origin);
			reader = await watchedContext(browser, DESKTOP, env.server.origin);
			page = await editor.newPage();
			readerPage = await reader.newPage();
		});
		after(async () => {
			await editor?.context.close();
			await reader?.context.close();
		});

		async function read(path: string, status = 200): Promise<Response> {
			const res = await goto(readerPage, path);
			assert.equal(res.status(), status, `reader: ${path}`);
			assertClean(reader, status === 200 ? {} : { status });
			return res;
		}

		const figure = () => readerPage.locator("article figure");

		it("uploads a picture to the library with its alt text, caption and credit", STEP, async () => {
			await signIn(editor, page, running().env.admin);
			const nav = page.getByRole("navigation", { name: "Admin" });
			await press(editor, page, nav.getByRole("link", { name: "Media" }));
			assert.equal(pathOf(page), "/admin/media");
			// A picture of this run's own: new bytes, so a new library entry (the same bytes would be the same picture).
			const values = [2, 3, 5, 6, 8, 9].map((v, i) => v + (Number.parseInt(RUN.slice(i % 6, (i % 6) + 1), 16) % 3));
			const png = encodePng(
				drawPicture({ kind: "bars", values, bar: [40, 90, 160], background: [246, 244, 238] }, 800, 450),
			);
			news.mediaId = mediaId(png);
			await page
				.getByLabel("Picture file")
				.setInputFiles({ name: "chart.jpg", mimeType: "application/octet-stream", buffer: Buffer.from(png) });
			await page.getByLabel("Alt text (required)").fill(news.alt);
			await page.getByLabel("Caption (optional)").fill(news.caption);
			await page.getByLabel("Credit (optional)").fill(news.credit);
			const res = await press(editor, page, page.getByRole("button", { name: "Upload" }));
			assert.ok(res.status() === 200 || res.status() === 201, `upload answered ${res.status()}`);
			const listed = page.getByRole("img", { name: news.alt });
			assert.ok((await listed.count()) >= 1, "the library shows the new picture");
			// Named .jpg and sent as octet-stream, stored as what its bytes are.
			assert.ok(
				(await page.locator(`input[value*="/media/${news.mediaId}.png"], textarea`).count()) > 0,
				"the library offers the picture's Markdown, as a PNG",
			);
			await snap(page, editor, "media-library");
			assertClean(editor);
		});

		it("writes an article with two authors and that picture as its lead, and publishes it", STEP, async () => {
			const nav = page.getByRole("navigation", { name: "Admin" });
			await press(editor, page, nav.getByRole("link", { name: "New article" }));
			await page.getByLabel("Title").fill(news.title);
			await page.getByLabel("Summary").fill(news.summary);
			await page.getByLabel("Topic").selectOption({ label: "Recycling" });
			await page.getByLabel("Body (Markdown)").fill(news.body);
			await page.getByLabel("Author 1").selectOption({ label: news.authors[0] as string });
			await page.getByLabel("Author 2").selectOption({ label: news.authors[1] as string });
			await page.getByLabel("Lead image").selectOption(news.mediaId);
			const res = await press(editor, page, page.getByRole("button", { name: "Publish" }));
			assert.equal(res.status(), 200);
			assert.match(await flash(page), /^Published/);
			const id = /^\/admin\/articles\/(\d+)(\?|$)/.exec(pathOf(page))?.[1];
			assert.ok(id, `the editor lands on the article's edit page, not ${pathOf(page)}`);
			news.id = Number(id);
			news.slug = await page.getByLabel("Slug").inputValue();
			assert.equal(await page.getByLabel("Author 1").inputValue(), "kenji-arakawa", "the byline is kept in order");
			assert.equal(await page.getByLabel("Author 2").inputValue(), "ines-calloway");
			assert.equal(await page.getByLabel("Lead image").inputValue(), news.mediaId);
			assertClean(editor);
		});

		it(
			"the reader sees the byline, the lead picture with its caption and credit, and the share image",
			STEP,
			async () => {
				await read(news.publicPath());
				assert.equal(await h1(readerPage), news.title);
				const meta = (await readerPage.locator("article header .meta").textContent()) ?? "";
				assert.match(meta.replace(/\s+/g, " "), new RegExp(`^By ${news.authors[0]} and ${news.authors[1]} `));
				const img = figure().getByRole("img", { name: news.alt });
				assert.equal(await img.getAttribute("width"), "800");
				assert.equal(await img.getAttribute("height"), "450");
				const loaded = await img.evaluate((el) => {
					const image = el as unknown as { complete: boolean; naturalWidth: number };
					return image.complete ? image.naturalWidth : 0;
				});
				assert.equal(loaded, 800, "the picture loaded from the library");
				const caption = ((await figure().locator("figcaption").textContent()) ?? "").replace(/\s+/g, " ");
				assert.ok(caption.includes(news.caption) && caption.includes(news.credit), `figcaption: ${caption}`);
				const og = await readerPage.locator('meta[property="og:image"]').getAttribute("content");
				assert.ok(og?.endsWith(`/media/${news.mediaId}.png`), `og:image ${og}`);
				assert.equal(
					await readerPage.locator('meta[name="twitter:card"]').getAttribute("content"),
					"summary_large_image",
				);
				const file = await readerPage.request.get(`/media/${news.mediaId}.png`);
				assert.equal(file.status(), 200);
				assert.equal(file.headers()["content-type"], "image/png");
				assert.equal(file.headers()["cache-control"], "public, max-age=31536000, immutable");
				await snap(readerPage, reader, "article-lead-image");
				// Cached now, so the correction below must purge it.
				assert.equal(xCache(await read(news.publicPath())), "HIT");
			},
		);

		it("follows the second author's name to their page, which lists the article", STEP, async () => {
			const byline = readerPage.locator("article header .meta");
			const res = await press(reader, readerPage, byline.getByRole("link", { name: news.authors[1] as string }));
			assert.equal(res.status(), 200);
			assert.equal(pathOf(readerPage), "/authors/ines-calloway");
			assert.equal(await h1(readerPage), news.authors[1]);
			assert.equal((await linkTexts(readerPage.locator("main .cards")))[0], news.title, "newest first");
			await snap(readerPage, reader, "author");
			assertClean(reader);
		});

		it(
			"issues a correction: the reader sees it on the article, its Updated time, and first at /corrections",
			STEP,
			async () => {
				await goto(page, news.editPath());
				await page.getByLabel("Body (Markdown)").fill(news.body.replace("500 tonnes", "300 tonnes"));
				await page.getByLabel("Correction note (public, optional)").fill(news.correction);
				const res = await press(editor, page, page.getByRole("button", { name: "Save (stays published)" }));
				assert.equal(res.status(), 200);
				assert.match(await flash(page), /^Saved/);
				assertClean(editor);

				const own = await read(news.publicPath());
				assert.equal(xCache(own), "MISS", "the correction purged the article");
				const box = readerPage.getByRole("complementary", { name: "Corrections" });
				const text = ((await box.textContent()) ?? "").replace(/\s+/g, " ");
				assert.match(text, /Corrected \d{1,2}\/\d{1,2}\/\d{4}, \d{1,2}:\d{2}:\d{2} [AP]M UTC:/);
				assert.ok(text.includes(news.correction), `the note is shown: ${text}`);
				assert.match((await readerPage.locator("article header .meta").textContent()) ?? "", /Updated/);
				assert.match((await readerPage.locator(".prose").textContent()) ?? "", /300 tonnes/);
				await snap(readerPage, reader, "article-corrected");

				await read("/corrections");
				const first = readerPage.locator("main ol li").first();
				assert.equal((await first.getByRole("link").first().textContent())?.trim(), news.title);
				assert.ok(((await first.textContent()) ?? "").includes(news.correction), "newest correction first");
			},
		);
	});

	describe("the admin screens at phone width", () => {
		let editor: WatchedContext;
		let page: Page;

		before(async () => {
			const { browser, env } = running();
			editor = await watchedContext(browser, PHONE, env.server.origin);
			page = await editor.newPage();
		});
		after(async () => {
			await editor?.context.close();
		});

		/** An admin page on the phone: no sideways scrolling, nothing wrong in the browser. */
		async function fits(target: Page, expected: Expected = {}): Promise<void> {
			assert.equal(await horizontalOverflow(target), 0, `${pathOf(target)} scrolls sideways at phone width`);
			assertClean(editor, expected);
		}

		it("signs in and sees the article list", STEP, async () => {
			await signIn(editor, page, running().env.admin, "login");
			await snap(page, editor, "admin-list");
			await fits(page);
		});

		it("opens the story from the list", STEP, async () => {
			assert.ok(story.id, "the editor's story exists");
			const res = await press(editor, page, page.getByRole("link", { name: story.newTitle, exact: true }));
			assert.equal(res.status(), 200);
			assert.equal(pathOf(page), story.editPath());
			assert.equal(await h1(page), "Edit article");
			await snap(page, editor, "edit");
			await fits(page);
		});

		it("previews it", STEP, async () => {
			const res = await press(editor, page, page.getByRole("button", { name: "Preview" }));
			assert.equal(res.status(), 200);
			const preview = page.getByRole("region", { name: "Preview" });
			assert.equal((await preview.locator(".preview-title").textContent())?.trim(), story.newTitle);
			await snap(page, editor, "preview");
			await fits(page);
		});

		it("two tabs on the phone: the later save gets the conflict screen", STEP, async () => {
			const tabB = await editor.newPage();
			await goto(page, story.editPath());
			await goto(tabB, story.editPath());
			const summary = `Saved first, from the phone (${RUN}).`;
			await page.getByLabel("Summary").fill(summary);
			const saved = await press(editor, page, page.getByRole("button", { name: "Save (stays published)" }));
			assert.equal(saved.status(), 200);
			assert.match(await flash(page), /^Saved \(version 9\)\./);

			const body = `${story.body}\n\nTyped on the phone's second tab (${RUN}).`;
			await tabB.getByLabel("Body (Markdown)").fill(body);
			const conflict = await press(editor, tabB, tabB.getByRole("button", { name: "Save (stays published)" }));
			assert.equal(conflict.status(), 409);
			assert.equal(await h1(tabB), "This article changed while you were editing");
			assert.equal(await tabB.getByLabel("Body (Markdown)").inputValue(), body);
			assert.equal(await tabB.getByLabel("Summary").inputValue(), summary);
			await snap(tabB, editor, "conflict");
			await fits(tabB, { status: 409 });
		});
	});

	describe("hostile text never runs as script", () => {
		const hostile = {
			title: `<img src=x onerror=alert(document.domain)> Quota notes ${RUN}`,
			summary: `"><svg onload=alert(1)> A summary that tries to close its attribute.`,
			body: `A first paragraph.\n\n<script>alert("body")</script>\n\nA [link](javascript:alert(1)) that must not be one.`,
		};
		let slug = "";
		let editor: WatchedContext;
		let reader: WatchedContext;
		let page: Page;
		let readerPage: Page;

		before(async () => {
			const { browser, env } = running();
			editor = await watchedContext(browser, DESKTOP, env.server.origin);
			reader = await watchedContext(browser, DESKTOP, env.server.origin);
			page = await editor.newPage();
			readerPage = await reader.newPage();
			await signIn(editor, page, env.admin);
		});
		after(async () => {
			await editor?.context.close();
			await reader?.context.close();
		});

		/** The page shows the hostile text as text: no markup made of it, no script run, nothing logged. */
		async function harmless(watched: WatchedContext, target: Page, expected: Expected = {}): Promise<void> {
			assert.deepEqual(await injectedMarkup(target), [], `${pathOf(target)} has markup made of hostile text`);
			assertClean(watched, expected);
		}

		it("the checks below do catch script that runs (a blank page without the site's CSP)", STEP, async () => {
			const probe = await watchedContext(running().browser, DESKTOP, running().env.server.origin);
			try {
				const blank = await probe.newPage();
				await blank.setContent(`<p>${hostile.title}</p><script>console.error("inline script ran")</script>`);
				await blank.waitForTimeout(200);
				assert.equal((await injectedMarkup(blank)).length, 2, "the img and the script are found");
				const seen = probe.takeProblems().map((p) => `${p.kind}: ${p.text}`);
				assert.ok(
					seen.some((p) => p.startsWith("dialog: alert")),
					`the title's onerror alert is caught: ${seen.join("; ")}`,
				);
				assert.ok(seen.includes("console error: inline script ran"), `a console error is caught: ${seen.join("; ")}`);
			} finally {
				await probe.context.close();
			}
		});

		it("publishes an article with hostile title, summary and body", STEP, async () => {
			await goto(page, "/admin/articles/new");
			await page.getByLabel("Title").fill(hostile.title);
			await page.getByLabel("Summary").fill(hostile.summary);
			await page.getByLabel("Region").selectOption({ label: "Global" });
			await page.getByLabel("Topic").selectOption({ label: "Policy" });
			await page.getByLabel("Body (Markdown)").fill(hostile.body);
			const res = await press(editor, page, page.getByRole("button", { name: "Publish" }));
			assert.equal(res.status(), 200);
			assert.match(await flash(page), /^Published \(version 1\)\./);
			slug = await page.getByLabel("Slug").inputValue();
			assert.match(slug, /^img-src-x-onerror-alert-document-domain-quota-notes-/);
			await harmless(editor, page);
		});

		it("the admin list shows the title as text", STEP, async () => {
			await goto(page, "/admin");
			assert.equal(await page.getByRole("link", { name: hostile.title, exact: true }).count(), 1);
			await harmless(editor, page);
		});

		it("the edit form holds the text exactly as typed", STEP, async () => {
			await press(editor, page, page.getByRole("link", { name: hostile.title, exact: true }));
			assert.equal(await page.getByLabel("Title").inputValue(), hostile.title);
			assert.equal(await page.getByLabel("Summary").inputValue(), hostile.summary);
			assert.equal(await page.getByLabel("Body (Markdown)").inputValue(), hostile.body);
			await harmless(editor, page);
		});

		it("the preview shows it as text", STEP, async () => {
			await press(editor, page, page.getByRole("button", { name: "Preview" }));
			const preview = page.getByRole("region", { name: "Preview" });
			assert.equal((await preview.locator(".preview-title").textContent())?.trim(), hostile.title);
			const text = (await preview.textContent()) ?? "";
			assert.ok(text.includes(hostile.summary), "the summary is shown literally");
			// (The typographer curls the quotes inside; the tags are what matter.)
			assert.match(text, /<script>alert\(.body.\)<\/script>/, "the script tag is shown literally");
			await harmless(editor, page);
		});

		it("the public article shows it as text", STEP, async () => {
			const res = await goto(readerPage, `/articles/${slug}`);
			assert.equal(res.status(), 200);
			assert.equal(await h1(readerPage), hostile.title);
			assert.equal((await readerPage.locator(".standfirst").textContent())?.trim(), hostile.summary);
			const prose = (await readerPage.locator(".prose").textContent()) ?? "";
			assert.match(prose, /<script>alert\(.body.\)<\/script>/, "the body's script tag is text");
			assert.ok(prose.includes("[link](javascript:alert(1))"), "the javascript: link stays text");
			assert.ok((await readerPage.title()).startsWith(hostile.title), "the document title is the literal title");
			await snap(readerPage, reader, "hostile-article");
			await harmless(reader, readerPage);
		});

		it("the public article and the admin screens fit a phone screen, long hostile words and all", STEP, async () => {
			const { browser, env } = running();
			const phone = await watchedContext(browser, PHONE, env.server.origin);
			try {
				const phonePage = await phone.newPage();
				const path = `/articles/${slug}`;
				const res = await goto(phonePage, path);
				await expectPage(phone, phonePage, res, { path, h1: hostile.title, shot: "hostile-article" });
				await harmless(phone, phonePage);

				await signIn(phone, phonePage, env.admin);
				await press(phone, phonePage, phonePage.getByRole("link", { name: hostile.title, exact: true }));
				assert.equal(await h1(phonePage), "Edit article");
				for (const admin of ["/admin", pathOf(phonePage)]) {
					await goto(phonePage, admin);
					assert.equal(await horizontalOverflow(phonePage), 0, `${admin} scrolls sideways at phone width`);
					await harmless(phone, phonePage);
				}
			} finally {
				await phone.context.close();
			}
		});

		it("the home page and the topic page list it as text", STEP, async () => {
			for (const path of ["/", "/topics/policy"]) {
				await goto(readerPage, path);
				assert.ok((await linkTexts(homeCards(readerPage))).includes(hostile.title), `${path} lists it`);
				await harmless(reader, readerPage);
			}
		});

		it("the JSON API returns it as data", STEP, async () => {
			const res = await goto(readerPage, `/api/articles/${slug}`);
			assert.equal(res.status(), 200);
			assert.match(res.headers()["content-type"] ?? "", /^application\/json/);
			const article = (await res.json()) as { title: string; summary: string; bodyHtml: string };
			assert.equal(article.title, hostile.title);
			assert.equal(article.summary, hostile.summary);
			assert.ok(!article.bodyHtml.includes("<script"), "the stored body HTML has no script element");
			assert.ok(!/href="javascript:/i.test(article.bodyHtml), "the stored body HTML has no javascript: link");
			// A JSON response declares no icon, so Chromium asks for /favicon.ico: it must not be a 404.
			await harmless(reader, readerPage);
		});
	});
});
