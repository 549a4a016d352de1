import { Hono } from "hono";
import { methodNotAllowed } from "hono/method-not-allowed";
import { handleError, handleMethodNotAllowed, handleNotFound } from "./errors";
import { adminGuard } from "./middleware/admin-guard";
import { database } from "./middleware/database";
import { sameSiteRedirects } from "./middleware/same-site-redirects";
import { securityHeaders } from "./middleware/security-headers";
import { siteUrl } from "./middleware/site-url";
import { trimTrailingSlash } from "./middleware/trailing-slash";
import { adminApi } from "./routes/admin-api";
import { adminArticles } from "./routes/admin-articles";
import { adminAuth } from "./routes/admin-auth";
import { adminSite } from "./routes/admin-site";
import { adminSiteApi } from "./routes/admin-site-api";
import { api } from "./routes/api";
import { feeds } from "./routes/feeds";
import { icons } from "./routes/icons";
import { pages } from "./routes/pages";
import type { AppEnv } from "./types";
import { adminStyleHashSource } from "./views/admin-styles";
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
