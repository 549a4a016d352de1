// `npm run test:cli` (with the editor's): the Node version check that npm scripts start with,
// run as a process the way npm runs it. An old Node is faked by preloading a module that makes
// this Node report another version (`process.versions.node` is what the check reads).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pathToFileURL } from "node:url";

const root = join(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
	engines: { node: string };
	scripts: Record<string, string>;
};
const minimum = pkg.engines.node.replace(/^>=\s*/, "");
const CHECK = "node scripts/require-node.mjs && ";
// These run on any Node that can run npm (Biome and drizzle-kit), so they are not held back.
const ANY_NODE = ["lint", "format", "db:generate"];

const dir = mkdtempSync(join(tmpdir(), "require-node-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const fake = join(dir, "fake-version.mjs");
writeFileSync(
	fake,
	'Object.defineProperty(process.versions, "node", { value: process.env.FAKE_NODE_VERSION, configurable: true });\n',
);
const preload = `--import=${pathToFileURL(fake).href}`;

function run(command: string, args: string[], version?: string) {
	const env = { ...process.env, NO_COLOR: "1" };
	if (version !== undefined) Object.assign(env, { FAKE_NODE_VERSION: version, NODE_OPTIONS: preload });
	const result = spawnSync(command, args, { cwd: root, env, encoding: "utf8", timeout: 60_000 });
	return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const check = (version?: string) => run(process.execPath, ["scripts/require-node.mjs"], version);

const expectedLine = (version: string) =>
	`Samarium needs Node.js ${minimum} or newer (this is ${version}): run \`source scripts/bootstrap-node.sh\`, then this command again.\n`;

describe("scripts/require-node.mjs", () => {
	it("says nothing and lets the script go on under this Node", () => {
		assert.deepEqual(check(), { code: 0, stdout: "", stderr: "" });
	});

	it("stops an old Node with one line that names the minimum and the bootstrap script", () => {
		const result = check("20.20.2");
		assert.equal(result.code, 1);
		assert.equal(result.stdout, "");
		assert.equal(result.stderr, expectedLine("20.20.2"));
	});

	const [major, minor, patch] = minimum.split(".").map(Number) as [number, number, number];
	const justBelow = patch > 0 ? `${major}.${minor}.${patch - 1}` : `${major}.${minor - 1}.99`;
	for (const [version, ok] of [
		[minimum, true],
		[justBelow, false],
		[`${major}.${minor + 88}.0`, true],
		[`${major + 1}.0.0`, true],
		["100.0.0", true],
		["9.99.99", false],
		["18.20.8", false],
	] as const) {
		it(`${ok ? "accepts" : "refuses"} Node ${version} (engines: ${pkg.engines.node})`, () => {
			const result = check(version);
			assert.equal(result.code, ok ? 0 : 1, result.stderr);
			assert.equal(result.stderr, ok ? "" : expectedLine(version));
		});
	}

	it("runs first in every npm script that needs a recent Node", () => {
		for (const [name, command] of Object.entries(pkg.scripts)) {
			if (ANY_NODE.includes(name)) assert.ok(!command.includes("require-node"), name);
			else assert.ok(command.startsWith(CHECK), `npm run ${name}: ${command}`);
		}
	});

	it("stops `npm run bench` on an old Node before the benchmark starts", () => {
		const result = run("npm", ["run", "--silent", "bench"], "20.20.2");
		assert.notEqual(result.code, 0);
		assert.equal(result.stdout, "");
		assert.equal(result.stderr, expectedLine("20.20.2"));
	});
});
