import { Hono } from "hono";
import type { AppEnv } from "../types";
import { articles as articlesApi } from "./api/articles";
import { audit as auditApi } from "./api/audit";
import { authors as authorsApi } from "./api/authors";
import { editors as editorsApi } from "./api/editors";
import { media as mediaApi } from "./api/media";
import { pages as pagesApi } from "./api/pages";
import { purge as purgeApi } from "./api/purge";
import { taxa as taxaApi } from "./api/taxa";
import { tokens as tokensApi } from "./api/tokens";
import { adminGuard } from "./guard/index";
import { articles } from "./html/articles";
import { audit } from "./html/audit";
import { auth } from "./html/auth";
import { authors } from "./html/authors";
import { editors } from "./html/editors";
import { media } from "./html/media";
import { pages } from "./html/pages";
import { purge } from "./html/purge";
import { taxa } from "./html/taxa";
import { tokens } from "./html/tokens";

// The admin wing: app.ts mounts `html` at /admin and `api` at /api/admin. Each sub-app's guard
// runs first; "/*" also matches the mount point itself (/admin, /api/admin).

export const html = new Hono<AppEnv>();
html.use("/*", adminGuard({ kind: "html" }));
for (const screens of [auth, articles, taxa, authors, pages, media, tokens, editors, audit, purge])
	html.route("/", screens);

export const api = new Hono<AppEnv>();
api.use("/*", adminGuard({ kind: "api" }));
for (const resource of [
	articlesApi,
	purgeApi,
	taxaApi,
	authorsApi,
	pagesApi,
	tokensApi,
	editorsApi,
	auditApi,
	mediaApi,
]) {
	api.route("/", resource);
}
