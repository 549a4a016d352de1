import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

// `$client` is the D1 binding (or session) underneath, for the few statements Drizzle cannot express.
export type Db = DrizzleD1Database<typeof schema> & { $client: D1Database };

/**
 * The one way the app, its cron and its tests get a Drizzle handle: on the D1 binding itself, or on
 * one session of it (`withSession`), which Drizzle's types do not name but which has the
 * `prepare`/`batch` Drizzle calls.
 */
export function createDb(d1: D1Database | D1DatabaseSession): Db {
	return drizzle(d1 as D1Database, { schema });
}
