import { drizzle } from "drizzle-orm/d1";
import { createMiddleware } from "hono/factory";
import { type DbTiming, instrumentD1 } from "../db/instrument";
import * as schema from "../db/schema";
import type { AppEnv } from "../types";

/**
 * Puts a Drizzle handle on `c.var.db` (cheap; touches no database) over a D1 binding that times
 * each call, and reports that time as `server-timing: db`.
 */
export function database() {
	return createMiddleware<AppEnv>(async (c, next) => {
		const timing: DbTiming = { ms: 0, calls: 0 };
		c.set("db", drizzle(instrumentD1(c.env.DB, timing), { schema }));
		await next();
		if (timing.calls > 0) {
			c.res.headers.append("server-timing", `db;dur=${timing.ms.toFixed(1)};desc="${timing.calls} D1 calls"`);
		}
	});
}
