import { Hono } from "hono";
import type { AppEnv } from "../types";
import { ADMIN_FAVICON_PATH, ADMIN_FAVICON_SVG, FAVICON_PATH, FAVICON_SVG } from "../views/favicon";

/** The site icons: the same bytes for everyone, touching no database; the edge cache keeps them a day. */
export const icons = new Hono<AppEnv>();

const SVG = { "content-type": "image/svg+xml" };

icons.get(FAVICON_PATH, (c) => c.body(FAVICON_SVG, 200, SVG));
// Browsers and crawlers ask for /favicon.ico without reading any page. It answers the same SVG
// under its true type rather than a redirect or an ICO file: one icon to keep, and no extra request.
icons.get("/favicon.ico", (c) => c.body(FAVICON_SVG, 200, SVG));
icons.get(ADMIN_FAVICON_PATH, (c) => c.body(ADMIN_FAVICON_SVG, 200, SVG));
