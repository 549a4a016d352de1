// The project's own imports, read from the source text: which file of src/ imports which. Used
// by `npm run test:layers` to hold the layering rules of docs/architecture.md.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

export type Import = { from: string; to: string; typeOnly: boolean; line: number };

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm;

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return /\.tsx?$/.test(name) ? [path] : [];
	});
}

function resolveLocal(fromFile: string, specifier: string): string | null {
	const base = resolve(dirname(fromFile), specifier);
	for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
		if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
	}
	return null;
}

/**
 * Every import in the files under `srcDir`: paths relative to `root`, a package's name as
 * written ("hono/factory"). An import whose local file is missing is reported as its specifier.
 */
export function readImports(root: string, srcDir: string): Import[] {
	const imports: Import[] = [];
	for (const file of sourceFiles(srcDir)) {
		const text = readFileSync(file, "utf8");
		for (const match of text.matchAll(IMPORT)) {
			const specifier = match[3] ?? "";
			const local = specifier.startsWith(".") ? resolveLocal(file, specifier) : null;
			imports.push({
				from: relative(root, file),
				to: local ? relative(root, local) : specifier,
				typeOnly: match[2] !== undefined,
				line: text.slice(0, match.index).split("\n").length,
			});
		}
	}
	return imports;
}
