// markdown-it constructs a linkifier (linkify-it: 11 KB of the Worker's bundle) whatever its
// options, and with `linkify: false` (./markdown.ts) never calls it. So the Worker's build maps
// "linkify-it" to this class instead (wrangler.toml [alias], test/vitest.config.ts likewise).
// Were linkify ever turned on, rendering would fail loudly here rather than silently link nothing.

const OFF = "linkify is off in this build (see src/lib/linkify-off.ts); turn it on by removing the alias";

export class LinkifyIt {
	test(): never {
		throw new Error(OFF);
	}
	pretest(): never {
		throw new Error(OFF);
	}
	match(): never {
		throw new Error(OFF);
	}
	matchAtStart(): never {
		throw new Error(OFF);
	}
}
