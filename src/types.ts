import type { DrizzleD1Database } from "drizzle-orm/d1";
import type * as schema from "./db/schema";

// `$client` is the D1 binding underneath, for the few statements Drizzle cannot express.
export type Db = DrizzleD1Database<typeof schema> & { $client: D1Database };

/** The signed-in editor, as the admin guard found them. */
export type CurrentEditor = Pick<schema.Editor, "id" | "email" | "name" | "role">;

/** How the current admin request proved who it is. */
export type AdminAuth =
	| { method: "session"; tokenHash: string }
	| { method: "token"; tokenId: number; tokenName: string };

export type AppEnv = {
	Bindings: Env;
	Variables: {
		db: Db;
		/** SITE_URL without a trailing slash: the origin for every absolute URL the site prints. */
		siteUrl: string;
		/** Set by the admin guard on every /admin and /api/admin route behind it. */
		editor: CurrentEditor;
		auth: AdminAuth;
	};
};
