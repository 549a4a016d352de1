// `npm run test:layers`: the layering of docs/architecture.md, held against the code. Imports run
// one way: entry points (app, admin handlers, routes, jobs) -> admin services -> cache plan and
// queries -> lib. Each rule names the files it covers and what they must not import; a failure
// lists every import that breaks it, with its line.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type Import, readImports } from "./lib/imports.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const imports = readImports(root, `${root}src`);

type Rule = {
	name: string;
	/** The importing files the rule covers. */
	files: RegExp;
	/** What they must not import (a path under the repository, or a package's name). */
	never: RegExp;
	/** Type-only imports describe shapes and add no arrow at run time; some rules allow them. */
	typesAllowed?: boolean;
};

const RULES: Rule[] = [
	{
		name: "src/lib is pure: it imports nothing of the app",
		files: /^src\/lib\//,
		never: /^src\/(?!lib\/)/,
	},
	{
		name: "the database layer imports only itself and lib (the app's types build on it, not it on them)",
		files: /^src\/db\//,
		never: /^src\/(admin|cache|jobs|middleware|routes|views)\/|^src\/(app|errors|index|types)\.tsx?$/,
	},
	{
		name: "the cache imports no middleware, routes, admin, jobs or views",
		files: /^src\/cache\//,
		never: /^src\/(admin|jobs|middleware|routes|views)\/|^src\/(app|errors|index)\.tsx?$/,
	},
	{
		name: "jobs import no middleware, routes, admin handlers or views",
		files: /^src\/jobs\//,
		never: /^src\/(middleware|routes|views)\/|^src\/admin\/(api|html|guard|views)\/|^src\/(app|errors|index)\.tsx?$/,
	},
	{
		name: "middleware does not import the app's error pages, routes or the admin",
		files: /^src\/middleware\//,
		never: /^src\/(admin|routes|jobs)\/|^src\/(app|errors|index)\.tsx?$/,
	},
	{
		name: "the admin guard does not import the app's error pages or handlers",
		files: /^src\/admin\/guard\//,
		never: /^src\/admin\/(api|html|services|views)\/|^src\/(routes|jobs)\/|^src\/(app|errors|index)\.tsx?$/,
	},
	{
		name: "admin services take plain arguments: no Hono, no handlers, no views",
		files: /^src\/admin\/services\//,
		never:
			/^hono(\/|$)|^src\/admin\/(api|html|guard|views)\/|^src\/admin\/(index|deps|params)\.ts$|^src\/(routes|middleware|views|jobs)\/|^src\/(app|errors|index)\.tsx?$/,
	},
	{
		name: "admin views render what handlers give them: no handlers, no queries at run time",
		files: /^src\/admin\/views\//,
		never:
			/^src\/admin\/(api|html|guard)\/|^src\/admin\/(index|deps|params)\.ts$|^src\/db\/queries\/|^src\/(routes|middleware|jobs)\//,
		typesAllowed: true,
	},
	{
		name: "public routes and views do not reach into the admin",
		files: /^src\/(routes|views)\//,
		never: /^src\/admin\//,
	},
	{
		name: "the admin's limits and validation sit under its services",
		files: /^src\/admin\/(limits|validation)\.ts$/,
		never: /^src\/admin\/(?!limits\.ts$|validation\.ts$)|^src\/(db|cache|routes|middleware|views|jobs)\//,
	},
	{
		// Admin code reaches it through src/markdown.ts's import() of the built module
		// (docs/operations.md#bundle-size); a static import would put markdown-it back into the
		// module every reader's cold start loads (npm run bundle refuses that build too).
		name: "the Markdown renderer is loaded lazily: no static import of markdown-it or src/lib/markdown.ts",
		files: /^src\/(?!lib\/markdown\.ts$)/,
		never: /^markdown-it(\/|$)|^src\/lib\/markdown\.ts$|^src\/gen\//,
		typesAllowed: true,
	},
	{
		name: "nothing in src imports tests or scripts",
		files: /^src\//,
		never: /^(test|scripts)\//,
	},
];

function breaks(rule: Rule): Import[] {
	return imports.filter((i) => rule.files.test(i.from) && rule.never.test(i.to) && !(rule.typesAllowed && i.typeOnly));
}

describe("layers", () => {
	it("reads the imports of src/ (the rules below have something to hold)", () => {
		assert.ok(imports.length > 200, `only ${imports.length} imports found`);
		assert.ok(imports.some((i) => i.from === "src/app.ts" && i.to === "src/admin/index.ts"));
	});

	for (const rule of RULES) {
		it(rule.name, () => {
			const found = breaks(rule).map((i) => `${i.from}:${i.line} imports ${i.to}`);
			assert.deepEqual(found, []);
		});
	}

	it("every rule covers some file (a renamed folder does not silently empty a rule)", () => {
		for (const rule of RULES) {
			assert.ok(
				imports.some((i) => rule.files.test(i.from)),
				`no file matches the rule "${rule.name}"`,
			);
		}
	});
});
