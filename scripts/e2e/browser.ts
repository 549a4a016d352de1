// Debian's Chromium driven by playwright-core, and browser contexts that record, from their first
// page on, everything that would mean script ran or the page broke: dialogs, console errors
// (Chromium reports Content-Security-Policy violations there) and uncaught page errors.
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { CHROMIUM_FLAGS, chromiumPath } from "../lib/chromium.ts";

export async function launchBrowser(): Promise<Browser> {
	return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, timeout: 60_000 });
}

export type Width = { name: "phone" | "desktop"; options: BrowserContextOptions };

export const PHONE: Width = {
	name: "phone",
	options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};
export const DESKTOP: Width = { name: "desktop", options: { viewport: { width: 1280, height: 800 } } };

/** `url` is the page's address; `source`, where known, what the message is about (a failed resource's URL). */
export type Problem = { kind: "dialog" | "console error" | "page error"; text: string; url: string; source?: string };

export type WatchedContext = {
	context: BrowserContext;
	width: Width;
	newPage: () => Promise<Page>;
	/** What went wrong since the last call, and forgets it. */
	takeProblems: () => Problem[];
};

/** A context whose every page (opened by the test or by the site) is watched from its start. */
export async function watchedContext(browser: Browser, width: Width, baseURL: string): Promise<WatchedContext> {
	const context = await browser.newContext({ ...width.options, baseURL });
	// Bounded waits: a missing element fails the test in seconds, not at node:test's timeout.
	context.setDefaultTimeout(15_000);
	context.setDefaultNavigationTimeout(30_000);
	let problems: Problem[] = [];
	// Context-level events cover pages as soon as they exist, before their first navigation.
	context.on("dialog", (dialog) => {
		problems.push({ kind: "dialog", text: `${dialog.type()}: ${dialog.message()}`, url: dialog.page()?.url() ?? "" });
		// An unanswered dialog would block the page; the test fails on the record above instead.
		dialog.dismiss().catch(() => {});
	});
	context.on("console", (message) => {
		if (message.type() !== "error") return;
		const source = message.location().url;
		problems.push({ kind: "console error", text: message.text(), url: message.page()?.url() ?? "", source });
	});
	context.on("weberror", (error) => {
		problems.push({ kind: "page error", text: String(error.error()), url: error.page()?.url() ?? "" });
	});
	return {
		context,
		width,
		newPage: () => context.newPage(),
		takeProblems: () => {
			const taken = problems;
			problems = [];
			return taken;
		},
	};
}
