import type { DrizzleD1Database } from "drizzle-orm/d1";
import type * as schema from "./db/schema";

// `$client` is the D1 binding underneath, for the few statements Drizzle cannot express.
export type Db = DrizzleD1Database<typeof schema> & { $client: D1Database };

export type AppEnv = {
	Bindings: Env;
	Variables: {
		db: Db;
		/** SITE_URL without a trailing slash: the origin for every absolute URL the site prints. */
		siteUrl: string;
	};
};
