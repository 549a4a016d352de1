// `npm run seed:scale -- [--articles N] [--persist-to DIR]`: adds synthetic articles (100,000 by
// default) to the local D1 that `npm run dev` serves, for trying the site at scale. Idempotent;
// stop `npm run dev` first. See scripts/seed/scale.ts.
import { seedScale } from "./seed/scale.ts";

function option(name: string): string | undefined {
	const args = process.argv.slice(2);
	const index = args.indexOf(name);
	if (index < 0) return undefined;
	const value = args[index + 1];
	if (value === undefined || value.startsWith("--")) throw new Error(`${name} needs a value`);
	return value;
}

try {
	const articlesText = option("--articles") ?? "100000";
	const articles = /^\d+$/.test(articlesText) ? Number(articlesText) : Number.NaN;
	const persistTo = option("--persist-to");
	console.log(
		`seed:scale: making sure ${articles.toLocaleString("en-US")} synthetic articles exist in ${persistTo ?? "the local D1 of npm run dev"}`,
	);
	const result = await seedScale({ articles, persistTo, log: (line) => console.log(`seed:scale: ${line}`) });
	console.log(
		`seed:scale: added ${result.added.toLocaleString("en-US")}, ${result.total.toLocaleString("en-US")} synthetic articles in all, in ${(result.ms / 1000).toFixed(1)} s`,
	);
} catch (error) {
	console.error(`seed:scale: ${(error as Error).message}`);
	process.exit(1);
}
