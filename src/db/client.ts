import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

// `$client` is the D1 binding underneath, for the few statements Drizzle cannot express.
export type Db = DrizzleD1Database<typeof schema> & { $client: D1Database };

/** The one way the app, its cron and its tests get a Drizzle handle on a D1 binding. */
export function createDb(d1: D1Database): Db {
	return drizzle(d1, { schema });
}
