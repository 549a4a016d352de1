import { drizzle } from "drizzle-orm/d1";
import { createMiddleware } from "hono/factory";
import * as schema from "../db/schema";
import type { AppEnv } from "../types";

/** Puts a Drizzle handle on `c.var.db`. Creating it is cheap and touches no database. */
export function database() {
	return createMiddleware<AppEnv>(async (c, next) => {
		c.set("db", drizzle(c.env.DB, { schema }));
		await next();
	});
}
