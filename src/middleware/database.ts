import { createMiddleware } from "hono/factory";
import { createDb } from "../db/client";
import { instrumentD1 } from "../db/instrument";
import type { AppEnv } from "../types";

/**
 * Puts a Drizzle handle on `c.var.db` (cheap; touches no database) over a D1 binding that times
 * each call, and reports that time as `server-timing: db`.
 */
export function database() {
	return createMiddleware<AppEnv>(async (c, next) => {
		let ms = 0;
		let calls = 0;
		const d1 = instrumentD1(c.env.DB, (call) => {
			ms += call.ms;
			calls += 1;
		});
		c.set("db", createDb(d1));
		await next();
		if (calls > 0) c.res.headers.append("server-timing", `db;dur=${ms.toFixed(1)};desc="${calls} D1 calls"`);
	});
}
