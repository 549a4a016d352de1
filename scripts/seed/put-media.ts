// Puts the sample pictures into the local R2 bucket (binding MEDIA), in one process:
//   node scripts/seed/put-media.ts <persist-to dir> <folder of <key> files>
// Run by apply.ts. Through wrangler's getPlatformProxy, which opens the same Miniflare storage as
// `wrangler dev` and `wrangler r2 object put --local --persist-to`: one workerd start for every file
// (about 3 s here) instead of one `wrangler r2 object put` each (about 2.4 s each). A key that is
// already there is left alone (a HEAD, not an upload), so reruns on every `npm run dev` stay cheap.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { getPlatformProxy } from "wrangler";
import { root } from "../lib/wrangler.ts";

const [persistTo, folder] = process.argv.slice(2);
if (!persistTo || !folder) {
	console.error("usage: node scripts/seed/put-media.ts <persist-to dir> <folder>");
	process.exit(2);
}
// wrangler's --persist-to DIR keeps its state in DIR/v3; getPlatformProxy takes that folder itself.
const proxy = await getPlatformProxy<{ MEDIA: R2Bucket }>({
	configPath: join(root, "wrangler.toml"),
	persist: { path: join(persistTo, "v3") },
});
try {
	let put = 0;
	for (const key of readdirSync(folder).sort()) {
		if (await proxy.env.MEDIA.head(key)) continue;
		const body = readFileSync(join(folder, key));
		await proxy.env.MEDIA.put(key, body, { httpMetadata: { contentType: "image/png" } });
		put++;
	}
	console.log(`put-media: ${put} object(s) put, the rest already there`);
} finally {
	await proxy.dispose();
}
