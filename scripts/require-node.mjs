// Runs first in every npm script that needs a recent Node (see package.json): on an older one it
// stops with one line that says what to do, where the script itself would die deep in Node's
// loader (Node 20 cannot run the .ts scripts; wrangler and Vitest refuse it with a page of text).
// Plain JavaScript, no dependencies: it has to run on the old Node it turns away, before
// `npm install` ever worked. The minimum is package.json's "engines", which npm enforces on
// install too (.npmrc: engine-strict), so the two cannot drift apart.
import { readFileSync } from "node:fs";

/** [major, minor, patch] of "22.23.5"; null for anything else. */
function parseVersion(text) {
	const match = /^(\d+)\.(\d+)\.(\d+)/.exec(String(text).trim());
	return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

function atLeast(have, need) {
	for (let i = 0; i < 3; i += 1) {
		if (have[i] !== need[i]) return have[i] > need[i];
	}
	return true;
}

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const range = String(pkg.engines?.node ?? "").trim();
const minimum = /^>=\s*(\d+\.\d+\.\d+)$/.exec(range)?.[1];
if (!minimum) {
	console.error(
		`scripts/require-node.mjs reads "engines.node" in package.json as ">=X.Y.Z", not ${JSON.stringify(range)}`,
	);
	process.exit(1);
}
const current = process.versions.node;
const have = parseVersion(current);
if (!have || !atLeast(have, parseVersion(minimum))) {
	console.error(
		`Samarium needs Node.js ${minimum} or newer (this is ${current}): run \`source scripts/bootstrap-node.sh\`, then this command again.`,
	);
	process.exit(1);
}
