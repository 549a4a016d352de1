// Debian's Chromium for the browser suite and Lighthouse: test tools cannot download a browser here.
import { existsSync } from "node:fs";

/** Headless, and quiet on the network: without these, Chromium keeps trying hosts this machine cannot reach. */
export const CHROMIUM_FLAGS = [
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--no-first-run",
	"--disable-quic",
];

/** `CHROME_PATH`, or Debian's Chromium; throws a message that says how to get it when it is missing. */
export function chromiumPath(): string {
	const path = process.env.CHROME_PATH ?? "/usr/bin/chromium";
	if (!existsSync(path)) {
		throw new Error(
			`No Chromium at ${path}: install Debian's chromium (apt-get install chromium), or set CHROME_PATH.`,
		);
	}
	return path;
}
