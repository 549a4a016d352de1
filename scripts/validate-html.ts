// Validates the rendered HTML of every kind of reader page with html-validate (its "standard"
// preset), against `wrangler dev` with the sample content. Exit 1 on any error.
//   node scripts/validate-html.ts
import { HtmlValidate } from "html-validate";
import { startDevServer } from "./lib/dev-server.ts";

const server = await startDevServer();
let failures = 0;
try {
	const api = (await (await fetch(`${server.origin}/api/articles?limit=50`)).json()) as {
		articles: { slug: string }[];
		nextCursor: string | null;
	};
	const first = await (await fetch(`${server.origin}/api/articles?limit=1`)).json();
	const cursor = (first as { nextCursor: string }).nextCursor;
	const paths = [
		"/",
		`/?cursor=${cursor}`,
		"/about",
		"/services",
		"/topics/policy",
		"/regions/china",
		"/no-such-page",
		"/articles/no-such-article",
		"/?cursor=not-a-cursor",
		...api.articles.map((a) => `/articles/${a.slug}`),
	];
	const validator = new HtmlValidate({ extends: ["html-validate:standard"] });
	for (const path of paths) {
		const res = await fetch(`${server.origin}${path}`);
		const html = await res.text();
		const report = await validator.validateString(html, path);
		if (report.valid) {
			console.log(`ok    ${res.status} ${path}`);
			continue;
		}
		failures += 1;
		console.log(`FAIL  ${res.status} ${path}`);
		for (const result of report.results) {
			for (const m of result.messages) console.log(`      ${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
		}
	}
	console.log(`${paths.length - failures} pages valid, ${failures} invalid`);
} finally {
	await server.stop();
}
process.exit(failures === 0 ? 0 : 1);
