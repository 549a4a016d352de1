import { Hono } from "hono";
import { methodNotAllowed } from "hono/method-not-allowed";
import * as admin from "./admin";
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
import { media } from "./routes/media";
import { pages } from "./routes/pages";
import { search } from "./routes/search";
import type { AppEnv } from "./types";
import { renderer } from "./views/renderer";
import { styleHashSource } from "./views/styles";

const app = new Hono<AppEnv>();

app.use(securityHeaders({ styleSources: async () => [await styleHashSource(), await adminStyleHashSource()] }));

// The benchmark's ceiling: no database, no rendering. A health check must reach the Worker, never a cache.
app.get("/healthz", (c) => c.text("ok", 200, { "cache-control": "no-store" }));

app.use(sameSiteRedirects({ notFound: handleNotFound }));
app.use(trimTrailingSlash());
app.use(methodNotAllowed({ app, onMethodNotAllowed: handleMethodNotAllowed }));
app.use(siteUrl());
app.use(database());
app.use(renderer());

// The admin wing, before the public routes.
app.route("/admin", admin.html);
app.route("/api/admin", admin.api);

app.route("/", search);
app.route("/api", api);
app.route("/", feeds);
app.route("/", icons);
app.route("/", media);
app.route("/", pages);

app.notFound(handleNotFound);
app.onError(handleError);

export default app;
