import { Hono } from "hono";
import type { AppEnv } from "../types";
import { adminApi as articlesApi } from "./api/articles";
import { adminSiteApi } from "./api/site";
import { adminGuard } from "./guard";
import { adminArticles } from "./html/articles";
import { adminAuth } from "./html/auth";
import { adminSite } from "./html/site";

// The admin wing: app.ts mounts `html` at /admin and `api` at /api/admin. Each sub-app's guard
// runs first; "/*" also matches the mount point itself (/admin, /api/admin).

export const html = new Hono<AppEnv>();
html.use("/*", adminGuard({ kind: "html" }));
html.route("/", adminAuth);
html.route("/", adminArticles);
html.route("/", adminSite);

export const api = new Hono<AppEnv>();
api.use("/*", adminGuard({ kind: "api" }));
api.route("/", articlesApi);
api.route("/", adminSiteApi);
