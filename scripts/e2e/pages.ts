// What the steps of the suite do to and ask of a page: follow a navigation to its final
// response, read the page as a person would, and keep screenshots of it.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page, Response } from "playwright-core";
import { root } from "../lib/wrangler.ts";
import type { Problem, WatchedContext } from "./browser.ts";
import type { Admin } from "./server.ts";

export const SCREENSHOT_DIR = join(root, "test-results", "screenshots");

/**
 * Runs `action` (a click, a form submit) and waits for the navigation it starts to load: the
 * main frame's final response (after any redirect), which `page.goto` would have returned.
 */
export async function navigation(page: Page, action: () => Promise<unknown>): Promise<Response> {
	const response = page.waitForResponse(
		(res) =>
			res.request().isNavigationRequest() &&
			res.frame() === page.mainFrame() &&
			!(res.status() >= 300 && res.status() < 400),
	);
	const committed = page.waitForEvent("framenavigated", (frame) => frame === page.mainFrame());
	try {
		await action();
	} catch (error) {
		// Nothing will navigate: the waits would only time out later, unobserved.
		response.catch(() => {});
		committed.catch(() => {});
		throw error;
	}
	const [res] = await Promise.all([response, committed]);
	await page.waitForLoadState("load");
	return res;
}

/** Follows a link or presses a button as the width's user would: a tap on the phone. */
export function press(watched: WatchedContext, page: Page, target: Locator): Promise<Response> {
	return navigation(page, () => (watched.width.options.hasTouch ? target.tap() : target.click()));
}

/**
 * Searches as a reader does from any page: into the header's search box, `words` typed on the
 * keyboard, then Enter (the form is plain GET: no script involved).
 */
export async function searchFromHeader(watched: WatchedContext, page: Page, words: string): Promise<Response> {
	const box = page.getByRole("search").getByRole("searchbox", { name: "Search articles" });
	await (watched.width.options.hasTouch ? box.tap() : box.click());
	await page.keyboard.type(words);
	return navigation(page, () => page.keyboard.press("Enter"));
}

export async function goto(page: Page, path: string): Promise<Response> {
	const res = await page.goto(path);
	assert.ok(res, `no response for ${path}`);
	return res;
}

export async function h1(page: Page): Promise<string> {
	return ((await page.locator("h1").first().textContent()) ?? "").trim();
}

/** The path and query of the page's address. */
export function pathOf(page: Page): string {
	const url = new URL(page.url());
	return `${url.pathname}${url.search}`;
}

/** Browser messages a step expects, and so accepts: nothing else may be logged. */
export type Expected = {
	/**
	 * A page answered with this error status on purpose (a 404 page, a refused form): Chromium
	 * logs "Failed to load resource" for it.
	 */
	status?: number;
};

/** Fails on anything the context recorded since the last check, but what `expected` names. */
export function assertClean(watched: WatchedContext, expected: Expected = {}): void {
	const failedLoad = (p: Problem, status: number) =>
		p.kind === "console error" &&
		p.text.startsWith(`Failed to load resource: the server responded with a status of ${status} `);
	const isExpected = (p: Problem) =>
		expected.status !== undefined && failedLoad(p, expected.status) && p.source === p.url;
	const problems = watched.takeProblems().filter((p) => !isExpected(p));
	assert.deepEqual(
		problems.map((p) => `${p.kind} on ${p.url}: ${p.text}${p.source && p.source !== p.url ? ` (${p.source})` : ""}`),
		[],
		`the ${watched.width.name} browser reported problems`,
	);
}

/** Pixels the page is wider than the viewport (a phone layout must have none). */
export function horizontalOverflow(page: Page): Promise<number> {
	return page.locator("html").evaluate((root) => root.scrollWidth - root.clientWidth);
}

export async function snap(page: Page, watched: WatchedContext, name: string): Promise<void> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	await page.screenshot({ path: join(SCREENSHOT_DIR, `${watched.width.name}-${name}.png`), fullPage: true });
}

/** The message a save or a refusal leaves at the top of an admin page. */
export async function flash(page: Page): Promise<string> {
	return ((await page.locator(".flash").first().textContent()) ?? "").trim();
}

/**
 * Signs in through the login form, starting where a person would: the admin's front page, which
 * sends a signed-out visitor to the form (kept as screenshot `shot` on the way, if named).
 */
export async function signIn(watched: WatchedContext, page: Page, admin: Admin, shot?: string): Promise<void> {
	const login = await goto(page, "/admin");
	assert.equal(login.status(), 200);
	assert.equal(pathOf(page), "/admin/login?next=%2Fadmin", "a signed-out /admin leads to the login form");
	assert.equal(await h1(page), "Sign in");
	if (shot) await snap(page, watched, shot);
	await page.getByLabel("Email").fill(admin.email);
	await page.getByLabel("Password").fill(admin.password);
	const res = await press(watched, page, page.getByRole("button", { name: "Sign in" }));
	assert.equal(res.status(), 200);
	assert.equal(pathOf(page), "/admin");
	assert.equal(await h1(page), "Articles");
}

/** The links' texts in a list (Related Articles, a page's cards), trimmed. */
export async function linkTexts(list: Locator): Promise<string[]> {
	return (await list.getByRole("link").allTextContents()).map((text) => text.trim());
}

/**
 * What every page of a journey must be: answered 200, at `path`, with the expected h1, without
 * any problem in the browser and, on the phone, without sideways scrolling. `shot` keeps it.
 */
export async function expectPage(
	watched: WatchedContext,
	page: Page,
	res: Response,
	expected: { path: string; h1: string; shot?: string },
): Promise<void> {
	assert.equal(res.status(), 200, `${expected.path}: status`);
	assert.equal(pathOf(page), expected.path);
	assert.equal(await h1(page), expected.h1);
	if (watched.width.name === "phone") {
		assert.equal(await horizontalOverflow(page), 0, `${expected.path} scrolls sideways at phone width`);
	}
	if (expected.shot) await snap(page, watched, expected.shot);
	assertClean(watched);
}

/**
 * Markup that hostile text would have become had it not been escaped: event-handler attributes,
 * the `img src=x` of the title, script elements other than the page's JSON-LD, javascript: links.
 */
export function injectedMarkup(page: Page): Promise<string[]> {
	return page
		.locator(
			"[onerror], [onload], img[src='x'], script:not([type='application/ld+json']), [href*='javascript:' i], [src*='javascript:' i]",
		)
		.evaluateAll((elements) => elements.map((element) => element.outerHTML));
}
