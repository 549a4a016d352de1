import type { Db } from "./db/client";
import type { CurrentEditor } from "./db/schema";

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
