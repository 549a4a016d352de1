// `npm run search:rebuild [-- --remote | --persist-to DIR]`: writes articles.body_text from each
// article's Markdown where it differs and mends the articles_fts index where it has drifted from
// the articles, then checks that the index holds one row per article. Safe to run while the site
// serves, and to run again: a second run changes nothing. See scripts/search/rebuild.ts.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { D1Location } from "./lib/wrangler.ts";
import { NotReady, rebuildSearch } from "./search/rebuild.ts";

const USAGE = `Usage: npm run search:rebuild [-- options]

Writes articles.body_text (the plain text search indexes) where it is not the text of the
article's Markdown, and rebuilds the rows of the search index (articles_fts) that are missing,
left over from deleted articles or out of date. Run it after deploying migrations 0008 and 0009
to a database that already has articles, and after importing data.

Options:
  --remote            Act on the remote D1 (the deployed site) instead of the local one.
  --persist-to DIR    The local D1's state folder (wrangler's --persist-to), when not the default.
  --help              Show this help.`;

class UsageError extends Error {}

function parse(argv: string[]): D1Location | null {
	let values: { remote?: boolean; "persist-to"?: string; help?: boolean };
	try {
		({ values } = parseArgs({
			args: argv,
			options: {
				remote: { type: "boolean" },
				"persist-to": { type: "string" },
				help: { type: "boolean", short: "h" },
			},
		}));
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
	if (values.help) return null;
	if (values.remote && values["persist-to"]) {
		throw new UsageError("--persist-to is for the local D1; it cannot go with --remote.");
	}
	// wrangler runs from the project root, so a relative folder is made absolute from here first.
	return values.remote ? { remote: true } : { persistTo: values["persist-to"] && resolve(values["persist-to"]) };
}

function plural(n: number, one: string, many = `${one}s`): string {
	return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

try {
	const location = parse(process.argv.slice(2));
	if (location === null) {
		console.log(USAGE);
	} else {
		const log = (line: string) => console.log(`search:rebuild: ${line}`);
		const result = rebuildSearch(location, log);
		const changed = result.bodyTextWritten > 0 || result.indexRowsMended > 0;
		const counts = `articles_fts holds ${plural(result.indexed, "row")} for ${plural(result.articles, "article")}`;
		if (!changed) {
			log(
				`nothing to change: every body_text and index row already matched; ${counts} (${(result.ms / 1000).toFixed(1)} s).`,
			);
		} else {
			log(
				`done: body_text written for ${plural(result.bodyTextWritten, "article")}, ` +
					`${plural(result.indexRowsMended, "index row")} mended in ${plural(result.indexRangesRebuilt, "range")}; ` +
					`${counts} (${(result.ms / 1000).toFixed(1)} s).`,
			);
		}
		if (result.bodyTextSkipped > 0) {
			log(
				`${plural(result.bodyTextSkipped, "article was", "articles were")} saved or deleted by an editor during the run; ` +
					"a save writes body_text itself.",
			);
		}
	}
} catch (error) {
	if (error instanceof UsageError) {
		console.error(`search:rebuild: ${error.message}\n\n${USAGE}`);
		process.exitCode = 2;
	} else {
		const hint =
			error instanceof NotReady
				? ""
				: "\nEvery batch that finished is stored whole (each is one transaction); run search:rebuild again to finish.";
		console.error(`search:rebuild: failed: ${(error as Error).message}${hint}`);
		process.exitCode = 1;
	}
}
