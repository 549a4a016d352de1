// Reading wrangler's `--json` output: it can print warnings before the JSON.

/** The first JSON value in wrangler's output; null when there is none or it does not parse. */
export function firstJsonValue(stdout: string): unknown {
	const start = stdout.search(/[[{]/);
	if (start < 0) return null;
	try {
		return JSON.parse(stdout.slice(start));
	} catch {
		return null;
	}
}
