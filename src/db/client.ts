import { drizzle } from "drizzle-orm/d1";
import type { Db } from "../types";
import * as schema from "./schema";

/** The one way the app, its cron and its tests get a Drizzle handle on a D1 binding. */
export function createDb(d1: D1Database): Db {
	return drizzle(d1, { schema });
}
