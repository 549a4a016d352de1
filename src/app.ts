import { Hono } from "hono";
import { methodNotAllowed } from "hono/method-not-allowed";
import { adminApi } from "./admin/api/articles";
import { adminSiteApi } from "./admin/api/site";
import { adminGuard } from "./admin/guard/index";
import { adminArticles } from "./admin/html/articles";
import { adminAuth } from "./admin/html/auth";
import { adminSite } from "./admin/html/site";
import { adminStyleHashSource } from "./admin/views/styles";
import { handleError, handleMethodNotAllowed, handleNotFound } from "./errors";
import { database } from "./middleware/database";
import { sameSiteRedirects } from "./middleware/same-site-redirects";
import { securityHeaders } from "./middleware/security-headers";
import { siteUrl } from "./middleware/site-url";
import { trimTrailingSlash } from "./middleware/trailing-slash";
import { api } from "./routes/api";
import { feeds } from "./routes/feeds";
import { icons } from "./routes/icons";
import { pages } from "./routes/pages";
import type { AppEnv } from "./types";
import { renderer } from "./views/renderer";
import { styleHashSource } from "./views/styles";

const app = new Hono<AppEnv>();

app.use(securityHeaders({ styleSources: async () => [await styleHashSource(), await adminStyleHashSource()] }));

// The benchmark's ceiling: no database, no rendering.
app.get("/healthz", (c) => c.text("ok"));

app.use(sameSiteRedirects());
app.use(trimTrailingSlash());
app.use(methodNotAllowed({ app, onMethodNotAllowed: handleMethodNotAllowed }));
app.use(siteUrl());
app.use(database());
app.use(renderer());

// ---- admin (issue 4) ----
// ADMIN-MOUNTS: the admin sub-apps and their guard are mounted here, before the public routes.
// "/admin/*" also matches "/admin" itself (likewise /api/admin), so one line each guards both.
app.use("/admin/*", adminGuard({ kind: "html" }));
app.use("/api/admin/*", adminGuard({ kind: "api" }));
app.route("/admin", adminAuth);
app.route("/api/admin", adminApi);
app.route("/api/admin", adminSiteApi);
app.route("/admin", adminArticles);
app.route("/admin", adminSite);
// ---- end admin ----

app.route("/api", api);
app.route("/", feeds);
app.route("/", icons);
app.route("/", pages);

app.notFound(handleNotFound);
app.onError(handleError);

export default app;
