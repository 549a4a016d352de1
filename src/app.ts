import { Hono } from "hono";
import { methodNotAllowed } from "hono/method-not-allowed";
import { handleError, handleMethodNotAllowed, handleNotFound } from "./errors";
import { database } from "./middleware/database";
import { securityHeaders } from "./middleware/security-headers";
import { siteUrl } from "./middleware/site-url";
import { trimTrailingSlash } from "./middleware/trailing-slash";
import { api } from "./routes/api";
import { feeds } from "./routes/feeds";
import { pages } from "./routes/pages";
import type { AppEnv } from "./types";
import { renderer } from "./views/renderer";
import { styleHashSource } from "./views/styles";

const app = new Hono<AppEnv>();

app.use(securityHeaders({ styleSources: async () => [await styleHashSource()] }));

// The benchmark's ceiling: no database, no rendering.
app.get("/healthz", (c) => c.text("ok"));

app.use(trimTrailingSlash());
app.use(methodNotAllowed({ app, onMethodNotAllowed: handleMethodNotAllowed }));
app.use(siteUrl());
app.use(database());
app.use(renderer());

// ---- admin (issue 4) ----
// ADMIN-MOUNTS: the admin sub-apps and their guard are mounted here, before the public routes.
// ---- end admin ----

app.route("/api", api);
app.route("/", feeds);
app.route("/", pages);

app.notFound(handleNotFound);
app.onError(handleError);

export default app;
