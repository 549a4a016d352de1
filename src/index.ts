import app from "./app";
import { withEdgeCache } from "./cache/edge";
import { publishScheduled } from "./jobs/publish-scheduled";

// The Worker: the app behind the edge cache, and the cron that makes scheduled articles appear.
export default {
	fetch: withEdgeCache(app),
	async scheduled(_controller, env, ctx) {
		const run = await publishScheduled(env, ctx, Date.now());
		if (run.wentLive.length > 0) console.log("scheduled articles went live", run.wentLive, run.purge);
	},
} satisfies ExportedHandler<Env>;
